package io.jvswitch.datapath.io;

import io.jvswitch.netio.VirtioNetHeader;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import java.lang.foreign.MemorySegment;

/**
 * Receive-side coalescing for a TAP, as the kernel's GRO does it: consecutive TCP segments of one flow that leave by
 * the same TAP are merged into one super-frame, written once behind a virtio header that tells the kernel what it is
 * ({@link VirtioNetHeader#GSO_TCPV4} or {@link VirtioNetHeader#GSO_TCPV6}, {@code gso_size} the segments' payload
 * size, the TCP checksum partial) — the reverse of {@link TcpSegmenter}.
 *
 * <p>A frame merges with the pending ones only when it is an untagged Ethernet frame carrying IPv4 without options
 * (not a fragment) or IPv6 without extension headers, then TCP with a payload; its Ethernet header, IP header (but for
 * lengths, the IPv4 identification and checksum) and TCP header (but for the sequence number, flags and checksum,
 * options included) equal the first pending frame's; its sequence number and IPv4 identification follow the last
 * pending frame's; its payload is as long as the first's (the last may be shorter: then nothing more merges); its
 * flags are ACK only (ACK and PSH on the last: then nothing more merges); and its IPv4 header and TCP checksums are
 * right (the super-frame's checksum is left for the kernel, who would not check it). The super-frame stays below 64
 * KB.
 *
 * <p>The pending frames are kept in one buffer the caller gives: a virtio header's room, then the first frame, then
 * every merged frame's payload. Nothing is allocated.
 */
public final class TcpCoalescer {
    private static final int ETHERNET = 14;
    private static final int TCP = 6;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int MAX_IP_LENGTH = 0xffff;

    private final MemorySegment buffer;
    private final long capacity;

    // The pending super-frame, at VirtioNetHeader.LENGTH in the buffer.
    private int segments;
    private int length;
    private boolean v4;
    private int l4;
    private int headers;
    private int gsoSize;
    private int nextSequence;
    private int nextIdentification;
    private boolean closed;

    // The frame last parsed by candidate().
    private boolean frameV4;
    private int frameL4;
    private int frameHeaders;
    private int framePayload;
    private int frameFlags;
    private int frameSequence;
    private int frameIdentification;
    /**
     * What {@link #append} last parsed, so that the {@link #start} that follows a refused append (a frame of another
     * flow) does not parse and checksum the same frame again.
     */
    private MemorySegment parsedMemory;

    private long parsedOffset;
    private int parsedLength;
    private boolean parsedCandidate;

    /** Coalesces into {@code buffer}: a virtio header and up to {@code buffer.byteSize() - 10} bytes of frame. */
    public TcpCoalescer(MemorySegment buffer) {
        this.buffer = buffer;
        this.capacity = buffer.byteSize() - VirtioNetHeader.LENGTH;
    }

    /** The number of frames pending (0: nothing to write). */
    public int segments() {
        return segments;
    }

    /** The buffer the pending super-frame is built in; {@link #finish()} says how much of it to write. */
    public MemorySegment buffer() {
        return buffer;
    }

    /**
     * Merges the frame into the pending ones.
     *
     * @return false when nothing is pending or the frame does not continue it (nothing was changed)
     */
    public boolean append(MemorySegment memory, long offset, int frameLength) {
        parsedMemory = null;
        if (segments == 0 || closed) {
            return false;
        }
        parsedCandidate = candidate(memory, offset, frameLength);
        parsedMemory = memory;
        parsedOffset = offset;
        parsedLength = frameLength;
        if (!parsedCandidate) {
            return false;
        }
        long first = VirtioNetHeader.LENGTH;
        if (frameV4 != v4
                || frameHeaders != headers
                || frameL4 != l4
                || frameSequence != nextSequence
                || framePayload > gsoSize
                || length + framePayload > capacity
                || length - ETHERNET + framePayload > MAX_IP_LENGTH
                || (v4 && frameIdentification != nextIdentification)) {
            return false;
        }
        // Ethernet header and the IP fields that must not change.
        if (differ(memory, offset, buffer, first, ETHERNET)) {
            return false;
        }
        long ip = offset + ETHERNET;
        long pendingIp = first + ETHERNET;
        if (v4) {
            // version/IHL, TOS; flags/fragment offset, TTL, protocol; addresses
            if (differ(memory, ip, buffer, pendingIp, 2)
                    || differ(memory, ip + 6, buffer, pendingIp + 6, 4)
                    || differ(memory, ip + 12, buffer, pendingIp + 12, 8)) {
                return false;
            }
        } else {
            // version, traffic class, flow label; next header, hop limit, addresses
            if (differ(memory, ip, buffer, pendingIp, 4) || differ(memory, ip + 6, buffer, pendingIp + 6, 34)) {
                return false;
            }
        }
        long tcp = offset + l4;
        long pendingTcp = first + l4;
        // ports; acknowledgment and data offset; window; urgent pointer and options
        if (differ(memory, tcp, buffer, pendingTcp, 4)
                || differ(memory, tcp + 8, buffer, pendingTcp + 8, 5)
                || differ(memory, tcp + 14, buffer, pendingTcp + 14, 2)
                || differ(memory, tcp + 18, buffer, pendingTcp + 18, headers - l4 - 18)) {
            return false;
        }
        parsedMemory = null; // merged: nothing for a start to reuse
        MemorySegment.copy(memory, offset + headers, buffer, first + length, framePayload);
        length += framePayload;
        segments++;
        nextSequence += framePayload;
        nextIdentification = (nextIdentification + 1) & 0xffff;
        if (framePayload < gsoSize) {
            closed = true;
        }
        if ((frameFlags & PSH) != 0) {
            Bytes.u8(buffer, pendingTcp + 13, ACK | PSH);
            closed = true;
        }
        return true;
    }

    /**
     * Makes the frame the first pending one, if it could start a super-frame (a TCP segment with a payload and only
     * ACK set). Anything pending must have been {@link #finish() written} and {@link #clear() cleared}.
     *
     * @return false when it cannot (nothing was changed)
     */
    public boolean start(MemorySegment memory, long offset, int frameLength) {
        if (segments != 0) {
            throw new IllegalStateException("frames are pending");
        }
        boolean parsed = memory == parsedMemory && offset == parsedOffset && frameLength == parsedLength;
        parsedMemory = null;
        if (frameLength > capacity
                || !(parsed ? parsedCandidate : candidate(memory, offset, frameLength))
                || frameFlags != ACK) {
            return false;
        }
        MemorySegment.copy(memory, offset, buffer, VirtioNetHeader.LENGTH, frameLength);
        segments = 1;
        length = frameLength;
        v4 = frameV4;
        l4 = frameL4;
        headers = frameHeaders;
        gsoSize = framePayload;
        nextSequence = frameSequence + framePayload;
        nextIdentification = (frameIdentification + 1) & 0xffff;
        closed = false;
        return true;
    }

    /**
     * Finishes the pending super-frame: a single frame is left as it came, behind a virtio header of zeros; several
     * get the IP lengths (and IPv4 header checksum) of the whole, the pseudo-header's sum in the TCP checksum (as the
     * kernel's {@code CHECKSUM_PARTIAL} has it) and a virtio header that says all that.
     *
     * @return the bytes to write from the start of {@link #buffer()}: the virtio header and the frame
     */
    public int finish() {
        if (segments == 0) {
            throw new IllegalStateException("nothing is pending");
        }
        if (segments == 1) {
            VirtioNetHeader.write(buffer, 0, 0, VirtioNetHeader.GSO_NONE, 0, 0, 0, 0);
            return VirtioNetHeader.LENGTH + length;
        }
        long ip = VirtioNetHeader.LENGTH + ETHERNET;
        long tcp = VirtioNetHeader.LENGTH + l4;
        int tcpLength = length - l4;
        long pseudo;
        if (v4) {
            int ihl = l4 - ETHERNET;
            Bytes.u16(buffer, ip + 2, length - ETHERNET);
            Bytes.u16(buffer, ip + 10, 0);
            Bytes.u16(buffer, ip + 10, Checksum.compute(buffer, ip, ihl));
            pseudo = Checksum.ipv4PseudoHeader(Bytes.u32(buffer, ip + 12), Bytes.u32(buffer, ip + 16), TCP, tcpLength);
        } else {
            Bytes.u16(buffer, ip + 4, length - ETHERNET - 40);
            pseudo = Checksum.ipv6PseudoHeader(buffer, ip + 8, ip + 24, TCP, tcpLength);
        }
        // CHECKSUM_PARTIAL: the checksum field holds the folded pseudo-header sum, not complemented (what the
        // kernel's tcp_v4_send_check leaves for the device); the device (or skb_checksum_help) adds the rest.
        Bytes.u16(buffer, tcp + 16, Checksum.fold(pseudo));
        VirtioNetHeader.write(
                buffer,
                0,
                VirtioNetHeader.F_NEEDS_CSUM,
                v4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6,
                headers,
                gsoSize,
                l4,
                16);
        return VirtioNetHeader.LENGTH + length;
    }

    /** Forgets the pending frames (once written). */
    public void clear() {
        segments = 0;
        length = 0;
        closed = false;
    }

    /** Parses the frame into the frame fields; false when it is not a TCP segment that could be merged. */
    private boolean candidate(MemorySegment memory, long offset, int frameLength) {
        if (frameLength < ETHERNET + 40) {
            return false;
        }
        int etherType = Bytes.u16(memory, offset + 12);
        long ip = offset + ETHERNET;
        long pseudo;
        int tcpLength;
        if (etherType == 0x0800) {
            if (Bytes.u8(memory, ip) != 0x45
                    || (Bytes.u16(memory, ip + 6) & 0x3fff) != 0 // MF or a fragment offset
                    || Bytes.u8(memory, ip + 9) != TCP
                    || Bytes.u16(memory, ip + 2) != frameLength - ETHERNET
                    || !Checksum.verifies(memory, ip, 20, 0)) {
                return false;
            }
            frameV4 = true;
            frameL4 = ETHERNET + 20;
            frameIdentification = Bytes.u16(memory, ip + 4);
            tcpLength = frameLength - frameL4;
            pseudo = Checksum.ipv4PseudoHeader(Bytes.u32(memory, ip + 12), Bytes.u32(memory, ip + 16), TCP, tcpLength);
        } else if (etherType == 0x86dd) {
            if (frameLength < ETHERNET + 60
                    || Bytes.u8(memory, ip) >>> 4 != 6
                    || Bytes.u8(memory, ip + 6) != TCP
                    || Bytes.u16(memory, ip + 4) != frameLength - ETHERNET - 40) {
                return false;
            }
            frameV4 = false;
            frameL4 = ETHERNET + 40;
            frameIdentification = 0;
            tcpLength = frameLength - frameL4;
            pseudo = Checksum.ipv6PseudoHeader(memory, ip + 8, ip + 24, TCP, tcpLength);
        } else {
            return false;
        }
        long tcp = offset + frameL4;
        int tcpHeader = (Bytes.u8(memory, tcp + 12) >>> 4) * 4;
        frameHeaders = frameL4 + tcpHeader;
        framePayload = frameLength - frameHeaders;
        frameFlags = Bytes.u8(memory, tcp + 13);
        if (tcpHeader < 20
                || framePayload <= 0
                || (frameFlags & ~PSH) != ACK
                || !Checksum.verifies(memory, tcp, tcpLength, pseudo)) {
            return false;
        }
        frameSequence = Bytes.u32(memory, tcp + 4);
        return true;
    }

    private static boolean differ(MemorySegment a, long aAt, MemorySegment b, long bAt, int count) {
        return MemorySegment.mismatch(a, aAt, aAt + count, b, bAt, bAt + count) != -1;
    }
}
