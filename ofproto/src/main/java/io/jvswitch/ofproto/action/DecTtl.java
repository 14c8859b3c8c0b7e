package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Prerequisite;

/**
 * Decrements the IPv4 TTL or IPv6 hop limit, dropping the packet when it reaches zero: {@code dec_ttl}. Like OVS for
 * OpenFlow 1.1 and later, it needs {@code ip} or {@code ipv6} in the match.
 */
public record DecTtl() implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("dec_ttl");
    }

    @Override
    public void check(ActionContext context) {
        if (!Prerequisite.IP_ANY.satisfiedBy(context.match().ethType(), -1)) {
            throw new IllegalArgumentException(
                    "dec_ttl requires " + Prerequisite.IP_ANY.description() + " in the match");
        }
    }
}
