package io.jvswitch.ofproto.action;

/**
 * Removes the packet's outermost VLAN tag, OpenFlow 1.1's spelling of {@link StripVlan}: {@code pop_vlan}. OVS keeps
 * the spelling the flow was written with, and so does this record.
 */
public record PopVlan() implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("pop_vlan");
    }
}
