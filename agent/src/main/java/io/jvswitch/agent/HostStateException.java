package io.jvswitch.agent;

/** A desired host state the agent refuses, with what is wrong and what would be accepted. Nothing was changed. */
public final class HostStateException extends IllegalArgumentException {
    public HostStateException(String message) {
        super(message);
    }
}
