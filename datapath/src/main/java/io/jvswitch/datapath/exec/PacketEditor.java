package io.jvswitch.datapath.exec;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.l2.Ethernet;
import java.lang.foreign.MemorySegment;

/**
 * The packet rewrites datapath actions ask for, done in place on a {@link PacketBuffer}: 802.1Q tags pushed, popped
 * and rewritten (the tag is made in the headroom; no payload moves beyond the 12 bytes of MAC addresses), Ethernet
 * addresses, and IPv4 addresses, ToS and TTL with the IPv4 header checksum and the TCP or UDP checksum updated
 * incrementally (RFC 1624). Frames too short for a rewrite are left alone.
 */
public final class PacketEditor {
    private PacketEditor() {}

    /** Adds an outer 802.1Q tag carrying {@code tci}. */
    public static void pushVlan(PacketBuffer packet, int tci) {
        if (packet.length() < 12) {
            return;
        }
        int start = packet.prepend(4);
        MemorySegment segment = packet.memory();
        MemorySegment.copy(segment, start + 4, segment, start, 12);
        Bytes.u16(segment, start + 12, Ethernet.TYPE_VLAN);
        Bytes.u16(segment, start + 14, tci & 0xffff);
    }

    /** Removes the outer 802.1Q or 802.1ad tag, if the frame has one. */
    public static void popVlan(PacketBuffer packet) {
        MemorySegment segment = packet.memory();
        int start = packet.start();
        if (packet.length() < 18 || !isTagged(segment, start)) {
            return;
        }
        MemorySegment.copy(segment, start, segment, start + 4, 12);
        packet.stripFront(4);
    }

    /**
     * Open vSwitch's {@code push_eth} as a {@code packet_type=legacy_l3} port applies it to what it receives: an
     * Ethernet header with both addresses zero and {@code etherType} (the GRE protocol type) in front of the packet,
     * made in the headroom.
     */
    public static void pushEthernet(PacketBuffer packet, int etherType) {
        int start = packet.prepend(Ethernet.HEADER_LENGTH);
        MemorySegment segment = packet.memory();
        Bytes.u32(segment, start, 0);
        Bytes.u64(segment, start + 4, 0);
        Bytes.u16(segment, start + 12, etherType);
    }

    /**
     * Open vSwitch's {@code pop_eth}, done before a packet leaves by a {@code packet_type=legacy_l3} port: removes the
     * Ethernet header and every 802.1Q or 802.1ad tag, leaving the network-layer packet.
     *
     * @return the Ethertype of what is left, or -1 when the frame ends inside its Ethernet header or tags (it is then
     *     left as it is)
     */
    public static int popEthernet(PacketBuffer packet) {
        MemorySegment segment = packet.memory();
        int start = packet.start();
        int at = start + 12;
        while (at + 2 <= packet.end()) {
            int type = Bytes.u16(segment, at);
            if (type != Ethernet.TYPE_VLAN && type != Ethernet.TYPE_QINQ) {
                packet.stripFront(at + 2 - start);
                return type;
            }
            at += 4;
        }
        return -1;
    }

    /** Rewrites the outer tag's TCI. */
    public static void setVlan(PacketBuffer packet, int tci) {
        MemorySegment segment = packet.memory();
        if (packet.length() >= 18 && isTagged(segment, packet.start())) {
            Bytes.u16(segment, packet.start() + 14, tci & 0xffff);
        }
    }

    private static boolean isTagged(MemorySegment segment, int start) {
        int type = Bytes.u16(segment, start + 12);
        return type == Ethernet.TYPE_VLAN || type == Ethernet.TYPE_QINQ;
    }

    public static void setEthernet(PacketBuffer packet, long source, long destination) {
        if (packet.length() >= Ethernet.HEADER_LENGTH) {
            new Ethernet()
                    .wrap(packet.memory(), packet.start())
                    .destination(destination)
                    .source(source);
        }
    }

    /** Rewrites an Ethernet/IPv4 ARP packet's opcode and addresses; other frames are left alone. */
    public static void setArp(
            PacketBuffer packet, int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        MemorySegment segment = packet.memory();
        int start = packet.start();
        int at = start + 12;
        if (packet.length() >= 18 && isTagged(segment, start)) {
            at += 4;
        }
        int arp = at + 2;
        if (arp + 28 > packet.end() || Bytes.u16(segment, at) != Ethernet.TYPE_ARP) {
            return;
        }
        new io.jvswitch.wire.l2.Arp().wrap(segment, arp).write(operation, senderMac, senderIp, targetMac, targetIp);
    }

    /** Rewrites an IPv4 packet's addresses, ToS and TTL, fixing the IPv4, TCP and UDP checksums. */
    public static void setIpv4(PacketBuffer packet, int source, int destination, int tos, int ttl) {
        MemorySegment segment = packet.memory();
        int start = packet.start();
        int end = packet.end();
        int at = start + 12;
        if (end - start < 14) {
            return;
        }
        if (isTagged(segment, start)) {
            at += 4;
        }
        if (at + 2 + 20 > end || Bytes.u16(segment, at) != Ethernet.TYPE_IPV4) {
            return;
        }
        int ip = at + 2;
        int headerLength = (Bytes.u8(segment, ip) & 0xf) * 4;
        if (headerLength < 20 || ip + headerLength > end) {
            return;
        }
        int checksum = Bytes.u16(segment, ip + 10);
        int oldWord0 = Bytes.u16(segment, ip);
        Bytes.u8(segment, ip + 1, tos);
        checksum = Checksum.update16(checksum, oldWord0, Bytes.u16(segment, ip));
        int oldTtlWord = Bytes.u16(segment, ip + 8);
        Bytes.u8(segment, ip + 8, ttl);
        checksum = Checksum.update16(checksum, oldTtlWord, Bytes.u16(segment, ip + 8));
        int oldSource = Bytes.u32(segment, ip + 12);
        int oldDestination = Bytes.u32(segment, ip + 16);
        checksum = Checksum.update32(checksum, oldSource, source);
        checksum = Checksum.update32(checksum, oldDestination, destination);
        Bytes.u32(segment, ip + 12, source);
        Bytes.u32(segment, ip + 16, destination);
        Bytes.u16(segment, ip + 10, checksum);
        if (oldSource == source && oldDestination == destination) {
            return;
        }
        // The addresses are in the TCP and UDP pseudo-headers: their checksums change with them (a later fragment
        // carries no L4 header, and a zero UDP checksum means none).
        boolean laterFragment = (Bytes.u16(segment, ip + 6) & 0x1fff) != 0;
        int protocol = Bytes.u8(segment, ip + 9);
        int l4 = ip + headerLength;
        int checksumAt = protocol == 6 ? l4 + 16 : protocol == 17 ? l4 + 6 : -1;
        if (laterFragment || checksumAt < 0 || checksumAt + 2 > end) {
            return;
        }
        int l4Checksum = Bytes.u16(segment, checksumAt);
        if (protocol == 17 && l4Checksum == 0) {
            return;
        }
        l4Checksum = Checksum.update32(l4Checksum, oldSource, source);
        l4Checksum = Checksum.update32(l4Checksum, oldDestination, destination);
        Bytes.u16(segment, checksumAt, protocol == 17 && l4Checksum == 0 ? 0xffff : l4Checksum);
    }
}
