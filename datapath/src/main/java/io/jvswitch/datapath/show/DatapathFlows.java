package io.jvswitch.datapath.show;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.cache.FlowCache;
import io.jvswitch.datapath.cache.MegaflowEntry;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.l2.Ethernet;
import io.jvswitch.wire.l3.IpProtocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What the datapath holds, as {@code ovs-appctl dpctl/show} and {@code dpctl/dump-flows} print it: the lookup
 * counters and ports, and the megaflows with their counters, in the datapath's own syntax (Open vSwitch's ODP
 * format: {@code recirc_id(0),in_port(2),eth(...),eth_type(0x0800),ipv4(...), packets:3, bytes:294, used:0.512s,
 * actions:3}).
 *
 * <p>A megaflow prints only what it matches on: a field its translation never read is left out, a field read in part
 * prints with its mask ({@code dst=01:00:00:00:00:00/01:00:00:00:00:00}). Ports are datapath port numbers, as in the
 * actions. Open vSwitch's datapath also keeps IP fragment state and tunnel flags, which jvswitch's flow key has not,
 * so {@code frag=} and {@code flags(...)} never print. Call on the datapath's thread.
 */
public final class DatapathFlows {
    /** The datapath's name in the first line of {@code dpctl/show}: the userspace ("netdev") datapath of jvswitch. */
    public static final String NAME = "netdev@jvswitch";

    private DatapathFlows() {}

    /**
     * {@code dpctl/show}: lookups (cache hits and misses), the number of megaflows, what the underlay's UDP offloads
     * did (GSO sends and the datagrams they carried, GRO messages and theirs) when it has any, then every port.
     */
    public static String show(Datapath datapath) {
        long hits = 0;
        long misses = 0;
        int flows = 0;
        for (Bridge bridge : datapath.bridges()) {
            FlowCache cache = bridge.cache();
            hits += cache.exactHits() + cache.megaflowHits();
            misses += cache.misses();
            flows += cache.megaflows().size();
        }
        StringBuilder out = new StringBuilder(NAME).append(":\n");
        out.append("  lookups: hit:")
                .append(hits)
                .append(" missed:")
                .append(misses)
                .append(" lost:0\n");
        out.append("  flows: ").append(flows).append('\n');
        Map<String, Long> offloads =
                datapath.underlay() == null ? Map.of() : datapath.underlay().offloadStatistics();
        if (!offloads.isEmpty()) {
            out.append("  udp offloads:");
            offloads.forEach(
                    (name, value) -> out.append(' ').append(name).append(':').append(value));
            out.append('\n');
        }
        for (Port port : datapath.ports()) {
            out.append("  port ")
                    .append(datapath.datapathPort(port))
                    .append(": ")
                    .append(port.name());
            String type = port.type().ovsName();
            if (!type.isEmpty()) {
                out.append(" (").append(type);
                char separator = ':';
                for (Map.Entry<String, String> option : new TreeMap<>(port.options()).entrySet()) {
                    out.append(separator)
                            .append(' ')
                            .append(option.getKey())
                            .append('=')
                            .append(option.getValue());
                    separator = ',';
                }
                out.append(')');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** {@code dpctl/dump-flows}: the megaflows of every bridge, one line each, bridges in name order. */
    public static String dumpFlows(Datapath datapath, long nowMillis) {
        StringBuilder out = new StringBuilder();
        List<Bridge> bridges = new ArrayList<>(datapath.bridges());
        bridges.sort(Comparator.comparing(Bridge::name));
        for (Bridge bridge : bridges) {
            out.append(dumpFlows(bridge, nowMillis));
        }
        return out.toString();
    }

    /** {@code dpif/dump-flows BRIDGE}: the megaflows of one bridge, the busiest first, equals in text order. */
    public static String dumpFlows(Bridge bridge, long nowMillis) {
        record Line(long packets, String text) {}
        List<Line> lines = new ArrayList<>();
        for (MegaflowEntry entry : bridge.cache().megaflows().entries()) {
            if (entry.isAlive()) {
                lines.add(new Line(entry.packets(), line(bridge, entry, nowMillis)));
            }
        }
        lines.sort(Comparator.comparingLong(Line::packets).reversed().thenComparing(Line::text));
        StringBuilder out = new StringBuilder();
        lines.forEach(line -> out.append(line.text()).append('\n'));
        return out.toString();
    }

    /** One megaflow: its key, then {@code , packets:N, bytes:N, used:T, actions:A}. */
    static String line(Bridge bridge, MegaflowEntry entry, long nowMillis) {
        return key(bridge, entry.megaflow())
                + ", packets:" + entry.packets()
                + ", bytes:" + entry.bytes()
                + ", used:" + used(entry, nowMillis)
                + ", actions:" + entry.translation().actionsText();
    }

    /** Seconds since the last packet, with milliseconds, or {@code never} for a flow no packet has hit. */
    private static String used(MegaflowEntry entry, long nowMillis) {
        if (entry.packets() == 0) {
            return "never";
        }
        long ago = Math.max(0, nowMillis - entry.usedMillis());
        return String.format(Locale.ROOT, "%d.%03ds", ago / 1000, ago % 1000);
    }

    /** The megaflow's key in the datapath's syntax, with the bridge's OpenFlow in_port turned into a datapath port. */
    static String key(Bridge bridge, Match megaflow) {
        StringJoiner key = new StringJoiner(",");
        key.add("recirc_id(0)");
        Attribute tunnel = new Attribute("tunnel");
        tunnel.hex(megaflow, Field.TUN_ID, "tun_id");
        tunnel.ipv4(megaflow, Field.TUN_SRC, "src");
        tunnel.ipv4(megaflow, Field.TUN_DST, "dst");
        tunnel.addTo(key);
        if (megaflow.has(Field.IN_PORT)) {
            int ofport = (int) megaflow.get(Field.IN_PORT);
            int datapathPort = bridge.datapathPort(ofport);
            key.add("in_port(" + (datapathPort >= 0 ? datapathPort : ofport) + ")");
        }
        Attribute eth = new Attribute("eth");
        eth.mac(megaflow, Field.DL_SRC, "src");
        eth.mac(megaflow, Field.DL_DST, "dst");
        eth.addTo(key);

        long tci = megaflow.get(Field.VLAN_TCI);
        long tciMask = megaflow.getMask(Field.VLAN_TCI);
        boolean tagged = (tciMask & 0x1000) != 0 && (tci & 0x1000) != 0;
        StringJoiner payload = key;
        if (tagged) {
            key.add("eth_type(0x8100)");
            Attribute vlan = new Attribute("vlan");
            vlan.bits("vid", tci & 0x0fff, tciMask & 0x0fff, 0x0fff);
            vlan.bits("pcp", (tci >>> 13) & 7, (tciMask >>> 13) & 7, 7);
            vlan.addTo(key);
            payload = new StringJoiner(",", "encap(", ")");
        }
        network(megaflow, payload);
        if (tagged) {
            key.add(payload.toString());
        }
        return key.toString();
    }

    /** eth_type and what follows it: the IP or ARP attribute, then the transport one. */
    private static void network(Match megaflow, StringJoiner key) {
        if (!megaflow.has(Field.DL_TYPE)) {
            return;
        }
        int ethType = (int) megaflow.get(Field.DL_TYPE);
        key.add(String.format(Locale.ROOT, "eth_type(0x%04x)", ethType));
        if (ethType == Ethernet.TYPE_IPV4 || ethType == Ethernet.TYPE_IPV6) {
            boolean v4 = ethType == Ethernet.TYPE_IPV4;
            Attribute ip = new Attribute(v4 ? "ipv4" : "ipv6");
            if (v4) {
                ip.ipv4(megaflow, Field.NW_SRC, "src");
                ip.ipv4(megaflow, Field.NW_DST, "dst");
            } else {
                ip.ipv6(megaflow, Field.IPV6_SRC, "src");
                ip.ipv6(megaflow, Field.IPV6_DST, "dst");
            }
            ip.decimal(megaflow, Field.NW_PROTO, "proto");
            long tos = (megaflow.get(Field.NW_TOS) << 2) | megaflow.get(Field.NW_ECN);
            long tosMask = (megaflow.getMask(Field.NW_TOS) << 2) | megaflow.getMask(Field.NW_ECN);
            ip.hexBits(v4 ? "tos" : "tclass", tos, tosMask, 0xff);
            ip.decimal(megaflow, Field.NW_TTL, v4 ? "ttl" : "hlimit");
            ip.addTo(key);
            transport(megaflow, key, v4);
        } else if (ethType == Ethernet.TYPE_ARP) {
            Attribute arp = new Attribute("arp");
            arp.ipv4(megaflow, Field.ARP_SPA, "sip");
            arp.ipv4(megaflow, Field.ARP_TPA, "tip");
            arp.decimal(megaflow, Field.ARP_OP, "op");
            arp.mac(megaflow, Field.ARP_SHA, "sha");
            arp.mac(megaflow, Field.ARP_THA, "tha");
            arp.addTo(key);
        }
    }

    private static void transport(Match megaflow, StringJoiner key, boolean v4) {
        if (!megaflow.hasExact(Field.NW_PROTO)) {
            return;
        }
        int protocol = (int) megaflow.get(Field.NW_PROTO);
        Attribute l4;
        if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP || protocol == IpProtocol.SCTP) {
            l4 = new Attribute(protocol == IpProtocol.TCP ? "tcp" : protocol == IpProtocol.UDP ? "udp" : "sctp");
            l4.decimal(megaflow, Field.TP_SRC, "src");
            l4.decimal(megaflow, Field.TP_DST, "dst");
        } else if (protocol == (v4 ? IpProtocol.ICMP : IpProtocol.ICMPV6)) {
            l4 = new Attribute(v4 ? "icmp" : "icmpv6");
            l4.decimal(megaflow, Field.ICMP_TYPE, "type");
            l4.decimal(megaflow, Field.ICMP_CODE, "code");
        } else {
            return;
        }
        l4.addTo(key);
    }

    /** One attribute, {@code name(field=value,...)}, printed only when it holds at least one field. */
    private static final class Attribute {
        private final String name;
        private final StringJoiner fields = new StringJoiner(",");

        Attribute(String name) {
            this.name = name;
        }

        void addTo(StringJoiner key) {
            if (fields.length() > 0) {
                key.add(name + "(" + fields + ")");
            }
        }

        private void add(String field, String value) {
            fields.add(field + "=" + value);
        }

        void decimal(Match match, Field field, String label) {
            bits(label, match.get(field), match.getMask(field), field.fullMask());
        }

        /** A number, with {@code /0xMASK} when only some of its bits are matched. */
        void bits(String label, long value, long mask, long full) {
            if (mask == 0) {
                return;
            }
            add(label, mask == full ? Long.toString(value) : value + "/0x" + Long.toHexString(mask));
        }

        void hexBits(String label, long value, long mask, long full) {
            if (mask == 0) {
                return;
            }
            add(label, "0x" + Long.toHexString(value) + (mask == full ? "" : "/0x" + Long.toHexString(mask)));
        }

        void hex(Match match, Field field, String label) {
            hexBits(label, match.get(field), match.getMask(field), field.fullMask());
        }

        void mac(Match match, Field field, String label) {
            long mask = match.getMask(field);
            if (mask == 0) {
                return;
            }
            String value = MacAddress.format(match.get(field));
            add(label, mask == 0xffff_ffff_ffffL ? value : value + "/" + MacAddress.format(mask));
        }

        void ipv4(Match match, Field field, String label) {
            long mask = match.getMask(field);
            if (mask == 0) {
                return;
            }
            String value = Ipv4Address.format((int) match.get(field));
            add(label, mask == 0xffff_ffffL ? value : value + "/" + Ipv4Address.format((int) mask));
        }

        void ipv6(Match match, Field field, String label) {
            long maskHigh = match.getMaskHigh(field);
            long maskLow = match.getMask(field);
            if (maskHigh == 0 && maskLow == 0) {
                return;
            }
            String value = Ipv6Address.format(match.getHigh(field), match.get(field));
            boolean exact = maskHigh == -1L && maskLow == -1L;
            add(label, exact ? value : value + "/" + Ipv6Address.format(maskHigh, maskLow));
        }
    }
}
