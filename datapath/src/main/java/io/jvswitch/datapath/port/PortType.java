package io.jvswitch.datapath.port;

import java.util.Locale;

/** The kinds of port a bridge has, named as Open vSwitch's interface types. */
public enum PortType {
    /** The bridge's own port towards the host (the one named like the bridge). */
    INTERNAL,
    /** One end of a cable to another bridge of the same switch ({@code options:peer}). */
    PATCH,
    GRE,
    VXLAN,
    GRE_UDP,
    /** An ordinary Ethernet port: a lab guest, a system interface. */
    SYSTEM,
    /** An Ethernet port backed by a TAP device the switch opened ({@code type=tap}). */
    TAP;

    /** The name {@code ovs-vsctl show} prints as {@code type:}; ordinary ports print none. */
    public String ovsName() {
        return switch (this) {
            case GRE_UDP -> "gre-udp";
            case SYSTEM -> "";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }

    public boolean isTunnel() {
        return this == GRE || this == VXLAN || this == GRE_UDP;
    }
}
