package io.jvswitch.app.daemon;

/** A request the daemon refuses: the message says what is wrong and where; nothing was changed. */
public final class DaemonException extends Exception {
    private static final long serialVersionUID = 1L;

    public DaemonException(String message) {
        super(message);
    }

    public DaemonException(String message, Throwable cause) {
        super(message, cause);
    }
}
