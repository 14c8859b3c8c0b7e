package io.jvswitch.ofproto.action;

/** Removes the packet's outermost 802.1Q tag, if it has one: {@code strip_vlan}. */
public record StripVlan() implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("strip_vlan");
    }
}
