package io.jvswitch.ofproto.flow;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.l2.Ethernet;
import java.lang.foreign.MemorySegment;

/**
 * Fills a {@link FlowKey} from an Ethernet frame: Open vSwitch's {@code flow_extract}. Runs once per packet that
 * misses nothing, so it reads with wide loads and never allocates; it never throws either: a truncated header leaves
 * the fields it could not read at zero, as Open vSwitch does.
 *
 * <p>The input port and the tunnel metadata are not in the frame: the caller sets them on the key before or after.
 */
public final class FlowExtractor {
    private FlowExtractor() {}

    /**
     * Extracts the frame of {@code length} bytes at {@code start} into {@code key}, whose metadata words (in_port,
     * metadata, registers, tunnel) are kept as they are.
     */
    public static void extract(MemorySegment segment, long start, int length, FlowKey key) {
        long[] w = key.words;
        w[FlowKey.ETH_DST_TYPE] = 0;
        w[FlowKey.ETH_SRC_VLAN] = 0;
        w[FlowKey.NW_ADDRESSES] = 0;
        w[FlowKey.IPV6_SRC] = 0;
        w[FlowKey.IPV6_SRC + 1] = 0;
        w[FlowKey.IPV6_DST] = 0;
        w[FlowKey.IPV6_DST + 1] = 0;
        w[FlowKey.L4] = 0;
        w[FlowKey.ARP_SHA] = 0;
        w[FlowKey.ARP_THA] = 0;
        if (length < Ethernet.HEADER_LENGTH) {
            return;
        }
        long destination = Bytes.u64(segment, start) >>> 16;
        long sourceAndType = Bytes.u64(segment, start + 6);
        int type = (int) sourceAndType & 0xffff;
        long at = start + Ethernet.HEADER_LENGTH;
        long end = start + length;
        int tci = 0;
        if ((type == Ethernet.TYPE_VLAN || type == Ethernet.TYPE_QINQ) && end - at >= 4) {
            tci = Bytes.u16(segment, at) | FlowKey.VLAN_CFI;
            type = Bytes.u16(segment, at + 2);
            at += 4;
        }
        w[FlowKey.ETH_DST_TYPE] = (destination << 16) | type;
        w[FlowKey.ETH_SRC_VLAN] = (sourceAndType & 0xffff_ffff_ffff_0000L) | tci;
        switch (type) {
            case Ethernet.TYPE_IPV4 -> ipv4(segment, at, end, w);
            case Ethernet.TYPE_IPV6 -> ipv6(segment, at, end, w);
            case Ethernet.TYPE_ARP -> arp(segment, at, end, w);
            default -> {}
        }
    }

    private static void ipv4(MemorySegment segment, long ip, long end, long[] w) {
        if (end - ip < 20) {
            return;
        }
        int word0 = Bytes.u32(segment, ip);
        int headerLength = ((word0 >>> 24) & 0xf) * 4;
        if ((word0 >>> 28) != 4 || headerLength < 20) {
            return;
        }
        int fragmentWord = Bytes.u32(segment, ip + 4) & 0x3fff;
        int ttlProtocol = Bytes.u16(segment, ip + 8);
        w[FlowKey.NW_ADDRESSES] = Bytes.u64(segment, ip + 12);
        int protocol = ttlProtocol & 0xff;
        int fragment =
                fragmentWord == 0 ? 0 : FlowKey.FRAG_ANY | ((fragmentWord & 0x1fff) != 0 ? FlowKey.FRAG_LATER : 0);
        long l4 = ((long) protocol << 24)
                | ((long) ((word0 >>> 16) & 0xff) << 16)
                | ((long) (ttlProtocol >>> 8) << 8)
                | fragment;
        if ((fragment & FlowKey.FRAG_LATER) == 0) {
            l4 |= ports(segment, ip + headerLength, end, protocol, 1);
        }
        w[FlowKey.L4] = l4;
    }

    private static void ipv6(MemorySegment segment, long ip, long end, long[] w) {
        if (end - ip < 40) {
            return;
        }
        int word0 = Bytes.u32(segment, ip);
        if ((word0 >>> 28) != 6) {
            return;
        }
        int word1 = Bytes.u32(segment, ip + 4);
        w[FlowKey.IPV6_SRC] = Bytes.u64(segment, ip + 8);
        w[FlowKey.IPV6_SRC + 1] = Bytes.u64(segment, ip + 16);
        w[FlowKey.IPV6_DST] = Bytes.u64(segment, ip + 24);
        w[FlowKey.IPV6_DST + 1] = Bytes.u64(segment, ip + 32);
        int protocol = (word1 >>> 8) & 0xff;
        long l4 = ((long) protocol << 24) | ((long) ((word0 >>> 20) & 0xff) << 16) | ((long) (word1 & 0xff) << 8);
        w[FlowKey.L4] = l4 | ports(segment, ip + 40, end, protocol, 58);
    }

    /** tp_src and tp_dst placed in the L4 word: ports for TCP/UDP/SCTP, type and code for ICMP. */
    private static long ports(MemorySegment segment, long l4, long end, int protocol, int icmp) {
        if ((protocol == 6 || protocol == 17 || protocol == 132) && end - l4 >= 4) {
            return Integer.toUnsignedLong(Bytes.u32(segment, l4)) << 32;
        }
        if (protocol == icmp && end - l4 >= 2) {
            int typeCode = Bytes.u16(segment, l4);
            return ((long) (typeCode >>> 8) << 48) | ((long) (typeCode & 0xff) << 32);
        }
        return 0;
    }

    private static void arp(MemorySegment segment, long arp, long end, long[] w) {
        if (end - arp < 28 || Bytes.u32(segment, arp) != 0x0001_0800 || Bytes.u16(segment, arp + 4) != 0x0604) {
            return;
        }
        int operation = Bytes.u16(segment, arp + 6);
        if (operation <= 0xff) {
            w[FlowKey.L4] = (long) operation << 24;
        }
        w[FlowKey.ARP_SHA] = Bytes.u64(segment, arp + 8) >>> 16;
        w[FlowKey.NW_ADDRESSES] =
                ((long) Bytes.u32(segment, arp + 14) << 32) | Integer.toUnsignedLong(Bytes.u32(segment, arp + 24));
        w[FlowKey.ARP_THA] = Bytes.u64(segment, arp + 18) >>> 16;
    }
}
