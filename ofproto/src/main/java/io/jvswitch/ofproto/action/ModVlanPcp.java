package io.jvswitch.ofproto.action;

/**
 * Sets the priority (PCP) of the packet's 802.1Q tag, adding a tag (VLAN 0) if it has none: {@code mod_vlan_pcp:3}.
 *
 * @param pcp 0 to 7
 */
public record ModVlanPcp(int pcp) implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("mod_vlan_pcp:").append(pcp);
    }

    @Override
    public void validate() {
        Checks.range(pcp, 7, "VLAN priority");
    }
}
