package io.jvswitch.app.vsctl;

/** A vsctl command that cannot run; the transaction it was part of changed nothing. */
public final class VsctlException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public VsctlException(String message) {
        super(message);
    }
}
