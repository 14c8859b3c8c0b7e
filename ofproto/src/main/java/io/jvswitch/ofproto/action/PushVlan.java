package io.jvswitch.ofproto.action;

/**
 * Adds a new outermost VLAN tag (VLAN 0, priority 0 unless set after) with the given TPID: {@code push_vlan:0x8100}
 * (802.1Q) or {@code push_vlan:0x88a8} (802.1ad).
 */
public record PushVlan(int ethertype) implements Action {
    public static final int DOT1Q = 0x8100;
    public static final int DOT1AD = 0x88a8;

    @Override
    public void format(StringBuilder out) {
        out.append("push_vlan:").append(Values.hex(ethertype));
    }

    @Override
    public void validate() {
        if (ethertype != DOT1Q && ethertype != DOT1AD) {
            throw new IllegalArgumentException("ethertype " + Values.hex(ethertype)
                    + " is not a VLAN ethertype (0x8100 for 802.1Q or 0x88a8 for 802.1ad)");
        }
    }
}
