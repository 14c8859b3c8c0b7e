package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Prerequisite;

/**
 * Sets the DSCP bits of the IPv4 ToS or IPv6 traffic class, written as a ToS byte: {@code mod_nw_tos:32}. The ECN
 * bits are left as they are, so the value is a multiple of 4. Needs {@code ip} or {@code ipv6} in the match.
 *
 * @param tos 0 to 252, a multiple of 4
 */
public record ModNwTos(int tos) implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("mod_nw_tos:").append(tos);
    }

    @Override
    public void validate() {
        if (tos < 0 || tos > 252 || (tos & 3) != 0) {
            throw new IllegalArgumentException(
                    "ToS " + tos + " is not a multiple of 4 from 0 to 252 (the low 2 bits are ECN)");
        }
    }

    @Override
    public void check(ActionContext context) {
        validate();
        if (!Prerequisite.IP_ANY.satisfiedBy(context.match().ethType(), -1)) {
            throw new IllegalArgumentException(
                    "mod_nw_tos requires " + Prerequisite.IP_ANY.description() + " in the match");
        }
    }
}
