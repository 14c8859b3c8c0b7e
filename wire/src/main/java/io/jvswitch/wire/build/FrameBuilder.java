package io.jvswitch.wire.build;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l2.Ethernet;
import io.jvswitch.wire.l2.VlanTag;
import io.jvswitch.wire.l3.Icmpv4;
import io.jvswitch.wire.l3.Icmpv6;
import io.jvswitch.wire.l3.IpProtocol;
import io.jvswitch.wire.l3.Ipv4;
import io.jvswitch.wire.l3.Ipv6;
import io.jvswitch.wire.l4.Tcp;
import io.jvswitch.wire.l4.Udp;
import java.lang.foreign.MemorySegment;

/**
 * Composes well-formed frames — ARP, ICMP and ICMPv6 echo, UDP, TCP over IPv4 or IPv6, optionally VLAN-tagged — with
 * every length and checksum right. For the control path: tests, the CLI, the lab's guests. Not for the datapath (it
 * allocates).
 *
 * <pre>{@code
 * byte[] request = new FrameBuilder()
 *         .ethernet(MacAddress.parse("fa:16:3e:00:00:01"), MacAddress.BROADCAST)
 *         .arp(Arp.OP_REQUEST, MacAddress.parse("fa:16:3e:00:00:01"), ip("10.0.0.1"), 0, ip("10.0.0.2"))
 *         .build();
 * }</pre>
 */
public final class FrameBuilder {
    private enum L3 {
        NONE,
        ARP,
        IPV4,
        IPV6
    }

    private enum L4 {
        NONE,
        /** ICMP echo over IPv4, ICMPv6 echo over IPv6: decided when the frame is built. */
        ICMP_ECHO,
        UDP,
        TCP
    }

    private long sourceMac = 0xfa163e000001L;
    private long destinationMac = MacAddress.BROADCAST;
    private int vlanTci = -1;
    private L3 l3 = L3.NONE;
    private int arpOperation;
    private long arpSenderMac;
    private int arpSenderIp;
    private long arpTargetMac;
    private int arpTargetIp;
    private int ipv4Source;
    private int ipv4Destination;
    private byte[] ipv6Source;
    private byte[] ipv6Destination;
    private int tos;
    private int ttl = 64;
    private boolean dontFragment = true;
    private int identification;
    private L4 l4 = L4.NONE;
    private boolean echoRequest;
    private int echoIdentifier;
    private int echoSequence;
    private int sourcePort;
    private int destinationPort;
    private int tcpFlags;
    private int etherType = -1;
    private byte[] payload = new byte[0];

    public FrameBuilder ethernet(long source, long destination) {
        this.sourceMac = source;
        this.destinationMac = destination;
        return this;
    }

    /** Adds an 802.1Q tag with this VLAN ID and priority 0. */
    public FrameBuilder vlan(int vid) {
        this.vlanTci = VlanTag.tci(0, false, vid);
        return this;
    }

    /** An Ethernet/IPv4 ARP packet. */
    public FrameBuilder arp(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        this.l3 = L3.ARP;
        this.arpOperation = operation;
        this.arpSenderMac = senderMac;
        this.arpSenderIp = senderIp;
        this.arpTargetMac = targetMac;
        this.arpTargetIp = targetIp;
        return this;
    }

    public FrameBuilder ipv4(int source, int destination) {
        this.l3 = L3.IPV4;
        this.ipv4Source = source;
        this.ipv4Destination = destination;
        return this;
    }

    public FrameBuilder ipv6(byte[] source, byte[] destination) {
        this.l3 = L3.IPV6;
        this.ipv6Source = source.clone();
        this.ipv6Destination = destination.clone();
        return this;
    }

    /** The ToS or traffic class byte (DSCP and ECN). */
    public FrameBuilder tos(int tos) {
        this.tos = tos;
        return this;
    }

    /** TTL or hop limit. */
    public FrameBuilder ttl(int ttl) {
        this.ttl = ttl;
        return this;
    }

    public FrameBuilder dontFragment(boolean dontFragment) {
        this.dontFragment = dontFragment;
        return this;
    }

    public FrameBuilder identification(int identification) {
        this.identification = identification;
        return this;
    }

    /** ICMP echo request or reply (ICMPv6 when the packet is IPv6, whether {@link #ipv6} is called before or after). */
    public FrameBuilder icmpEcho(boolean request, int identifier, int sequence) {
        this.l4 = L4.ICMP_ECHO;
        this.echoRequest = request;
        this.echoIdentifier = identifier;
        this.echoSequence = sequence;
        return this;
    }

    public FrameBuilder udp(int sourcePort, int destinationPort) {
        this.l4 = L4.UDP;
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        return this;
    }

    public FrameBuilder tcp(int sourcePort, int destinationPort, int flags) {
        this.l4 = L4.TCP;
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.tcpFlags = flags;
        return this;
    }

    /** A frame of this EtherType whose payload is {@link #payload} alone (no L3 header is built). */
    public FrameBuilder etherType(int etherType) {
        this.l3 = L3.NONE;
        this.etherType = etherType;
        return this;
    }

    /** The bytes after the last header. */
    public FrameBuilder payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    /** The whole Ethernet frame. */
    public byte[] build() {
        int l2Length = Ethernet.HEADER_LENGTH + (vlanTci >= 0 ? VlanTag.HEADER_LENGTH : 0);
        byte[] l3Bytes = buildL3();
        byte[] frame = new byte[l2Length + l3Bytes.length];
        MemorySegment segment = MemorySegment.ofArray(frame);
        int type = switch (l3) {
            case ARP -> Ethernet.TYPE_ARP;
            case IPV4 -> Ethernet.TYPE_IPV4;
            case IPV6 -> Ethernet.TYPE_IPV6;
            case NONE -> etherType < 0 ? 0x88b5 : etherType; // 0x88b5: IEEE local experimental
        };
        boolean tagged = vlanTci >= 0;
        new Ethernet().wrap(segment, 0).write(destinationMac, sourceMac, tagged ? Ethernet.TYPE_VLAN : type);
        if (tagged) {
            new VlanTag().wrap(segment, 12).write(Ethernet.TYPE_VLAN, vlanTci);
            Bytes.u16(segment, 12 + VlanTag.HEADER_LENGTH, type); // the EtherType after the tag
        }
        System.arraycopy(l3Bytes, 0, frame, l2Length, l3Bytes.length);
        return frame;
    }

    /** The packet without its Ethernet header: what an L3 tunnel carries. */
    public byte[] buildL3() {
        return switch (l3) {
            case NONE -> payload.clone();
            case ARP -> arpBytes();
            case IPV4 -> ipv4Bytes();
            case IPV6 -> ipv6Bytes();
        };
    }

    private byte[] arpBytes() {
        byte[] bytes = new byte[Arp.HEADER_LENGTH];
        new Arp()
                .wrap(MemorySegment.ofArray(bytes), 0)
                .write(arpOperation, arpSenderMac, arpSenderIp, arpTargetMac, arpTargetIp);
        return bytes;
    }

    private int l4Protocol() {
        return switch (l4) {
            case ICMP_ECHO -> l3 == L3.IPV6 ? IpProtocol.ICMPV6 : IpProtocol.ICMP;
            case UDP -> IpProtocol.UDP;
            case TCP -> IpProtocol.TCP;
            case NONE -> IpProtocol.NO_NEXT_HEADER;
        };
    }

    private int l4HeaderLength() {
        return switch (l4) {
            case ICMP_ECHO, UDP -> 8;
            case TCP -> Tcp.MIN_HEADER_LENGTH;
            case NONE -> 0;
        };
    }

    private byte[] ipv4Bytes() {
        int l4Length = l4HeaderLength() + payload.length;
        byte[] bytes = new byte[Ipv4.MIN_HEADER_LENGTH + l4Length];
        MemorySegment segment = MemorySegment.ofArray(bytes);
        int protocol = l4Protocol();
        new Ipv4()
                .wrap(segment, 0)
                .writeHeader(
                        tos, bytes.length, identification, dontFragment, ttl, protocol, ipv4Source, ipv4Destination)
                .updateChecksum();
        long pseudo = Checksum.ipv4PseudoHeader(ipv4Source, ipv4Destination, protocol, l4Length);
        writeL4(segment, Ipv4.MIN_HEADER_LENGTH, l4Length, pseudo);
        return bytes;
    }

    private byte[] ipv6Bytes() {
        int l4Length = l4HeaderLength() + payload.length;
        byte[] bytes = new byte[Ipv6.HEADER_LENGTH + l4Length];
        MemorySegment segment = MemorySegment.ofArray(bytes);
        int protocol = l4Protocol();
        Ipv6 ip = new Ipv6().wrap(segment, 0);
        ip.writeHeader(tos, 0, l4Length, protocol, ttl);
        ip.source(ipv6Source).destination(ipv6Destination);
        long pseudo = Checksum.ipv6PseudoHeader(segment, 8, 24, protocol, l4Length);
        writeL4(segment, Ipv6.HEADER_LENGTH, l4Length, pseudo);
        return bytes;
    }

    private void writeL4(MemorySegment segment, int at, int length, long pseudo) {
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, segment, at + l4HeaderLength(), payload.length);
        switch (l4) {
            case ICMP_ECHO -> {
                if (l3 == L3.IPV6) {
                    new Icmpv6()
                            .wrap(segment, at)
                            .type(echoRequest ? Icmpv6.ECHO_REQUEST : Icmpv6.ECHO_REPLY)
                            .code(0)
                            .identifier(echoIdentifier)
                            .sequence(echoSequence)
                            .updateChecksum(pseudo, length);
                } else {
                    new Icmpv4()
                            .wrap(segment, at)
                            .type(echoRequest ? Icmpv4.ECHO_REQUEST : Icmpv4.ECHO_REPLY)
                            .code(0)
                            .identifier(echoIdentifier)
                            .sequence(echoSequence)
                            .updateChecksum(length);
                }
            }
            case UDP ->
                new Udp()
                        .wrap(segment, at)
                        .write(sourcePort, destinationPort, length, 0)
                        .updateChecksum(pseudo, length);
            case TCP ->
                new Tcp()
                        .wrap(segment, at)
                        .sourcePort(sourcePort)
                        .destinationPort(destinationPort)
                        .sequenceNumber(1)
                        .acknowledgmentNumber((tcpFlags & Tcp.ACK) != 0 ? 1 : 0)
                        .headerLength(Tcp.MIN_HEADER_LENGTH)
                        .flags(tcpFlags)
                        .window(65535)
                        .updateChecksum(pseudo, length);
            case NONE -> {}
        }
    }
}
