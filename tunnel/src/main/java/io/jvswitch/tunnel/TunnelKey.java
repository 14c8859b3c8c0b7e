package io.jvswitch.tunnel;

/**
 * The key of a tunnel port, as Open vSwitch's {@code key}, {@code in_key} and {@code out_key} options give it: absent
 * (GRE without the K bit; VNI 0 for VXLAN), a fixed value, or {@code flow} (taken from, or given to, the flow's
 * {@code tun_id}).
 */
public record TunnelKey(Kind kind, long value) {
    public enum Kind {
        NONE,
        FIXED,
        FLOW
    }

    public static final TunnelKey NONE = new TunnelKey(Kind.NONE, 0);
    public static final TunnelKey FLOW = new TunnelKey(Kind.FLOW, 0);

    public TunnelKey {
        if (kind != Kind.FIXED && value != 0) {
            throw new IllegalArgumentException("only a fixed key has a value");
        }
    }

    public static TunnelKey of(long value) {
        return new TunnelKey(Kind.FIXED, value);
    }

    public boolean isFlow() {
        return kind == Kind.FLOW;
    }

    public boolean isPresent() {
        return kind != Kind.NONE;
    }

    /** The text form: {@code flow}, or the value in decimal as ovs-vsctl prints options. */
    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "";
            case FLOW -> "flow";
            case FIXED -> Long.toString(value);
        };
    }
}
