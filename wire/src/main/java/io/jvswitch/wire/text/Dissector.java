package io.jvswitch.wire.text;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l2.Ethernet;
import io.jvswitch.wire.l2.VlanTag;
import io.jvswitch.wire.l3.Ecn;
import io.jvswitch.wire.l3.Icmpv4;
import io.jvswitch.wire.l3.Icmpv6;
import io.jvswitch.wire.l3.IpProtocol;
import io.jvswitch.wire.l3.Ipv4;
import io.jvswitch.wire.l3.Ipv6;
import io.jvswitch.wire.l3.Ipv6Extensions;
import io.jvswitch.wire.l4.Tcp;
import io.jvswitch.wire.l4.Udp;
import io.jvswitch.wire.overlay.Gre;
import io.jvswitch.wire.overlay.GreEnhanced;
import io.jvswitch.wire.overlay.GreInUdp;
import io.jvswitch.wire.overlay.Vxlan;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Prints a frame layer by layer, one line per header, the way the tutorial draws a packet before and after
 * encapsulation: outer Ethernet, IP, UDP, GRE or VXLAN, then the inner frame indented beneath its tunnel header.
 *
 * <pre>
 * Ethernet  02:00:c0:a8:01:64 &gt; 02:00:c0:a8:01:65, type IPv4 (0x0800)
 * IPv4      192.168.1.100 &gt; 192.168.1.101, proto UDP (17), ttl 64, tos 0x00 (DSCP 0, Not-ECT), ...
 * UDP       52123 &gt; 4789, length 58, checksum 0x0000 [none]
 * VXLAN     vni 5000 (0x001388), flags 0x08 [I]
 *   Ethernet  fa:16:3e:00:00:01 &gt; ff:ff:ff:ff:ff:ff, type ARP (0x0806)
 *   ARP       request who-has 10.0.0.2 tell 10.0.0.1 (fa:16:3e:00:00:01)
 * </pre>
 *
 * <p>Checksums that are present are verified and shown as {@code [correct]} or {@code [wrong, should be 0x...]}; in
 * a first fragment the upper-layer checksum covers bytes that are not there, so it is shown {@code [unverified:
 * fragment]} and the payload is counted, not opened. A malformed header ends the walk with a line naming the {@link
 * Malformed} reason. For people, not the datapath: it allocates freely. VXLAN is recognised on UDP ports 4789 and
 * 8472 (Linux's default), GRE-in-UDP on 4754.
 */
public final class Dissector {
    private static final int MAX_DEPTH = 8;

    private final List<String> lines = new ArrayList<>();

    /** The lines describing {@code frame}, an Ethernet frame. */
    public static List<String> describe(byte[] frame) {
        Dissector dissector = new Dissector();
        dissector.ethernet(MemorySegment.ofArray(frame), 0, frame.length, 0);
        return List.copyOf(dissector.lines);
    }

    /** The lines describing {@code packet}, a bare IPv4 or IPv6 packet. */
    public static List<String> describeIp(byte[] packet) {
        Dissector dissector = new Dissector();
        dissector.ip(MemorySegment.ofArray(packet), 0, packet.length, 0);
        return List.copyOf(dissector.lines);
    }

    private void line(int depth, String layer, String text) {
        lines.add("  ".repeat(depth) + String.format("%-9s %s", layer, text));
    }

    private void malformed(int depth, Malformed reason) {
        line(depth, "MALFORMED", reason.counterName() + ": " + reason.description());
    }

    private static String hex4(int value) {
        return String.format("0x%04x", value);
    }

    private static final String UNVERIFIED = " [unverified: fragment]";
    private static final String NOT_REASSEMBLED = " (first fragment, not reassembled)";

    private static String checksumStatus(int field, int expected) {
        return field == expected
                ? hex4(field) + " [correct]"
                : hex4(field) + " [wrong, should be " + hex4(expected) + "]";
    }

    /** An upper-layer checksum: verified, unless this is a first fragment, where it covers bytes that are not here. */
    private static String checksumStatus(int field, boolean firstFragment, IntSupplier expected) {
        return firstFragment ? hex4(field) + UNVERIFIED : checksumStatus(field, expected.getAsInt());
    }

    private static String typeName(int type) {
        return switch (type) {
            case Ethernet.TYPE_IPV4 -> "IPv4";
            case Ethernet.TYPE_IPV6 -> "IPv6";
            case Ethernet.TYPE_ARP -> "ARP";
            case Ethernet.TYPE_VLAN -> "802.1Q";
            case Ethernet.TYPE_QINQ -> "802.1ad";
            case Ethernet.TYPE_TEB -> "Transparent Ethernet Bridging";
            case Ethernet.TYPE_PPP -> "PPP";
            default -> type < Ethernet.MIN_ETHERTYPE ? "802.3 length" : "unknown";
        };
    }

    private void ethernet(MemorySegment segment, long at, long end, int depth) {
        if (end - at < Ethernet.HEADER_LENGTH) {
            malformed(depth, Malformed.ETHERNET_TRUNCATED);
            return;
        }
        Ethernet ethernet = new Ethernet().wrap(segment, at);
        int type = ethernet.etherType();
        line(
                depth,
                "Ethernet",
                MacAddress.format(ethernet.source()) + " > " + MacAddress.format(ethernet.destination()) + ", type "
                        + typeName(type) + " (" + hex4(type) + ")");
        long next = at + Ethernet.HEADER_LENGTH;
        int tags = 0;
        while (VlanTag.isTpid(type)) {
            if (end - next < 2 + 2 || ++tags > 2) {
                if (tags > 2) {
                    line(depth, "Payload", (end - next + 2) + " bytes after a third VLAN tag (not decoded)");
                } else {
                    malformed(depth, Malformed.VLAN_TRUNCATED);
                }
                return;
            }
            VlanTag tag = new VlanTag().wrap(segment, next - 2);
            int inner = Bytes.u16(segment, next + 2);
            line(
                    depth,
                    typeName(type),
                    "vlan " + tag.vid() + ", pcp " + tag.pcp() + (tag.dei() ? ", dei" : "") + ", type "
                            + typeName(inner) + " (" + hex4(inner) + ")");
            type = inner;
            next += VlanTag.HEADER_LENGTH;
        }
        long used = switch (type) {
            case Ethernet.TYPE_ARP -> arp(segment, next, end, depth);
            case Ethernet.TYPE_IPV4, Ethernet.TYPE_IPV6 -> ip(segment, next, end, depth);
            default -> {
                if (end > next) {
                    line(depth, "Payload", (end - next) + " bytes");
                }
                yield end;
            }
        };
        if (used >= 0 && used < end) {
            line(depth, "Padding", (end - used) + " bytes");
        }
    }

    /** Returns the end of what it decoded, or -1 after a malformed header. */
    private long arp(MemorySegment segment, long at, long end, int depth) {
        Malformed problem = Arp.validate(segment, at, end - at);
        if (problem != null) {
            malformed(depth, problem);
            return -1;
        }
        Arp arp = new Arp().wrap(segment, at);
        String sender = Ipv4Address.format(arp.senderIp());
        String target = Ipv4Address.format(arp.targetIp());
        String text = switch (arp.operation()) {
            case Arp.OP_REQUEST ->
                "request who-has " + target + " tell " + sender + " (" + MacAddress.format(arp.senderMac()) + ")";
            case Arp.OP_REPLY -> "reply " + sender + " is-at " + MacAddress.format(arp.senderMac());
            default -> "operation " + arp.operation() + ", sender " + sender + " target " + target;
        };
        line(depth, "ARP", text);
        return at + Arp.HEADER_LENGTH;
    }

    private long ip(MemorySegment segment, long at, long end, int depth) {
        if (end - at < 1) {
            malformed(depth, Malformed.IPV4_TRUNCATED);
            return -1;
        }
        return (Bytes.u8(segment, at) >>> 4) == 6 ? ipv6(segment, at, end, depth) : ipv4(segment, at, end, depth);
    }

    private static String tosText(int tos) {
        return String.format("0x%02x (DSCP %d, %s)", tos, tos >>> 2, Ecn.name(tos & 3));
    }

    private long ipv4(MemorySegment segment, long at, long end, int depth) {
        Malformed problem = Ipv4.validate(segment, at, end - at);
        if (problem != null) {
            malformed(depth, problem);
            return -1;
        }
        Ipv4 ip = new Ipv4().wrap(segment, at);
        StringBuilder flags = new StringBuilder();
        if (ip.dontFragment()) {
            flags.append(", DF");
        }
        if (ip.moreFragments()) {
            flags.append(", MF");
        }
        if (ip.fragmentOffset() != 0) {
            flags.append(", fragment offset ").append(ip.fragmentOffset());
        }
        int protocol = ip.protocol();
        line(
                depth,
                "IPv4",
                Ipv4Address.format(ip.source()) + " > " + Ipv4Address.format(ip.destination()) + ", proto "
                        + IpProtocol.name(protocol).toUpperCase(java.util.Locale.ROOT) + " (" + protocol + "), ttl "
                        + ip.ttl() + ", tos " + tosText(ip.tos()) + ", id " + hex4(ip.identification()) + flags
                        + ", length " + ip.totalLength() + ", checksum "
                        + checksumStatus(ip.checksum(), ip.computeChecksum())
                        + (ip.headerLength() > 20 ? ", options " + (ip.headerLength() - 20) + " bytes" : ""));
        long ipEnd = at + ip.totalLength();
        if (ip.fragmentOffset() != 0) {
            line(depth, "Fragment", (ipEnd - at - ip.headerLength()) + " bytes (not reassembled)");
            return ipEnd;
        }
        long pseudo = Checksum.ipv4PseudoHeader(
                ip.source(), ip.destination(), protocol, (int) (ipEnd - at - ip.headerLength()));
        upper(segment, protocol, at + ip.headerLength(), ipEnd, pseudo, false, ip.moreFragments(), depth);
        return ipEnd;
    }

    private long ipv6(MemorySegment segment, long at, long end, int depth) {
        Malformed problem = Ipv6.validate(segment, at, end - at);
        if (problem != null) {
            malformed(depth, problem);
            return -1;
        }
        Ipv6 ip = new Ipv6().wrap(segment, at);
        long ipEnd = at + Ipv6.HEADER_LENGTH + ip.payloadLength();
        Ipv6Extensions extensions = new Ipv6Extensions();
        problem = extensions.walk(segment, at, ipEnd);
        line(
                depth,
                "IPv6",
                Ipv6Address.format(segment, ip.sourceOffset()) + " > "
                        + Ipv6Address.format(segment, ip.destinationOffset()) + ", next header "
                        + IpProtocol.name(ip.nextHeader()).toUpperCase(java.util.Locale.ROOT) + " ("
                        + ip.nextHeader() + "), hop limit " + ip.hopLimit() + ", class " + tosText(ip.trafficClass())
                        + ", flow " + String.format("0x%05x", ip.flowLabel()) + ", payload " + ip.payloadLength());
        if (problem != null) {
            malformed(depth, problem);
            return -1;
        }
        if (extensions.extensionCount() > 0) {
            line(
                    depth,
                    "IPv6 ext",
                    extensions.extensionCount() + " extension header(s)"
                            + (extensions.isFragment()
                                    ? ", fragment offset " + extensions.fragmentOffset()
                                            + (extensions.moreFragments() ? ", MF" : "")
                                    : ""));
        }
        long upper = extensions.upperOffset();
        if (upper < 0) {
            if (extensions.isFragment()) {
                line(depth, "Fragment", "not reassembled");
            }
            return ipEnd;
        }
        int protocol = extensions.upperProtocol();
        long pseudo =
                Checksum.ipv6PseudoHeader(segment, ip.sourceOffset(), ip.destinationOffset(), protocol, ipEnd - upper);
        upper(segment, protocol, upper, ipEnd, pseudo, true, extensions.isFragment(), depth);
        return ipEnd;
    }

    /** {@code firstFragment}: the packet holds only the start of the upper layer (a later fragment never gets here). */
    private void upper(
            MemorySegment segment,
            int protocol,
            long at,
            long end,
            long pseudo,
            boolean ipv6,
            boolean firstFragment,
            int depth) {
        int length = (int) (end - at);
        switch (protocol) {
            case IpProtocol.UDP -> udp(segment, at, length, pseudo, ipv6, firstFragment, depth);
            case IpProtocol.TCP -> tcp(segment, at, length, pseudo, firstFragment, depth);
            case IpProtocol.ICMP -> icmp(segment, at, length, firstFragment, depth);
            case IpProtocol.ICMPV6 -> icmpv6(segment, at, length, pseudo, firstFragment, depth);
            case IpProtocol.GRE -> gre(segment, at, end, firstFragment, depth);
            default -> {
                if (length > 0) {
                    line(depth, "Payload", length + " bytes");
                }
            }
        }
    }

    private void udp(
            MemorySegment segment,
            long at,
            int available,
            long pseudo,
            boolean ipv6,
            boolean firstFragment,
            int depth) {
        Malformed problem = Udp.validate(segment, at, available);
        if (problem == Malformed.UDP_BAD_LENGTH && firstFragment && Bytes.u16(segment, at + 4) >= Udp.HEADER_LENGTH) {
            problem = null; // the length counts the whole datagram, beyond this fragment
        }
        if (problem != null) {
            malformed(depth, problem);
            return;
        }
        Udp udp = new Udp().wrap(segment, at);
        int length = udp.length();
        String checksum = udp.checksum() == 0
                ? hex4(0) + (ipv6 ? " [none: allowed for tunnels only, RFC 6935]" : " [none]")
                : checksumStatus(
                        udp.checksum(), firstFragment, () -> udp.computeChecksum(pseudo - available + length, length));
        line(
                depth,
                "UDP",
                udp.sourcePort() + " > " + udp.destinationPort() + ", length " + length + ", checksum " + checksum);
        long payload = at + Udp.HEADER_LENGTH;
        if (firstFragment) {
            line(depth, "Payload", (available - Udp.HEADER_LENGTH) + " bytes" + NOT_REASSEMBLED);
            return;
        }
        long end = at + length;
        int port = udp.destinationPort();
        if (depth < MAX_DEPTH && (port == Vxlan.PORT || port == 8472)) {
            vxlan(segment, payload, end, depth);
        } else if (depth < MAX_DEPTH && GreInUdp.isGreInUdpPort(port)) {
            gre(segment, payload, end, false, depth);
        } else if (end > payload) {
            line(depth, "Payload", (end - payload) + " bytes");
        }
    }

    private void tcp(MemorySegment segment, long at, int length, long pseudo, boolean firstFragment, int depth) {
        Malformed problem = Tcp.validate(segment, at, length);
        if (problem != null) {
            malformed(depth, problem);
            return;
        }
        Tcp tcp = new Tcp().wrap(segment, at);
        line(
                depth,
                "TCP",
                tcp.sourcePort() + " > " + tcp.destinationPort() + ", flags " + Tcp.flagNames(tcp.flags()) + ", seq "
                        + Integer.toUnsignedString(tcp.sequenceNumber()) + ", ack "
                        + Integer.toUnsignedString(tcp.acknowledgmentNumber()) + ", window " + tcp.window()
                        + ", checksum "
                        + checksumStatus(tcp.checksum(), firstFragment, () -> tcp.computeChecksum(pseudo, length)));
        int payload = length - tcp.headerLength();
        if (payload > 0) {
            line(depth, "Payload", payload + " bytes" + (firstFragment ? NOT_REASSEMBLED : ""));
        }
    }

    private void icmp(MemorySegment segment, long at, int length, boolean firstFragment, int depth) {
        Malformed problem = Icmpv4.validate(segment, at, length);
        if (problem != null) {
            malformed(depth, problem);
            return;
        }
        Icmpv4 icmp = new Icmpv4().wrap(segment, at);
        String what = switch (icmp.type()) {
            case Icmpv4.ECHO_REQUEST -> "echo request, id " + icmp.identifier() + ", seq " + icmp.sequence();
            case Icmpv4.ECHO_REPLY -> "echo reply, id " + icmp.identifier() + ", seq " + icmp.sequence();
            case Icmpv4.DESTINATION_UNREACHABLE ->
                icmp.code() == Icmpv4.CODE_FRAGMENTATION_NEEDED
                        ? "destination unreachable: fragmentation needed, next-hop MTU " + icmp.nextHopMtu()
                        : "destination unreachable, code " + icmp.code();
            case Icmpv4.TIME_EXCEEDED -> "time exceeded, code " + icmp.code();
            default -> "type " + icmp.type() + ", code " + icmp.code();
        };
        line(
                depth,
                "ICMP",
                what + ", length " + length + ", checksum "
                        + checksumStatus(icmp.checksum(), firstFragment, () -> icmp.computeChecksum(length)));
    }

    private void icmpv6(MemorySegment segment, long at, int length, long pseudo, boolean firstFragment, int depth) {
        Malformed problem = Icmpv6.validate(segment, at, length);
        if (problem != null) {
            malformed(depth, problem);
            return;
        }
        Icmpv6 icmp = new Icmpv6().wrap(segment, at);
        String what = switch (icmp.type()) {
            case Icmpv6.ECHO_REQUEST -> "echo request, id " + icmp.identifier() + ", seq " + icmp.sequence();
            case Icmpv6.ECHO_REPLY -> "echo reply, id " + icmp.identifier() + ", seq " + icmp.sequence();
            case Icmpv6.PACKET_TOO_BIG -> "packet too big, MTU " + Integer.toUnsignedString(icmp.mtu());
            case Icmpv6.NEIGHBOR_SOLICITATION -> "neighbor solicitation";
            case Icmpv6.NEIGHBOR_ADVERTISEMENT -> "neighbor advertisement";
            default -> "type " + icmp.type() + ", code " + icmp.code();
        };
        line(
                depth,
                "ICMPv6",
                what + ", length " + length + ", checksum "
                        + checksumStatus(icmp.checksum(), firstFragment, () -> icmp.computeChecksum(pseudo, length)));
    }

    private void gre(MemorySegment segment, long at, long end, boolean firstFragment, int depth) {
        int available = (int) (end - at);
        if (available < Gre.MIN_HEADER_LENGTH) {
            malformed(depth, Malformed.GRE_TRUNCATED);
            return;
        }
        if (Gre.version(segment, at) == 1) {
            greEnhanced(segment, at, available, depth);
            return;
        }
        Malformed problem = Gre.validate(segment, at, available);
        if (problem != null) {
            malformed(depth, problem);
            return;
        }
        Gre gre = new Gre().wrap(segment, at);
        int protocol = gre.protocol();
        StringBuilder text = new StringBuilder("version 0, protocol ")
                .append(hex4(protocol))
                .append(" (")
                .append(typeName(protocol))
                .append(")");
        if (gre.hasChecksum()) {
            text.append(", checksum ")
                    .append(checksumStatus(gre.checksum(), firstFragment, () -> gre.computeChecksum(available)));
        }
        if (gre.hasKey()) {
            text.append(String.format(", key 0x%08x (%d)", gre.key(), Integer.toUnsignedLong(gre.key())));
        }
        if (gre.hasSequence()) {
            text.append(", seq ").append(Integer.toUnsignedString(gre.sequence()));
        }
        line(depth, "GRE", text.toString());
        long inner = at + gre.headerLength();
        if (firstFragment) {
            line(depth + 1, "Payload", (end - inner) + " bytes" + NOT_REASSEMBLED);
            return;
        }
        if (depth >= MAX_DEPTH) {
            return;
        }
        switch (protocol) {
            case Gre.PROTOCOL_TEB -> ethernet(segment, inner, end, depth + 1);
            case Gre.PROTOCOL_IPV4, Gre.PROTOCOL_IPV6 -> ip(segment, inner, end, depth + 1);
            default -> line(depth + 1, "Payload", (end - inner) + " bytes");
        }
    }

    private void greEnhanced(MemorySegment segment, long at, int available, int depth) {
        Malformed problem = GreEnhanced.validate(segment, at, available);
        if (problem != null) {
            malformed(depth, problem);
            return;
        }
        GreEnhanced gre = new GreEnhanced().wrap(segment, at);
        StringBuilder text = new StringBuilder("version 1 (enhanced, PPTP), protocol ")
                .append(hex4(gre.protocol()))
                .append(" (PPP), payload length ")
                .append(gre.payloadLength())
                .append(", call id ")
                .append(gre.callId());
        if (gre.hasSequence()) {
            text.append(", seq ").append(Integer.toUnsignedString(gre.sequence()));
        }
        if (gre.hasAcknowledgment()) {
            text.append(", ack ").append(Integer.toUnsignedString(gre.acknowledgment()));
        }
        line(depth, "GRE", text.toString());
        int payload = available - gre.headerLength();
        if (payload > 0) {
            line(depth + 1, "PPP", payload + " bytes (not decoded)");
        }
    }

    private void vxlan(MemorySegment segment, long at, long end, int depth) {
        Malformed problem = Vxlan.validate(segment, at, end - at);
        if (problem != null) {
            malformed(depth, problem);
            return;
        }
        Vxlan vxlan = new Vxlan().wrap(segment, at);
        line(
                depth,
                "VXLAN",
                String.format("vni %d (0x%06x), flags 0x%02x [I]", vxlan.vni(), vxlan.vni(), vxlan.flags())
                        + (vxlan.reservedBitsSet() ? ", reserved bits set (ignored, RFC 7348)" : ""));
        ethernet(segment, at + Vxlan.HEADER_LENGTH, end, depth + 1);
    }
}
