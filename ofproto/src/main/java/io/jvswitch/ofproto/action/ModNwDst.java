package io.jvswitch.ofproto.action;

import io.jvswitch.wire.Ipv4Address;

/** Sets the IPv4 destination address: {@code mod_nw_dst:10.0.0.1}. Needs {@code ip} in the match, as in OVS. */
public record ModNwDst(int ip) implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("mod_nw_dst:").append(Ipv4Address.format(ip));
    }

    @Override
    public void check(ActionContext context) {
        requireIpv4("mod_nw_dst", context);
    }

    /** OVS's rule for the IPv4 address actions: the match fixes dl_type to IPv4 (ARP is not enough). */
    static void requireIpv4(String action, ActionContext context) {
        if (context.match().ethType() != 0x0800) {
            throw new IllegalArgumentException(action + " requires dl_type=0x0800 (ip) in the match");
        }
    }
}
