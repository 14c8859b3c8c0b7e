package io.jvswitch.ofproto.table;

/** A flow mod that cannot be applied; nothing of it (or of its batch) was applied. */
public final class FlowModException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FlowModException(String message) {
        super(message);
    }
}
