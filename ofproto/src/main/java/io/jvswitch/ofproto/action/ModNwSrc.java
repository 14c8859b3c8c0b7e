package io.jvswitch.ofproto.action;

import io.jvswitch.wire.Ipv4Address;

/** Sets the IPv4 source address: {@code mod_nw_src:10.0.0.1}. Needs {@code ip} in the match, as in OVS. */
public record ModNwSrc(int ip) implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("mod_nw_src:").append(Ipv4Address.format(ip));
    }

    @Override
    public void check(ActionContext context) {
        ModNwDst.requireIpv4("mod_nw_src", context);
    }
}
