package io.jvswitch.datapath.io;

import io.jvswitch.netio.VirtioNetHeader;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.l2.Ethernet;
import io.jvswitch.wire.l2.VlanTag;
import java.lang.foreign.MemorySegment;

/**
 * TCP segmentation in software, as the kernel's {@code tcp_gso_segment} does it: a TCP super-frame a TAP with TSO
 * handed over ({@link VirtioNetHeader#GSO_TCPV4}, {@link VirtioNetHeader#GSO_TCPV6}; up to 64 KB of payload behind one
 * set of headers) is cut into frames of at most {@code gso_size} payload bytes, each a complete frame the guest could
 * have sent itself: the Ethernet header (and its VLAN tags), the IP and TCP headers copied, then per segment the IPv4
 * total length, identification (+1 per segment) and header checksum or the IPv6 payload length, the sequence number,
 * FIN and PSH only on the last segment and CWR only on the first, and the TCP checksum computed in full.
 *
 * <p>Each segment is built in one buffer the caller gives and handed to a {@link Sink} before the next is built;
 * nothing is allocated.
 */
public final class TcpSegmenter {
    /** Takes one finished segment; it may change the buffer's bytes, the next segment is rebuilt from scratch. */
    @FunctionalInterface
    public interface Sink {
        void accept(PacketBuffer segment);
    }

    private static final int TCP = 6;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private TcpSegmenter() {}

    /**
     * Cuts the super-frame {@code [frame, frame + length)} of {@code memory} into segments of {@code gsoSize} payload
     * bytes, each built in {@code out} behind its default headroom and given to {@code sink}.
     *
     * @param gsoType {@link VirtioNetHeader#GSO_TCPV4} or {@link VirtioNetHeader#GSO_TCPV6}
     * @return the number of segments, or -1 when the frame is not what its header says (nothing was given to the sink)
     */
    public static int segment(
            MemorySegment memory, long frame, int length, int gsoType, int gsoSize, PacketBuffer out, Sink sink) {
        boolean v4 = gsoType == VirtioNetHeader.GSO_TCPV4;
        if (!v4 && gsoType != VirtioNetHeader.GSO_TCPV6 || gsoSize <= 0) {
            return -1;
        }
        long end = frame + length;
        long at = frame + 12;
        if (at + 2 > end) {
            return -1;
        }
        int etherType = Bytes.u16(memory, at);
        for (int tags = 0; tags < 2 && VlanTag.isTpid(etherType); tags++) {
            at += 4;
            if (at + 2 > end) {
                return -1;
            }
            etherType = Bytes.u16(memory, at);
        }
        int l3 = (int) (at + 2 - frame);
        int l4;
        if (v4) {
            if (etherType != Ethernet.TYPE_IPV4 || l3 + 20 > length) {
                return -1;
            }
            int versionAndLength = Bytes.u8(memory, frame + l3);
            int ihl = (versionAndLength & 0xf) * 4;
            if (versionAndLength >>> 4 != 4 || ihl < 20 || Bytes.u8(memory, frame + l3 + 9) != TCP) {
                return -1;
            }
            l4 = l3 + ihl;
        } else {
            // No extension headers: the kernel's TSO for a TAP gives none for TCP it sends itself.
            if (etherType != Ethernet.TYPE_IPV6
                    || l3 + 40 > length
                    || Bytes.u8(memory, frame + l3) >>> 4 != 6
                    || Bytes.u8(memory, frame + l3 + 6) != TCP) {
                return -1;
            }
            l4 = l3 + 40;
        }
        if (l4 + 20 > length) {
            return -1;
        }
        int tcpHeader = (Bytes.u8(memory, frame + l4 + 12) >>> 4) * 4;
        int headers = l4 + tcpHeader;
        if (tcpHeader < 20 || headers > length) {
            return -1;
        }
        int payload = length - headers;
        if (headers + gsoSize > out.memory().byteSize() - PacketBuffer.DEFAULT_HEADROOM) {
            return -1;
        }
        int segments = Math.max(1, (payload + gsoSize - 1) / gsoSize);
        long sequence = Integer.toUnsignedLong(Bytes.u32(memory, frame + l4 + 4));
        int flags = Bytes.u8(memory, frame + l4 + 13);
        int identification = v4 ? Bytes.u16(memory, frame + l3 + 4) : 0;
        for (int i = 0; i < segments; i++) {
            int offset = i * gsoSize;
            int size = Math.min(gsoSize, payload - offset);
            out.reset(PacketBuffer.DEFAULT_HEADROOM);
            MemorySegment o = out.memory();
            long s = out.start();
            MemorySegment.copy(memory, frame, o, s, headers);
            MemorySegment.copy(memory, frame + headers + offset, o, s + headers, size);
            out.length(headers + size);
            int tcpLength = tcpHeader + size;
            long pseudo;
            if (v4) {
                long ip = s + l3;
                int ihl = l4 - l3;
                Bytes.u16(o, ip + 2, ihl + tcpLength);
                Bytes.u16(o, ip + 4, (identification + i) & 0xffff);
                Bytes.u16(o, ip + 10, 0);
                Bytes.u16(o, ip + 10, Checksum.compute(o, ip, ihl));
                pseudo = Checksum.ipv4PseudoHeader(Bytes.u32(o, ip + 12), Bytes.u32(o, ip + 16), TCP, tcpLength);
            } else {
                long ip = s + l3;
                Bytes.u16(o, ip + 4, tcpLength);
                pseudo = Checksum.ipv6PseudoHeader(o, ip + 8, ip + 24, TCP, tcpLength);
            }
            long tcp = s + l4;
            Bytes.u32(o, tcp + 4, (int) (sequence + offset));
            int segmentFlags = flags;
            if (i != segments - 1) {
                segmentFlags &= ~(FIN | PSH);
            }
            if (i != 0) {
                segmentFlags &= ~CWR;
            }
            Bytes.u8(o, tcp + 13, segmentFlags);
            Bytes.u16(o, tcp + 16, 0);
            Bytes.u16(o, tcp + 16, Checksum.finish(Checksum.add(o, tcp, tcpLength, pseudo)));
            sink.accept(out);
        }
        return segments;
    }
}
