package io.jvswitch.ofproto.action;

/**
 * Sets the VLAN ID of the packet's 802.1Q tag, adding a tag (priority 0) if it has none: {@code mod_vlan_vid:1}.
 *
 * @param vid 0 to 4095
 */
public record ModVlanVid(int vid) implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("mod_vlan_vid:").append(vid);
    }

    @Override
    public void validate() {
        Checks.range(vid, 4095, "VLAN ID");
    }
}
