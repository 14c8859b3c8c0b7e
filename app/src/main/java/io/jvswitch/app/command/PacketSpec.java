package io.jvswitch.app.command;

import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l4.Tcp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A packet described in ovs-ofctl's field vocabulary, as {@code jvs encap --inner} takes it:
 * {@code arp,dl_src=fa:16:3e:00:00:01,nw_src=10.0.0.1,nw_dst=10.0.0.2}.
 *
 * <p>The first word is the protocol ({@code arp}, {@code icmp}, {@code udp}, {@code tcp}, {@code icmp6}, {@code
 * udp6}, {@code tcp6}); then {@code field=value} pairs, any of which may be left out to take the tutorial's defaults
 * (VM1 fa:16:3e:00:00:01 / 10.0.0.1 talking to VM2 fa:16:3e:00:00:02 / 10.0.0.2).
 */
public final class PacketSpec {
    static final String FIELDS = "dl_src, dl_dst, dl_vlan, nw_src, nw_dst, ipv6_src, ipv6_dst, arp_op, arp_sha,"
            + " arp_tha, nw_tos, nw_ttl, tp_src, tp_dst, icmp_type, payload";

    private PacketSpec() {}

    /**
     * Builds the frame {@code text} describes.
     *
     * @throws IllegalArgumentException naming the field and value that are wrong
     */
    public static FrameBuilder parse(String text) {
        String[] words = text.split(",", -1);
        String protocol = words[0].trim();
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            String word = words[i].trim();
            int equals = word.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("'" + word + "' is not field=value (in '" + text + "')");
            }
            String name = word.substring(0, equals);
            if (fields.put(name, word.substring(equals + 1)) != null) {
                throw new IllegalArgumentException(name + " is given twice");
            }
        }
        boolean ipv6 = protocol.endsWith("6");
        String kind = ipv6 ? protocol.substring(0, protocol.length() - 1) : protocol;
        if (!kind.equals("arp") && !kind.equals("icmp") && !kind.equals("udp") && !kind.equals("tcp")
                || protocol.equals("arp6")) {
            throw new IllegalArgumentException(
                    "unknown protocol '" + protocol + "' (expected arp, icmp, udp, tcp, icmp6, udp6 or tcp6)");
        }

        long sourceMac = mac(fields, "dl_src", "fa:16:3e:00:00:01");
        boolean arp = kind.equals("arp");
        // Read only for ARP: anywhere else arp_op must stay behind and be refused as inapplicable.
        int arpOperation = arp ? (int) number(fields, "arp_op", 1, 1, 2) : 0;
        boolean broadcast = arp && arpOperation == Arp.OP_REQUEST;
        long destinationMac = mac(fields, "dl_dst", broadcast ? "ff:ff:ff:ff:ff:ff" : "fa:16:3e:00:00:02");
        FrameBuilder frame = new FrameBuilder().ethernet(sourceMac, destinationMac);
        if (fields.containsKey("dl_vlan")) {
            frame.vlan((int) number(fields, "dl_vlan", 0, 0, 4095));
        }

        if (arp) {
            int senderIp = ipv4(fields, "nw_src", "10.0.0.1");
            int targetIp = ipv4(fields, "nw_dst", "10.0.0.2");
            long senderMac = mac(fields, "arp_sha", MacAddress.format(sourceMac));
            long targetMac =
                    mac(fields, "arp_tha", broadcast ? "00:00:00:00:00:00" : MacAddress.format(destinationMac));
            frame.arp(arpOperation, senderMac, senderIp, targetMac, targetIp);
        } else {
            if (ipv6) {
                frame.ipv6(ipv6(fields, "ipv6_src", "fd00::1"), ipv6(fields, "ipv6_dst", "fd00::2"));
            } else {
                frame.ipv4(ipv4(fields, "nw_src", "10.0.0.1"), ipv4(fields, "nw_dst", "10.0.0.2"));
            }
            frame.tos((int) number(fields, "nw_tos", 0, 0, 255));
            frame.ttl((int) number(fields, "nw_ttl", 64, 1, 255));
            switch (kind) {
                case "icmp" -> {
                    int request = ipv6 ? 128 : 8;
                    int reply = ipv6 ? 129 : 0;
                    int type = (int) number(fields, "icmp_type", request, 0, 255);
                    if (type != request && type != reply) {
                        throw new IllegalArgumentException("icmp_type=" + type + ": jvs builds echo request (" + request
                                + ") and echo reply (" + reply + ")");
                    }
                    frame.icmpEcho(type == request, 1, 1);
                }
                case "udp" ->
                    frame.udp((int) number(fields, "tp_src", 12345, 0, 65535), (int)
                            number(fields, "tp_dst", 7, 0, 65535));
                default ->
                    frame.tcp(
                            (int) number(fields, "tp_src", 12345, 0, 65535),
                            (int) number(fields, "tp_dst", 80, 0, 65535),
                            Tcp.SYN);
            }
            int payload = (int) number(fields, "payload", kind.equals("icmp") ? 56 : 32, 0, 9000);
            byte[] bytes = new byte[payload];
            for (int i = 0; i < payload; i++) {
                bytes[i] = (byte) i;
            }
            frame.payload(bytes);
        }
        if (!fields.isEmpty()) {
            throw new IllegalArgumentException("unknown or inapplicable field" + (fields.size() > 1 ? "s " : " ")
                    + String.join(", ", fields.keySet()) + " for " + protocol + " (fields: " + FIELDS + ")");
        }
        return frame;
    }

    private static long mac(Map<String, String> fields, String name, String fallback) {
        String value = fields.remove(name);
        try {
            return MacAddress.parse(value == null ? fallback : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "=" + value + ": " + e.getMessage());
        }
    }

    private static int ipv4(Map<String, String> fields, String name, String fallback) {
        String value = fields.remove(name);
        try {
            return Ipv4Address.parse(value == null ? fallback : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "=" + value + ": " + e.getMessage());
        }
    }

    private static byte[] ipv6(Map<String, String> fields, String name, String fallback) {
        String value = fields.remove(name);
        try {
            return Ipv6Address.parse(value == null ? fallback : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "=" + value + ": " + e.getMessage());
        }
    }

    private static long number(Map<String, String> fields, String name, long fallback, long min, long max) {
        String value = fields.remove(name);
        if (value == null) {
            return fallback;
        }
        long number;
        try {
            number = value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + ": not a number");
        }
        if (number < min || number > max) {
            throw new IllegalArgumentException(name + "=" + value + ": out of range (" + min + " to " + max + ")");
        }
        return number;
    }
}
