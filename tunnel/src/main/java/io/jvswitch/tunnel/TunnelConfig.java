package io.jvswitch.tunnel;

import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A tunnel interface's configuration, read from Open vSwitch's interface options ({@code options:remote_ip=...}).
 *
 * <p>{@link #fromOptions} accepts the options users already write for {@code ovs-vsctl}:
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><td>{@code remote_ip}</td><td>peer address (IPv4 or IPv6), a multicast group for VXLAN, or {@code flow}</td></tr>
 *   <tr><td>{@code local_ip}</td><td>our address on the underlay; the same family as {@code remote_ip}</td></tr>
 *   <tr><td>{@code key}, {@code in_key}, {@code out_key}</td><td>GRE key (32 bits) or VNI (24 bits), decimal or
 *       0x-hex, or {@code flow}; {@code key} sets both</td></tr>
 *   <tr><td>{@code csum}</td><td>send GRE or UDP checksums; default false, but true for UDP over IPv6 (RFC 8200
 *       section 8.1; {@code false} sends zero checksums as RFC 6935 allows tunnels)</td></tr>
 *   <tr><td>{@code seq}</td><td>GRE sequence numbers (RFC 2890); default false</td></tr>
 *   <tr><td>{@code ttl}</td><td>1–255 or {@code inherit}; default 64</td></tr>
 *   <tr><td>{@code tos}</td><td>DSCP as a ToS byte with ECN bits zero (ECN is always inherited, RFC 6040), or
 *       {@code inherit}; default 0</td></tr>
 *   <tr><td>{@code df_default}</td><td>set DF on the outer IPv4 header; default true</td></tr>
 *   <tr><td>{@code dst_port}</td><td>UDP destination port; default 4789 (VXLAN), 4754 (GRE-in-UDP)</td></tr>
 *   <tr><td>{@code packet_type}</td><td>{@code legacy_l2} (Ethernet frames, default) or {@code legacy_l3} (IP
 *       packets, GRE only)</td></tr>
 *   <tr><td>{@code src_port_range}</td><td>jvswitch's: UDP source ports chosen by flow hash, {@code MIN-MAX};
 *       default 49152-65535 (RFC 7348 section 5)</td></tr>
 * </table>
 *
 * @param options the options as given, for display in {@code show}
 * @param remoteIp null when {@code remote_ip=flow}
 * @param localIp null when not given (the datapath then picks the source by route)
 * @param ttl {@link #INHERIT} or 1–255
 * @param tos {@link #INHERIT} or a ToS byte whose ECN bits are zero
 */
public record TunnelConfig(
        TunnelType type,
        SortedMap<String, String> options,
        InetAddress remoteIp,
        InetAddress localIp,
        TunnelKey inKey,
        TunnelKey outKey,
        boolean checksum,
        boolean sequence,
        int ttl,
        int tos,
        boolean dontFragment,
        int destinationPort,
        int sourcePortMin,
        int sourcePortMax,
        PayloadType payloadType) {

    /** {@code ttl} or {@code tos} copied from the inner packet. */
    public static final int INHERIT = -1;

    public static final int DEFAULT_TTL = 64;
    public static final int DEFAULT_SOURCE_PORT_MIN = 49152;
    public static final int DEFAULT_SOURCE_PORT_MAX = 65535;

    /** What the tunnel carries: Open vSwitch's {@code packet_type} option. */
    public enum PayloadType {
        /** Ethernet frames (GRE protocol 0x6558, VXLAN). */
        LEGACY_L2("legacy_l2"),
        /** IP packets without an Ethernet header (GRE protocol 0x0800 or 0x86dd): a router's GRE tunnel. */
        LEGACY_L3("legacy_l3");

        private final String optionValue;

        PayloadType(String optionValue) {
            this.optionValue = optionValue;
        }

        public String optionValue() {
            return optionValue;
        }
    }

    public TunnelConfig {
        options = Collections.unmodifiableSortedMap(new TreeMap<>(options));
    }

    /** True when the underlay is IPv6 (by whichever address is known). */
    public boolean ipv6() {
        InetAddress known = remoteIp != null ? remoteIp : localIp;
        return known instanceof Inet6Address;
    }

    /**
     * Reads Open vSwitch interface options for a tunnel of {@code type}.
     *
     * @throws TunnelConfigException naming the option, the value given and what is allowed
     */
    public static TunnelConfig fromOptions(TunnelType type, Map<String, String> options) {
        Map<String, String> rest = new LinkedHashMap<>(options);
        InetAddress remote = address(type, rest.remove("remote_ip"), "remote_ip", true);
        InetAddress local = address(type, rest.remove("local_ip"), "local_ip", false);
        if (remote == null && !options.containsKey("remote_ip")) {
            throw new TunnelConfigException(type + " interface needs options:remote_ip (an address, or flow)");
        }
        if (remote != null && local != null && remote.getClass() != local.getClass()) {
            throw new TunnelConfigException("options:local_ip=" + options.get("local_ip") + " and options:remote_ip="
                    + options.get("remote_ip") + " are of different IP families");
        }
        if (remote != null && remote.isMulticastAddress() && type != TunnelType.VXLAN) {
            throw new TunnelConfigException("options:remote_ip=" + options.get("remote_ip")
                    + " is a multicast group; only vxlan tunnels send to a group");
        }
        if (local != null && local.isMulticastAddress()) {
            throw new TunnelConfigException(
                    "options:local_ip=" + options.get("local_ip") + " is a multicast address; give a unicast one");
        }

        String key = rest.remove("key");
        String inKeyText = rest.remove("in_key");
        String outKeyText = rest.remove("out_key");
        TunnelKey inKey = key(type, inKeyText != null ? inKeyText : key, inKeyText != null ? "in_key" : "key");
        TunnelKey outKey = key(type, outKeyText != null ? outKeyText : key, outKeyText != null ? "out_key" : "key");

        boolean ipv6 = (remote != null ? remote : local) instanceof Inet6Address;
        String csumText = rest.remove("csum");
        boolean checksum = csumText == null ? ipv6 && type.overUdp() : bool(csumText, "csum");
        String seqText = rest.remove("seq");
        boolean sequence = seqText != null && bool(seqText, "seq");
        if (sequence && !type.isGre()) {
            throw new TunnelConfigException("options:seq applies to GRE tunnels only, not " + type);
        }
        int ttl = ttl(rest.remove("ttl"));
        int tos = tos(rest.remove("tos"));
        String dfText = rest.remove("df_default");
        boolean dontFragment = dfText == null || bool(dfText, "df_default");

        String portText = rest.remove("dst_port");
        int port = type.defaultPort();
        if (portText != null) {
            if (!type.overUdp()) {
                throw new TunnelConfigException("options:dst_port applies to UDP tunnels, not " + type);
            }
            port = (int) number(portText, "dst_port", 1, 65535);
        }
        int portMin = DEFAULT_SOURCE_PORT_MIN;
        int portMax = DEFAULT_SOURCE_PORT_MAX;
        String rangeText = rest.remove("src_port_range");
        if (rangeText != null) {
            if (!type.overUdp()) {
                throw new TunnelConfigException("options:src_port_range applies to UDP tunnels, not " + type);
            }
            int dash = rangeText.indexOf('-');
            if (dash < 0) {
                throw new TunnelConfigException(
                        "options:src_port_range=" + rangeText + ": expected MIN-MAX, for example 49152-65535");
            }
            portMin = (int) number(rangeText.substring(0, dash), "src_port_range", 1, 65535);
            portMax = (int) number(rangeText.substring(dash + 1), "src_port_range", 1, 65535);
            if (portMin > portMax) {
                throw new TunnelConfigException(
                        "options:src_port_range=" + rangeText + ": the first port must not exceed the second");
            }
        }

        PayloadType payload = PayloadType.LEGACY_L2;
        String packetType = rest.remove("packet_type");
        if (packetType != null) {
            payload = switch (packetType) {
                case "legacy_l2" -> PayloadType.LEGACY_L2;
                case "legacy_l3" -> PayloadType.LEGACY_L3;
                default ->
                    throw new TunnelConfigException(
                            "options:packet_type=" + packetType + ": expected legacy_l2 or legacy_l3");
            };
            if (payload == PayloadType.LEGACY_L3 && type == TunnelType.VXLAN) {
                throw new TunnelConfigException("options:packet_type=legacy_l3: VXLAN carries Ethernet frames only");
            }
        }

        if (!rest.isEmpty()) {
            throw new TunnelConfigException("unknown option" + (rest.size() > 1 ? "s " : " ")
                    + String.join(", ", rest.keySet()) + " for a " + type
                    + " interface (known: remote_ip, local_ip, key, in_key, out_key, csum, seq, ttl, tos, "
                    + "df_default, dst_port, packet_type, src_port_range)");
        }
        return new TunnelConfig(
                type,
                new TreeMap<>(options),
                remote,
                local,
                inKey,
                outKey,
                checksum,
                sequence,
                ttl,
                tos,
                dontFragment,
                port,
                portMin,
                portMax,
                payload);
    }

    /** The options as ovs-vsctl prints them: {@code {in_key=flow, local_ip="192.168.1.100", ...}}. */
    public String optionsText() {
        StringBuilder text = new StringBuilder("{");
        for (Map.Entry<String, String> option : options.entrySet()) {
            if (text.length() > 1) {
                text.append(", ");
            }
            String value = option.getValue();
            boolean quote = !value.matches("[A-Za-z0-9_]+");
            text.append(option.getKey()).append('=');
            text.append(quote ? '"' + value + '"' : value);
        }
        return text.append('}').toString();
    }

    private static InetAddress address(TunnelType type, String text, String option, boolean flowAllowed) {
        if (text == null) {
            return null;
        }
        if (text.equals("flow")) {
            if (!flowAllowed) {
                throw new TunnelConfigException("options:" + option + "=flow is not supported; give an address");
            }
            return null;
        }
        try {
            if (text.indexOf(':') >= 0) {
                return Inet6Address.ofLiteral(text.startsWith("[") ? text.substring(1, text.length() - 1) : text);
            }
            Ipv4Address.parse(text);
            return Inet4Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new TunnelConfigException("options:" + option + "=" + text + " is not an IPv4 or IPv6 address"
                    + (flowAllowed ? " (or flow)" : "") + " for " + type);
        }
    }

    private static TunnelKey key(TunnelType type, String text, String option) {
        if (text == null) {
            return TunnelKey.NONE;
        }
        if (text.equals("flow")) {
            return TunnelKey.FLOW;
        }
        long max = type == TunnelType.VXLAN ? 0xffffffL : 0xffffffffL;
        String what = type == TunnelType.VXLAN ? "a VXLAN VNI is 24 bits" : "a GRE key is 32 bits";
        long value;
        try {
            value = parseNumber(text);
        } catch (NumberFormatException e) {
            throw new TunnelConfigException("options:" + option + "=" + text + " is not a number or flow");
        }
        if (value < 0 || value > max) {
            throw new TunnelConfigException(
                    "options:" + option + "=" + text + " is out of range: " + what + " (0 to " + max + ")");
        }
        return TunnelKey.of(value);
    }

    private static boolean bool(String text, String option) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new TunnelConfigException("options:" + option + "=" + text + ": expected true or false");
        };
    }

    private static int ttl(String text) {
        if (text == null) {
            return DEFAULT_TTL;
        }
        if (text.equals("inherit")) {
            return INHERIT;
        }
        return (int) number(text, "ttl", 1, 255);
    }

    private static int tos(String text) {
        if (text == null) {
            return 0;
        }
        if (text.equals("inherit")) {
            return INHERIT;
        }
        int tos = (int) number(text, "tos", 0, 255);
        if ((tos & 0x3) != 0) {
            throw new TunnelConfigException("options:tos=" + text
                    + " sets ECN bits; ECN is always inherited from the inner packet (RFC 6040), give DSCP << 2");
        }
        return tos;
    }

    private static long number(String text, String option, long min, long max) {
        long value;
        try {
            value = parseNumber(text);
        } catch (NumberFormatException e) {
            throw new TunnelConfigException("options:" + option + "=" + text + " is not a number");
        }
        if (value < min || value > max) {
            throw new TunnelConfigException(
                    "options:" + option + "=" + text + " is out of range (" + min + " to " + max + ")");
        }
        return value;
    }

    /** Decimal, or hexadecimal with 0x, as Open vSwitch reads numbers. */
    static long parseNumber(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
            return Long.parseLong(trimmed.substring(2), 16);
        }
        return Long.parseLong(trimmed);
    }

    /** The underlay address as text, for messages and {@code show}. */
    public static String addressText(InetAddress address) {
        if (address == null) {
            return "flow";
        }
        return address instanceof Inet6Address ? Ipv6Address.format(address.getAddress()) : address.getHostAddress();
    }
}
