package io.jvswitch.tunnel;

/** A tunnel option that cannot be used; the message names the option, its value and what is allowed. */
public final class TunnelConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TunnelConfigException(String message) {
        super(message);
    }
}
