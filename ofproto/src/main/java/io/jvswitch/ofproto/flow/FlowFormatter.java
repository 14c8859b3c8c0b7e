package io.jvswitch.ofproto.flow;

/**
 * Prints a {@link FlowKey} as ovs-appctl's traces print a flow: the fields that mean something for the packet's type,
 * every one exact ({@code arp,in_port=1,vlan_tci=0x0000,dl_src=...,arp_spa=10.0.0.1,...}).
 */
public final class FlowFormatter {
    private FlowFormatter() {}

    public static String format(FlowKey key) {
        return MatchFormatter.format(exactMatch(key), -1);
    }

    /** The exact match on the fields that mean something for this packet: what a trace prints as its flow. */
    public static Match exactMatch(FlowKey key) {
        Match.Builder match = Match.builder();
        for (Field reg : new Field[] {
            Field.REG0, Field.REG1, Field.REG2, Field.REG3, Field.REG4, Field.REG5, Field.REG6, Field.REG7
        }) {
            if (key.get(reg) != 0) {
                match.set(reg, key.get(reg));
            }
        }
        for (Field tunnel : new Field[] {Field.TUN_ID, Field.TUN_SRC, Field.TUN_DST}) {
            if (key.get(tunnel) != 0) {
                match.set(tunnel, key.get(tunnel));
            }
        }
        if (key.get(Field.METADATA) != 0) {
            match.set(Field.METADATA, key.get(Field.METADATA));
        }
        match.set(Field.IN_PORT, key.get(Field.IN_PORT));
        match.set(Field.VLAN_TCI, key.get(Field.VLAN_TCI));
        match.set(Field.DL_SRC, key.get(Field.DL_SRC));
        match.set(Field.DL_DST, key.get(Field.DL_DST));
        int type = (int) key.get(Field.DL_TYPE);
        match.set(Field.DL_TYPE, type);
        int proto = (int) key.get(Field.NW_PROTO);
        switch (type) {
            case 0x0806 -> {
                match.set(Field.ARP_SPA, key.get(Field.ARP_SPA));
                match.set(Field.ARP_TPA, key.get(Field.ARP_TPA));
                match.set(Field.ARP_OP, key.get(Field.ARP_OP));
                match.set(Field.ARP_SHA, key.get(Field.ARP_SHA));
                match.set(Field.ARP_THA, key.get(Field.ARP_THA));
            }
            case 0x0800, 0x86dd -> {
                if (type == 0x0800) {
                    match.set(Field.NW_SRC, key.get(Field.NW_SRC));
                    match.set(Field.NW_DST, key.get(Field.NW_DST));
                } else {
                    long[] words = key.words();
                    match.setMasked128(Field.IPV6_SRC, words[FlowKey.IPV6_SRC], words[FlowKey.IPV6_SRC + 1], -1, -1);
                    match.setMasked128(Field.IPV6_DST, words[FlowKey.IPV6_DST], words[FlowKey.IPV6_DST + 1], -1, -1);
                }
                match.set(Field.NW_PROTO, proto);
                match.set(Field.NW_TOS, key.get(Field.NW_TOS));
                match.set(Field.NW_ECN, key.get(Field.NW_ECN));
                match.set(Field.NW_TTL, key.get(Field.NW_TTL));
                int fragment = (int) (key.word(FlowKey.L4) & 3);
                if (fragment != 0) {
                    match.word(FlowKey.L4, key.word(FlowKey.L4), match.build().mask(FlowKey.L4) | 3);
                }
                boolean icmp = (type == 0x0800 && proto == 1) || (type == 0x86dd && proto == 58);
                boolean ports = proto == 6 || proto == 17 || proto == 132;
                if ((icmp || ports) && (fragment & FlowKey.FRAG_LATER) == 0) {
                    match.set(Field.TP_SRC, key.get(Field.TP_SRC));
                    match.set(Field.TP_DST, key.get(Field.TP_DST));
                }
            }
            default -> {}
        }
        return match.build();
    }
}
