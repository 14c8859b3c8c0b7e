package io.jvswitch.tunnel.decap;

import io.jvswitch.tunnel.EcnPropagation;
import io.jvswitch.tunnel.TunnelMetadata;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.PacketParser;
import io.jvswitch.wire.ParsedPacket;
import io.jvswitch.wire.l2.Ethernet;
import io.jvswitch.wire.l3.IpProtocol;
import io.jvswitch.wire.l3.Ipv6;
import io.jvswitch.wire.l4.Udp;
import io.jvswitch.wire.overlay.Gre;
import io.jvswitch.wire.overlay.Vxlan;
import java.lang.foreign.MemorySegment;

/**
 * Pops the outer headers of a GRE, VXLAN or GRE-in-UDP packet: checks them, reports the tunnel metadata and where
 * the inner packet is, and applies RFC 6040's ECN rules to the inner packet.
 *
 * <p>Checks made: every length (Ethernet, IP, UDP, GRE, VXLAN, the inner frame), the IP and GRE versions, the
 * outer IPv4 header checksum, a GRE checksum when the C bit is set, a UDP checksum when it is not zero, GRE reserved
 * bits (RFC 2784), the VXLAN I flag. VXLAN reserved bits are ignored and counted, as RFC 7348 asks, unless strict
 * mode drops them. Outer fragments are dropped: tunnel packets are not reassembled.
 *
 * <p>Every rejection is a {@link Malformed} reason and is counted ({@link #dropped}). Nothing throws; nothing is
 * allocated per packet. One instance per thread.
 */
public final class Decapsulator {
    private static final byte NOT_TUNNEL = 0;
    private static final byte VXLAN = 1;
    private static final byte GRE_IN_UDP = 2;

    private final byte[] udpPorts = new byte[65536];
    private final boolean strictVxlanReserved;
    private final PacketParser parser = new PacketParser(true);
    private final ParsedPacket outer = new ParsedPacket();
    private final Gre gre = new Gre();
    private final Vxlan vxlan = new Vxlan();
    private final long[] drops = new long[Malformed.values().length];
    private long vxlanReservedIgnored;
    private long ecnUnexpected;

    /** A decapsulator for VXLAN on 4789 and GRE-in-UDP on 4754 that ignores VXLAN reserved bits. */
    public Decapsulator() {
        this(new int[] {TunnelType.VXLAN.defaultPort()}, new int[] {TunnelType.GRE_UDP.defaultPort()}, false);
    }

    /**
     * @param vxlanPorts UDP destination ports that carry VXLAN
     * @param greInUdpPorts UDP destination ports that carry GRE-in-UDP
     * @param strictVxlanReserved drop VXLAN packets whose reserved bits are set, instead of ignoring them
     */
    public Decapsulator(int[] vxlanPorts, int[] greInUdpPorts, boolean strictVxlanReserved) {
        for (int port : vxlanPorts) {
            udpPorts[port] = VXLAN;
        }
        for (int port : greInUdpPorts) {
            udpPorts[port] = GRE_IN_UDP;
        }
        this.strictVxlanReserved = strictVxlanReserved;
    }

    /**
     * Decapsulates in place: on success the buffer holds the inner packet (an Ethernet frame, or an IP packet when
     * {@link TunnelMetadata#innerProtocol()} says so); on failure it is unchanged.
     *
     * @return null on success, else the reason for the drop (also counted)
     */
    public Malformed decapsulate(PacketBuffer packet, TunnelMetadata metadata) {
        Malformed problem = decapsulate(packet.memory(), packet.start(), packet.length(), metadata);
        if (problem == null) {
            packet.stripFront(metadata.innerOffset() - packet.start());
            packet.length(metadata.innerLength());
        }
        return problem;
    }

    /**
     * Checks the outer headers of the frame at {@code start} and fills {@code metadata}. The inner packet's ECN field
     * is rewritten in place when RFC 6040 says so; nothing else is modified.
     *
     * @return null on success, else the reason for the drop (also counted)
     */
    public Malformed decapsulate(MemorySegment segment, long start, int length, TunnelMetadata metadata) {
        if (popFast(segment, start, length, metadata)) {
            return null;
        }
        Malformed problem = pop(segment, start, length, metadata);
        if (problem != null) {
            drops[problem.ordinal()]++;
        }
        return problem;
    }

    /**
     * The general path alone, for tests that hold the fast path against it.
     *
     * @return null on success, else the reason (not counted)
     */
    Malformed decapsulateGeneral(MemorySegment segment, long start, int length, TunnelMetadata metadata) {
        return pop(segment, start, length, metadata);
    }

    /**
     * The fast path: an untagged IPv4 packet without options, not a fragment, carrying VXLAN or GRE whose every
     * check passes, read in straight-line code with wide loads. Anything else — any anomaly at all, VXLAN reserved
     * bits, GRE-in-UDP, IPv6, VLAN tags — returns false before {@code metadata} or the packet is touched, and the
     * general path decides, so both paths always agree on what is dropped and why.
     */
    private boolean popFast(MemorySegment segment, long start, int length, TunnelMetadata metadata) {
        if (length < Ethernet.HEADER_LENGTH + 20 + 8) {
            return false;
        }
        long ip = start + Ethernet.HEADER_LENGTH;
        int word0 = Bytes.u32(segment, ip);
        if ((Bytes.u16(segment, start + 12)) != Ethernet.TYPE_IPV4 || (word0 >>> 16) >>> 8 != 0x45) {
            return false;
        }
        int totalLength = word0 & 0xffff;
        int word1 = Bytes.u32(segment, ip + 4);
        int word2 = Bytes.u32(segment, ip + 8);
        long addresses = Bytes.u64(segment, ip + 12);
        long addressSum = (addresses >>> 48)
                + ((addresses >>> 32) & 0xffff)
                + ((addresses >>> 16) & 0xffff)
                + (addresses & 0xffff);
        long sum = (word0 >>> 16)
                + (word0 & 0xffff)
                + (word1 >>> 16)
                + (word1 & 0xffff)
                + (word2 >>> 16)
                + (word2 & 0xffff)
                + addressSum;
        if (totalLength < 28
                || totalLength > length - Ethernet.HEADER_LENGTH
                || Checksum.fold(sum) != 0xffff
                || (word1 & 0x3fff) != 0) {
            return false;
        }
        int protocol = (word2 >>> 16) & 0xff;
        long l4 = ip + 20;
        int l4Length = totalLength - 20;
        int tos = (word0 >>> 16) & 0xff;
        int ttl = word2 >>> 24;
        int flags = (word1 & 0x4000) != 0 ? TunnelMetadata.FLAG_DONT_FRAGMENT : 0;
        if (protocol == IpProtocol.UDP) {
            int ports = Bytes.u32(segment, l4);
            int lengthAndChecksum = Bytes.u32(segment, l4 + 4);
            int udpLength = lengthAndChecksum >>> 16;
            if (udpPorts[ports & 0xffff] != VXLAN
                    || udpLength < Udp.HEADER_LENGTH + Vxlan.HEADER_LENGTH + Ethernet.HEADER_LENGTH
                    || udpLength > l4Length) {
                return false;
            }
            if ((lengthAndChecksum & 0xffff) != 0) {
                long pseudo = addressSum + IpProtocol.UDP + udpLength;
                if (!Checksum.verifies(segment, l4, udpLength, pseudo)) {
                    return false;
                }
                flags |= TunnelMetadata.FLAG_CHECKSUM;
            }
            long vxlanHeader = Bytes.u64(segment, l4 + Udp.HEADER_LENGTH);
            if ((vxlanHeader & 0xffffffff_000000ffL) != 0x08000000_00000000L) {
                return false; // I flag clear or reserved bits set
            }
            int outerEcn = tos & 3;
            long inner = l4 + Udp.HEADER_LENGTH + Vxlan.HEADER_LENGTH;
            int innerLength = udpLength - Udp.HEADER_LENGTH - Vxlan.HEADER_LENGTH;
            if (outerEcn != EcnPropagation.NOT_ECT) {
                return false; // RFC 6040's table may rewrite or drop: the general path applies it
            }
            metadata.set(
                    TunnelType.VXLAN, 4, (vxlanHeader >>> 8) & 0xffffff, tos, ttl, flags | TunnelMetadata.FLAG_KEY);
            metadata.ipv4((int) (addresses >>> 32), (int) addresses);
            metadata.ports(ports >>> 16, ports & 0xffff);
            metadata.sequence(0);
            metadata.inner(Gre.PROTOCOL_TEB, (int) inner, innerLength);
            return true;
        }
        if (protocol == IpProtocol.GRE) {
            int greWord = Bytes.u32(segment, l4);
            int greFlags = greWord >>> 16;
            int greProtocol = greWord & 0xffff;
            if ((greFlags & (Gre.DISCARD_MASK | Gre.VERSION_MASK)) != 0 || greProtocol != Gre.PROTOCOL_TEB) {
                return false;
            }
            boolean checksum = (greFlags & Gre.FLAG_CHECKSUM) != 0;
            boolean hasKey = (greFlags & Gre.FLAG_KEY) != 0;
            boolean hasSequence = (greFlags & Gre.FLAG_SEQUENCE) != 0;
            int headerLength = Gre.headerLength(checksum, hasKey, hasSequence);
            int innerLength = l4Length - headerLength;
            if (innerLength < Ethernet.HEADER_LENGTH || (tos & 3) != EcnPropagation.NOT_ECT) {
                return false;
            }
            if (checksum) {
                if (!Checksum.verifies(segment, l4, l4Length, 0)) {
                    return false;
                }
                flags |= TunnelMetadata.FLAG_CHECKSUM;
            }
            long at = l4 + Gre.MIN_HEADER_LENGTH + (checksum ? 4 : 0);
            long key = 0;
            if (hasKey) {
                key = Integer.toUnsignedLong(Bytes.u32(segment, at));
                flags |= TunnelMetadata.FLAG_KEY;
                at += 4;
            }
            int sequence = 0;
            if (hasSequence) {
                sequence = Bytes.u32(segment, at);
                flags |= TunnelMetadata.FLAG_SEQUENCE;
            }
            metadata.set(TunnelType.GRE, 4, key, tos, ttl, flags);
            metadata.ipv4((int) (addresses >>> 32), (int) addresses);
            metadata.ports(0, 0);
            metadata.sequence(sequence);
            metadata.inner(greProtocol, (int) (l4 + headerLength), innerLength);
            return true;
        }
        return false;
    }

    private Malformed pop(MemorySegment segment, long start, int length, TunnelMetadata metadata) {
        Malformed problem = parser.parse(segment, start, length, outer);
        if (problem != null) {
            return problem;
        }
        if (outer.ipVersion() == 0) {
            return Malformed.NOT_A_TUNNEL;
        }
        if (outer.isFragment()) {
            return Malformed.IP_FRAGMENT;
        }
        long ip = outer.l3Offset();
        long l4 = outer.l4Offset();
        int tos;
        int ttl;
        int flags = 0;
        if (outer.ipVersion() == 4) {
            tos = Bytes.u8(segment, ip + 1);
            ttl = Bytes.u8(segment, ip + 8);
            if ((Bytes.u16(segment, ip + 6) & 0x4000) != 0) {
                flags |= TunnelMetadata.FLAG_DONT_FRAGMENT;
            }
            metadata.ipv4(Bytes.u32(segment, ip + 12), Bytes.u32(segment, ip + 16));
        } else {
            tos = (Bytes.u16(segment, ip) >>> 4) & 0xff;
            ttl = Bytes.u8(segment, ip + 7);
            metadata.ipv6(
                    Bytes.u64(segment, ip + 8),
                    Bytes.u64(segment, ip + 16),
                    Bytes.u64(segment, ip + 24),
                    Bytes.u64(segment, ip + 32));
        }
        if (l4 < 0) {
            return Malformed.NOT_A_TUNNEL;
        }
        int protocol = outer.ipProtocol();
        if (protocol == IpProtocol.GRE) {
            metadata.ports(0, 0);
            return popGre(segment, l4, outer.l4Length(), TunnelType.GRE, tos, ttl, flags, metadata);
        }
        if (protocol != IpProtocol.UDP) {
            return Malformed.NOT_A_TUNNEL;
        }
        int destinationPort = Bytes.u16(segment, l4 + 2);
        byte kind = udpPorts[destinationPort];
        if (kind == NOT_TUNNEL) {
            return Malformed.NOT_A_TUNNEL;
        }
        int udpLength = Bytes.u16(segment, l4 + 4);
        int udpChecksum = Bytes.u16(segment, l4 + 6);
        if (udpChecksum != 0) {
            long pseudo = outer.ipVersion() == 4
                    ? Checksum.ipv4PseudoHeader(
                            Bytes.u32(segment, ip + 12), Bytes.u32(segment, ip + 16), IpProtocol.UDP, udpLength)
                    : Checksum.ipv6PseudoHeader(segment, ip + 8, ip + 24, IpProtocol.UDP, udpLength);
            if (!Checksum.verifies(segment, l4, udpLength, pseudo)) {
                return Malformed.UDP_BAD_CHECKSUM;
            }
            flags |= TunnelMetadata.FLAG_CHECKSUM;
        }
        metadata.ports(Bytes.u16(segment, l4), destinationPort);
        long payload = l4 + Udp.HEADER_LENGTH;
        int payloadLength = udpLength - Udp.HEADER_LENGTH;
        if (kind == GRE_IN_UDP) {
            return popGre(segment, payload, payloadLength, TunnelType.GRE_UDP, tos, ttl, flags, metadata);
        }
        return popVxlan(segment, payload, payloadLength, tos, ttl, flags, metadata);
    }

    private Malformed popVxlan(
            MemorySegment segment, long at, int available, int tos, int ttl, int flags, TunnelMetadata metadata) {
        Malformed problem = Vxlan.validate(segment, at, available);
        if (problem != null) {
            return problem;
        }
        vxlan.wrap(segment, at);
        if (vxlan.reservedBitsSet()) {
            if (strictVxlanReserved) {
                return Malformed.VXLAN_RESERVED_BITS;
            }
            vxlanReservedIgnored++;
            flags |= TunnelMetadata.FLAG_VXLAN_RESERVED;
        }
        flags |= TunnelMetadata.FLAG_KEY;
        long inner = at + Vxlan.HEADER_LENGTH;
        int innerLength = available - Vxlan.HEADER_LENGTH;
        if (innerLength < Ethernet.HEADER_LENGTH) {
            return Malformed.ETHERNET_TRUNCATED;
        }
        metadata.set(TunnelType.VXLAN, outer.ipVersion(), vxlan.vni(), tos, ttl, flags);
        metadata.sequence(0);
        metadata.inner(Gre.PROTOCOL_TEB, (int) inner, innerLength);
        return applyEcn(segment, tos, metadata);
    }

    private Malformed popGre(
            MemorySegment segment,
            long at,
            int available,
            TunnelType type,
            int tos,
            int ttl,
            int flags,
            TunnelMetadata metadata) {
        if (available < Gre.MIN_HEADER_LENGTH) {
            return Malformed.GRE_TRUNCATED;
        }
        if (Gre.version(segment, at) == 1) {
            // Enhanced GRE carries PPTP's PPP frames: recognised (and decoded by `jvs decode`), never a tunnel port's.
            return Malformed.GRE_V1_NOT_TUNNELED;
        }
        Malformed problem = Gre.validate(segment, at, available);
        if (problem != null) {
            return problem;
        }
        gre.wrap(segment, at);
        if (gre.hasChecksum()) {
            if (!gre.checksumValid(available)) {
                return Malformed.GRE_BAD_CHECKSUM;
            }
            flags |= TunnelMetadata.FLAG_CHECKSUM;
        }
        int protocol = gre.protocol();
        if (protocol != Gre.PROTOCOL_TEB && protocol != Gre.PROTOCOL_IPV4 && protocol != Gre.PROTOCOL_IPV6) {
            return Malformed.GRE_UNKNOWN_PROTOCOL;
        }
        long key = 0;
        if (gre.hasKey()) {
            key = Integer.toUnsignedLong(gre.key());
            flags |= TunnelMetadata.FLAG_KEY;
        }
        if (gre.hasSequence()) {
            flags |= TunnelMetadata.FLAG_SEQUENCE;
            metadata.sequence(gre.sequence());
        } else {
            metadata.sequence(0);
        }
        int headerLength = gre.headerLength();
        long inner = at + headerLength;
        int innerLength = available - headerLength;
        if (protocol == Gre.PROTOCOL_TEB && innerLength < Ethernet.HEADER_LENGTH) {
            return Malformed.ETHERNET_TRUNCATED;
        }
        if (protocol != Gre.PROTOCOL_TEB && innerLength < 1) {
            return protocol == Gre.PROTOCOL_IPV4 ? Malformed.IPV4_TRUNCATED : Malformed.IPV6_TRUNCATED;
        }
        metadata.set(type, outer.ipVersion(), key, tos, ttl, flags);
        metadata.inner(protocol, (int) inner, innerLength);
        return applyEcn(segment, tos, metadata);
    }

    /** RFC 6040 decapsulation: fold the outer ECN field into the inner IP header, or drop CE over Not-ECT. */
    private Malformed applyEcn(MemorySegment segment, int outerTos, TunnelMetadata metadata) {
        long ip = innerIpOffset(segment, metadata);
        int outerEcn = outerTos & 3;
        int version = ip < 0 ? 0 : Bytes.u8(segment, ip) >>> 4;
        if (version == 4 && metadata.innerOffset() + metadata.innerLength() - ip >= 20) {
            int tos = Bytes.u8(segment, ip + 1);
            int ecn = EcnPropagation.decapsulate(tos & 3, outerEcn);
            if (EcnPropagation.isUnexpected(tos & 3, outerEcn)) {
                ecnUnexpected++;
            }
            if (ecn == EcnPropagation.DROP) {
                return Malformed.ECN_CE_ON_NOT_ECT;
            }
            if (ecn != (tos & 3)) {
                int oldWord = Bytes.u16(segment, ip);
                Bytes.u8(segment, ip + 1, (tos & 0xfc) | ecn);
                int checksum = Bytes.u16(segment, ip + 10);
                Bytes.u16(segment, ip + 10, Checksum.update16(checksum, oldWord, Bytes.u16(segment, ip)));
            }
        } else if (version == 6 && metadata.innerOffset() + metadata.innerLength() - ip >= Ipv6.HEADER_LENGTH) {
            int word = Bytes.u16(segment, ip);
            int inner = (word >>> 4) & 3;
            int ecn = EcnPropagation.decapsulate(inner, outerEcn);
            if (EcnPropagation.isUnexpected(inner, outerEcn)) {
                ecnUnexpected++;
            }
            if (ecn == EcnPropagation.DROP) {
                return Malformed.ECN_CE_ON_NOT_ECT;
            }
            Bytes.u16(segment, ip, (word & ~0x30) | (ecn << 4));
        } else if (outerEcn != EcnPropagation.NOT_ECT) {
            // A non-IP inner packet (ARP, say) has no ECN field and no transport to slow down; like Linux, forward
            // it, and count the marking that should not have happened (its outer header was sent Not-ECT).
            ecnUnexpected++;
        }
        return null;
    }

    /** Offset of the inner IP header (after an inner Ethernet header and up to two tags), or -1 when not IP. */
    private static long innerIpOffset(MemorySegment segment, TunnelMetadata metadata) {
        long at = metadata.innerOffset();
        long end = at + metadata.innerLength();
        if (metadata.innerProtocol() != Gre.PROTOCOL_TEB) {
            return at;
        }
        long typeAt = at + 12;
        int type = Bytes.u16(segment, typeAt);
        for (int tags = 0; tags < 2 && (type == Ethernet.TYPE_VLAN || type == Ethernet.TYPE_QINQ); tags++) {
            if (typeAt + 6 > end) {
                return -1;
            }
            typeAt += 4;
            type = Bytes.u16(segment, typeAt);
        }
        boolean ip = type == Ethernet.TYPE_IPV4 || type == Ethernet.TYPE_IPV6;
        return ip && typeAt + 2 < end ? typeAt + 2 : -1;
    }

    /** Packets dropped for {@code reason} since this decapsulator was made. */
    public long dropped(Malformed reason) {
        return drops[reason.ordinal()];
    }

    /** VXLAN packets whose reserved bits were set and ignored (RFC 7348). */
    public long vxlanReservedBitsIgnored() {
        return vxlanReservedIgnored;
    }

    /** Packets whose inner and outer ECN fields made a combination RFC 6040 marks (!!!). */
    public long ecnUnexpected() {
        return ecnUnexpected;
    }
}
