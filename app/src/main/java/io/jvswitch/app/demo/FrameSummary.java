package io.jvswitch.app.demo;

import io.jvswitch.tunnel.TunnelMetadata;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.tunnel.decap.Decapsulator;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.PacketParser;
import io.jvswitch.wire.ParsedPacket;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l2.Ethernet;
import io.jvswitch.wire.l3.IpProtocol;
import java.lang.foreign.MemorySegment;

/**
 * One line for a frame, as the demo narrates: {@code ARP who-has 10.0.0.2 tell 10.0.0.1}, {@code ICMP echo request
 * 10.0.0.1 > 10.0.0.2 seq 1}, and for an underlay frame the tunnel around it: {@code 192.168.1.100 > 192.168.1.101
 * GRE key 0x1388: ARP who-has 10.0.0.2 tell 10.0.0.1}.
 */
public final class FrameSummary {
    private final PacketParser parser = new PacketParser(false);
    private final ParsedPacket parsed = new ParsedPacket();
    private final Decapsulator decapsulator = new Decapsulator(new int[] {4789}, new int[] {4754}, false);
    private final TunnelMetadata tunnel = new TunnelMetadata();

    /** An underlay frame: its tunnel, then what it carries. */
    public String underlay(byte[] frame) {
        MemorySegment segment = MemorySegment.ofArray(frame.clone());
        if (decapsulator.decapsulate(segment, 0, frame.length, tunnel) != null) {
            return inner(frame);
        }
        String kind = tunnel.type() == TunnelType.VXLAN
                ? "VXLAN vni " + tunnel.key()
                : tunnel.type().name().replace("_", "-")
                        + (tunnel.has(TunnelMetadata.FLAG_KEY) ? " key 0x" + Long.toHexString(tunnel.key()) : "");
        String what = tunnel.innerProtocol() == Ethernet.TYPE_TEB
                ? frame(segment, tunnel.innerOffset(), tunnel.innerLength())
                : ipPacket(segment, tunnel.innerOffset(), tunnel.innerLength());
        return tunnel.sourceText() + " > " + tunnel.destinationText() + "  " + kind + " (" + frame.length + " bytes): "
                + what;
    }

    /** A guest's frame. */
    public String inner(byte[] frame) {
        return frame(MemorySegment.ofArray(frame), 0, frame.length);
    }

    private String frame(MemorySegment segment, long start, int length) {
        if (parser.parse(segment, start, length, parsed) != null && parsed.l3Offset() < 0) {
            return "a malformed frame";
        }
        String vlan = parsed.vlanCount() > 0 ? "VLAN " + (parsed.vlanTci(0) & 0xfff) + " " : "";
        if (parsed.etherType() == Ethernet.TYPE_ARP && parsed.l3Offset() >= 0) {
            Arp arp = new Arp().wrap(segment, parsed.l3Offset());
            return vlan
                    + (arp.operation() == Arp.OP_REQUEST
                            ? "ARP who-has " + Ipv4Address.format(arp.targetIp()) + " tell "
                                    + Ipv4Address.format(arp.senderIp())
                            : "ARP " + Ipv4Address.format(arp.senderIp()) + " is-at "
                                    + MacAddress.format(arp.senderMac()));
        }
        if (parsed.ipVersion() == 4) {
            return vlan + ip(segment, parsed);
        }
        if (parsed.ipVersion() == 6) {
            long ip = parsed.l3Offset();
            String addresses = Ipv6Address.format(segment, ip + 8) + " > " + Ipv6Address.format(segment, ip + 24);
            return vlan + IpProtocol.name(parsed.ipProtocol()).toUpperCase(java.util.Locale.ROOT) + " " + addresses;
        }
        return vlan + "EtherType 0x" + Integer.toHexString(parsed.etherType()) + " from "
                + MacAddress.format(Bytes.mac(segment, start + 6));
    }

    private String ipPacket(MemorySegment segment, long start, int length) {
        if (parser.parseIp(segment, start, length, parsed) != null && parsed.l3Offset() < 0) {
            return "a malformed IP packet";
        }
        return ip(segment, parsed);
    }

    private static String ip(MemorySegment segment, ParsedPacket packet) {
        long ip = packet.l3Offset();
        String addresses = Ipv4Address.format(Bytes.u32(segment, ip + 12)) + " > "
                + Ipv4Address.format(Bytes.u32(segment, ip + 16));
        long l4 = packet.l4Offset();
        if (packet.ipProtocol() == IpProtocol.ICMP && l4 >= 0) {
            int type = Bytes.u8(segment, l4);
            int sequence = Bytes.u16(segment, l4 + 6);
            String kind = type == 8 ? "echo request" : type == 0 ? "echo reply" : "type " + type;
            return "ICMP " + kind + " " + addresses + (type == 8 || type == 0 ? " seq " + sequence : "");
        }
        if (packet.ipProtocol() == IpProtocol.UDP && l4 >= 0) {
            return "UDP " + addresses + " port " + Bytes.u16(segment, l4 + 2);
        }
        return IpProtocol.name(packet.ipProtocol()).toUpperCase(java.util.Locale.ROOT) + " " + addresses;
    }
}
