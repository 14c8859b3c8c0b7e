package io.jvswitch.datapath.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.netio.NetNamespace;
import io.jvswitch.netio.PartialChecksum;
import io.jvswitch.netio.TestNamespace;
import io.jvswitch.netio.TestNamespace.Ipv6;
import io.jvswitch.netio.VirtioNetHeader;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.l4.Tcp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpCoalescerTest {
    private static final long GUEST_MAC = 0x020000000001L;
    private static final long PEER_MAC = 0x020000000002L;
    private static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78};
    private static final int SEQUENCE = 0xfffff000; // wraps past 2^32 within the super-frame
    private static final int IDENTIFICATION = 0xfffe; // wraps past 0xffff too
    private static final int ACK_NUMBER = 0x01020304;

    private final Arena arena = Arena.ofConfined();
    private final TcpCoalescer coalescer =
            new TcpCoalescer(arena.allocate(VirtioNetHeader.LENGTH + TapPortDevice.RECEIVE_CAPACITY));

    @AfterEach
    void close() {
        arena.close();
    }

    /** One TCP segment as a sender would put it on the wire; all fields but the payload's may be changed. */
    private static final class Segment {
        boolean v4 = true;
        int ipOptions;
        byte[] tcpOptions = TIMESTAMPS;
        int identification = IDENTIFICATION;
        int sequence = SEQUENCE;
        int ack = ACK_NUMBER;
        int window = 500;
        int flags = Tcp.ACK;
        int sourcePort = 40000;
        int destination = 0x0a000002;
        int ttl = 64;
        byte[] payload;
        int vlan = -1;

        Segment(byte[] payload) {
            this.payload = payload;
        }

        /** The frame, checksums right. */
        byte[] build() {
            int l2 = vlan >= 0 ? 18 : 14;
            int ipHeader = v4 ? 20 + ipOptions : 40;
            int tcpHeader = 20 + tcpOptions.length;
            byte[] frame = new byte[l2 + ipHeader + tcpHeader + payload.length];
            MemorySegment f = MemorySegment.ofArray(frame);
            Bytes.mac(f, 0, PEER_MAC);
            Bytes.mac(f, 6, GUEST_MAC);
            if (vlan >= 0) {
                Bytes.u16(f, 12, 0x8100);
                Bytes.u16(f, 14, vlan);
            }
            Bytes.u16(f, l2 - 2, v4 ? 0x0800 : 0x86dd);
            int ip = l2;
            int tcp = ip + ipHeader;
            int tcpLength = tcpHeader + payload.length;
            long pseudo;
            if (v4) {
                Bytes.u8(f, ip, 0x40 | ipHeader / 4);
                Bytes.u16(f, ip + 2, ipHeader + tcpLength);
                Bytes.u16(f, ip + 4, identification & 0xffff);
                Bytes.u16(f, ip + 6, 0x4000); // DF
                Bytes.u8(f, ip + 8, ttl);
                Bytes.u8(f, ip + 9, 6);
                Bytes.u32(f, ip + 12, 0x0a000001);
                Bytes.u32(f, ip + 16, destination);
                for (int i = 20; i < ipHeader; i++) {
                    Bytes.u8(f, ip + i, 1); // NOP options
                }
                Bytes.u16(f, ip + 10, Checksum.compute(f, ip, ipHeader));
                pseudo = Checksum.ipv4PseudoHeader(0x0a000001, destination, 6, tcpLength);
            } else {
                Bytes.u32(f, ip, 0x60012345); // flow label 0x12345
                Bytes.u16(f, ip + 4, tcpLength);
                Bytes.u8(f, ip + 6, 6);
                Bytes.u8(f, ip + 7, ttl);
                Bytes.u16(f, ip + 8, 0x2001);
                Bytes.u8(f, ip + 23, 1);
                Bytes.u16(f, ip + 24, 0x2001);
                Bytes.u32(f, ip + 36, destination);
                pseudo = Checksum.ipv6PseudoHeader(f, ip + 8, ip + 24, 6, tcpLength);
            }
            Bytes.u16(f, tcp, sourcePort);
            Bytes.u16(f, tcp + 2, 5201);
            Bytes.u32(f, tcp + 4, sequence);
            Bytes.u32(f, tcp + 8, ack);
            Bytes.u8(f, tcp + 12, tcpHeader / 4 << 4);
            Bytes.u8(f, tcp + 13, flags);
            Bytes.u16(f, tcp + 14, window);
            MemorySegment.copy(tcpOptions, 0, f, ValueLayout.JAVA_BYTE, tcp + 20, tcpOptions.length);
            System.arraycopy(payload, 0, frame, tcp + tcpHeader, payload.length);
            Bytes.u16(f, tcp + 16, Checksum.finish(Checksum.add(f, tcp, tcpLength, pseudo)));
            return frame;
        }
    }

    /** {@code count} segments of {@code size} payload bytes (the last {@code lastSize}), consecutive. */
    private static List<Segment> flow(boolean v4, int count, int size, int lastSize) {
        Random random = new Random(count * 31L + size);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[i == count - 1 ? lastSize : size];
            random.nextBytes(payload);
            Segment segment = new Segment(payload);
            segment.v4 = v4;
            segment.sequence = SEQUENCE + i * size;
            segment.identification = IDENTIFICATION + i;
            segments.add(segment);
        }
        return segments;
    }

    private boolean start(byte[] frame) {
        return coalescer.start(native_(frame), 0, frame.length);
    }

    private boolean append(byte[] frame) {
        return coalescer.append(native_(frame), 0, frame.length);
    }

    private MemorySegment native_(byte[] frame) {
        MemorySegment memory = arena.allocate(frame.length + 7).asSlice(3); // not aligned, on purpose
        MemorySegment.copy(frame, 0, memory, ValueLayout.JAVA_BYTE, 0, frame.length);
        return memory;
    }

    /** What {@link TcpCoalescer#finish()} wrote: the virtio header and the frame. */
    private byte[] finish() {
        int length = coalescer.finish();
        return coalescer.buffer().asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void tcpv4SegmentsOfOneFlowBecomeOneSuperFrameWithAPartialChecksum() {
        List<Segment> flow = flow(true, 12, 1398, 700);
        flow.getLast().flags = Tcp.ACK | Tcp.PSH;
        List<byte[]> frames = flow.stream().map(Segment::build).toList();
        assertThat(start(frames.getFirst())).isTrue();
        for (byte[] frame : frames.subList(1, frames.size())) {
            assertThat(append(frame)).isTrue();
        }
        assertThat(coalescer.segments()).isEqualTo(12);
        byte[] written = finish();

        int headers = 14 + 20 + 32;
        MemorySegment header = MemorySegment.ofArray(written);
        assertThat(VirtioNetHeader.flags(header, 0)).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(VirtioNetHeader.gsoType(header, 0)).isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(VirtioNetHeader.headerLength(header, 0)).isEqualTo(headers);
        assertThat(VirtioNetHeader.gsoSize(header, 0)).isEqualTo(1398);
        assertThat(VirtioNetHeader.checksumStart(header, 0)).isEqualTo(14 + 20);
        assertThat(VirtioNetHeader.checksumOffset(header, 0)).isEqualTo(16);

        // The frame the sender's stack would have handed a TSO device: first segment's headers, PSH of the last, all
        // payload, lengths of the whole, the pseudo-header's sum (not complemented) in the TCP checksum.
        Segment whole = new Segment(concat(flow));
        whole.flags = Tcp.ACK | Tcp.PSH;
        byte[] expected = whole.build();
        MemorySegment e = MemorySegment.ofArray(expected);
        int tcpLength = expected.length - 34;
        Bytes.u16(e, 34 + 16, Checksum.fold(Checksum.ipv4PseudoHeader(0x0a000001, 0x0a000002, 6, tcpLength)));
        assertThat(Arrays.copyOfRange(written, VirtioNetHeader.LENGTH, written.length))
                .isEqualTo(expected);
        assertThat(Bytes.u16(e, 14 + 2)).isEqualTo(expected.length - 14);
        assertThat(Checksum.verifies(e, 14, 20, 0)).as("IPv4 header checksum").isTrue();

        assertFinishingTheChecksumMakesItRight(written, 34, 0x0a000001, 0x0a000002);
        assertSegmentingGivesBack(written, frames);
    }

    @Test
    void tcpv6SegmentsOfOneFlowBecomeOneSuperFrame() {
        List<Segment> flow = flow(false, 5, 1200, 1200);
        List<byte[]> frames = flow.stream().map(Segment::build).toList();
        assertThat(start(frames.getFirst())).isTrue();
        for (byte[] frame : frames.subList(1, frames.size())) {
            assertThat(append(frame)).isTrue();
        }
        byte[] written = finish();

        MemorySegment header = MemorySegment.ofArray(written);
        assertThat(VirtioNetHeader.flags(header, 0)).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(VirtioNetHeader.gsoType(header, 0)).isEqualTo(VirtioNetHeader.GSO_TCPV6);
        assertThat(VirtioNetHeader.headerLength(header, 0)).isEqualTo(14 + 40 + 32);
        assertThat(VirtioNetHeader.gsoSize(header, 0)).isEqualTo(1200);
        assertThat(VirtioNetHeader.checksumStart(header, 0)).isEqualTo(14 + 40);
        assertThat(VirtioNetHeader.checksumOffset(header, 0)).isEqualTo(16);

        Segment whole = new Segment(concat(flow));
        whole.v4 = false;
        byte[] expected = whole.build();
        MemorySegment e = MemorySegment.ofArray(expected);
        int tcpLength = expected.length - 54;
        Bytes.u16(e, 54 + 16, Checksum.fold(Checksum.ipv6PseudoHeader(e, 14 + 8, 14 + 24, 6, tcpLength)));
        assertThat(Arrays.copyOfRange(written, VirtioNetHeader.LENGTH, written.length))
                .isEqualTo(expected);
        assertThat(Bytes.u16(e, 14 + 4)).isEqualTo(tcpLength);

        assertFinishingTheChecksumMakesItRight(written, 54, 0, 0);
        assertSegmentingGivesBack(written, frames);
    }

    @Test
    void aSingleFrameIsWrittenAsItCameBehindAHeaderOfZeros() {
        byte[] frame = new Segment(new byte[1000]).build();
        assertThat(start(frame)).isTrue();
        byte[] written = finish();
        assertThat(Arrays.copyOf(written, VirtioNetHeader.LENGTH)).containsOnly(0);
        assertThat(Arrays.copyOfRange(written, VirtioNetHeader.LENGTH, written.length))
                .isEqualTo(frame);
    }

    @Test
    void aGapInTheSequenceOrTheIdentificationDoesNotMerge() {
        List<Segment> flow = flow(true, 3, 1000, 1000);
        assertThat(start(flow.get(0).build())).isTrue();
        flow.get(1).sequence += 1;
        assertThat(append(flow.get(1).build())).isFalse();
        flow.get(1).sequence -= 1;
        flow.get(1).identification += 1;
        assertThat(append(flow.get(1).build())).isFalse();
        flow.get(1).identification -= 1;
        assertThat(append(flow.get(2).build())).as("a segment missing between").isFalse();
        assertThat(append(flow.get(1).build())).isTrue();
        assertThat(coalescer.segments()).isEqualTo(2);
    }

    @Test
    void anotherFlowDoesNotMerge() {
        List<Segment> flow = flow(true, 2, 1000, 1000);
        assertThat(start(flow.get(0).build())).isTrue();
        Segment next = flow.get(1);
        next.sourcePort = 40001;
        assertThat(append(next.build())).as("another port").isFalse();
        next.sourcePort = 40000;
        next.destination = 0x0a000003;
        assertThat(append(next.build())).as("another address").isFalse();
        next.destination = 0x0a000002;
        next.v4 = false;
        assertThat(append(next.build())).as("IPv6").isFalse();
        next.v4 = true;
        next.ack += 1000;
        assertThat(append(next.build())).as("another acknowledgment").isFalse();
        next.ack = ACK_NUMBER;
        next.window = 501;
        assertThat(append(next.build())).as("another window").isFalse();
        next.window = 500;
        next.tcpOptions = new byte[] {1, 1, 8, 10, 0, 0, 0x12, 0x35, 0, 0, 0x56, 0x78};
        assertThat(append(next.build())).as("another timestamp").isFalse();
        next.tcpOptions = TIMESTAMPS;
        next.ttl = 63;
        assertThat(append(next.build())).as("another TTL").isFalse();
        next.ttl = 64;
        assertThat(append(next.build())).isTrue();
    }

    @Test
    void aFrameOfAnotherFlowRefusedByAppendStartsTheNextSuperFrame() {
        // As the TAP port delivers: append refused, what is pending written, then start with the same frame (parsed
        // once, by the append) and the next segment of that flow merges behind it.
        List<Segment> one = flow(true, 2, 1000, 1000);
        List<Segment> other = flow(true, 2, 1000, 1000);
        other.forEach(segment -> segment.sourcePort = 40001);
        assertThat(start(one.get(0).build())).isTrue();
        byte[] otherFirst = other.get(0).build();
        MemorySegment frame = native_(otherFirst);
        assertThat(coalescer.append(frame, 0, otherFirst.length)).isFalse();
        byte[] written = finish();
        coalescer.clear();
        assertThat(written.length).as("the first flow's one frame").isEqualTo(VirtioNetHeader.LENGTH + 1000 + 66);
        assertThat(coalescer.start(frame, 0, otherFirst.length)).isTrue();
        assertThat(append(other.get(1).build())).isTrue();
        assertThat(coalescer.segments()).isEqualTo(2);

        // A frame that is no candidate at all is refused by the start that follows, as by the append.
        Segment syn = one.get(1);
        syn.flags = 0x02;
        byte[] synFrame = syn.build();
        MemorySegment notCandidate = native_(synFrame);
        assertThat(coalescer.append(notCandidate, 0, synFrame.length)).isFalse();
        finish();
        coalescer.clear();
        assertThat(coalescer.start(notCandidate, 0, synFrame.length)).isFalse();
    }

    @Test
    void segmentsWithOtherFlagsThanAckAndALastPshDoNotMerge() {
        for (int flag : new int[] {Tcp.FIN, Tcp.SYN, Tcp.RST, Tcp.URG, Tcp.ECE, Tcp.CWR}) {
            List<Segment> flow = flow(true, 2, 1000, 1000);
            flow.get(0).flags = Tcp.ACK | flag;
            assertThat(start(flow.get(0).build())).as("flag %s first", flag).isFalse();
            flow.get(0).flags = Tcp.ACK;
            assertThat(start(flow.get(0).build())).isTrue();
            flow.get(1).flags = Tcp.ACK | flag;
            assertThat(append(flow.get(1).build())).as("flag %s next", flag).isFalse();
            coalescer.clear();
        }
        List<Segment> flow = flow(true, 3, 1000, 1000);
        flow.get(0).flags = Tcp.ACK | Tcp.PSH;
        assertThat(start(flow.get(0).build()))
                .as("PSH first: nothing to merge after")
                .isFalse();
        flow.get(0).flags = Tcp.ACK;
        flow.get(1).flags = Tcp.ACK | Tcp.PSH;
        assertThat(start(flow.get(0).build())).isTrue();
        assertThat(append(flow.get(1).build())).isTrue();
        assertThat(append(flow.get(2).build())).as("after PSH").isFalse();
    }

    @Test
    void onlyTheLastSegmentMayBeShorter() {
        List<Segment> flow = flow(true, 4, 1000, 1000);
        flow.get(1).payload = new byte[1001];
        assertThat(start(flow.get(0).build())).isTrue();
        assertThat(append(flow.get(1).build())).as("longer").isFalse();
        flow.get(1).payload = new byte[999];
        assertThat(append(flow.get(1).build())).as("shorter").isTrue();
        flow.get(2).sequence -= 1;
        assertThat(append(flow.get(2).build())).as("after a shorter one").isFalse();
        coalescer.clear();

        Segment pureAck = new Segment(new byte[0]);
        assertThat(start(pureAck.build())).as("no payload").isFalse();
    }

    @Test
    void ipOptionsExtensionHeadersFragmentsTagsAndBadChecksumsDoNotMerge() {
        Segment options = new Segment(new byte[1000]);
        options.ipOptions = 4;
        assertThat(start(options.build())).as("IPv4 options").isFalse();

        Segment v6 = new Segment(new byte[1000]);
        v6.v4 = false;
        byte[] extension = v6.build();
        Bytes.u8(MemorySegment.ofArray(extension), 14 + 6, 0); // hop-by-hop options first
        assertThat(start(extension)).as("IPv6 extension header").isFalse();

        byte[] fragment = new Segment(new byte[1000]).build();
        MemorySegment f = MemorySegment.ofArray(fragment);
        Bytes.u16(f, 14 + 6, 0x2000); // MF
        Bytes.u16(f, 14 + 10, 0);
        Bytes.u16(f, 14 + 10, Checksum.compute(f, 14, 20));
        assertThat(start(fragment)).as("fragment").isFalse();

        Segment tagged = new Segment(new byte[1000]);
        tagged.vlan = 10;
        assertThat(start(tagged.build())).as("VLAN tag").isFalse();

        byte[] badTcp = new Segment(new byte[1000]).build();
        badTcp[badTcp.length - 1] ^= 1;
        assertThat(start(badTcp)).as("bad TCP checksum").isFalse();
        byte[] badIp = new Segment(new byte[1000]).build();
        badIp[14 + 8] ^= 1; // TTL, not covered by the TCP checksum
        assertThat(start(badIp)).as("bad IPv4 header checksum").isFalse();

        byte[] padded = Arrays.copyOf(new Segment(new byte[1000]).build(), 1100);
        assertThat(start(padded)).as("trailing bytes").isFalse();

        List<Segment> flow = flow(true, 2, 1000, 1000);
        assertThat(start(flow.get(0).build())).isTrue();
        byte[] second = flow.get(1).build();
        second[second.length - 1] ^= 1;
        assertThat(append(second)).as("bad checksum next").isFalse();
        assertThat(coalescer.segments()).isEqualTo(1);
    }

    @Test
    void theSuperFrameStaysWithinTheLargestIpPacket() {
        List<Segment> flow = flow(true, 60, 1448, 1448);
        List<byte[]> frames = flow.stream().map(Segment::build).toList();
        assertThat(start(frames.getFirst())).isTrue();
        int merged = 1;
        while (append(frames.get(merged))) {
            merged++;
        }
        // 20 + 32 + n * 1448 <= 65535
        assertThat(merged).isEqualTo((65535 - 52) / 1448);
        byte[] written = finish();
        assertThat(Bytes.u16(MemorySegment.ofArray(written), VirtioNetHeader.LENGTH + 14 + 2))
                .isEqualTo(52 + merged * 1448);
        coalescer.clear();
        assertThat(start(frames.get(merged))).isTrue();
    }

    @Test
    void aRealTapTakesTheSuperFrameAsOnePacket() throws Exception {
        TestNamespace.assumePrivileged();
        try (TestNamespace namespace = TestNamespace.create("gro", Ipv6.OFF_TO_KEEP_LINKS_QUIET)) {
            TapPortDevice device = NetNamespace.call(namespace.name, () -> TapPortDevice.create("jvsgro0", 1500, 0));
            try {
                device.coalescing(true);
                List<byte[]> frames =
                        flow(true, 20, 1448, 300).stream().map(Segment::build).toList();
                for (byte[] frame : frames) {
                    device.deliver(native_(frame), 0, frame.length);
                }
                assertThat(rx(namespace, "rx_packets"))
                        .as("nothing before the flush")
                        .isZero();
                device.flush();
                assertThat(device.sendFailures()).isZero();
                // The kernel refuses (EINVAL) a virtio header that does not match the frame; it took this one whole.
                assertThat(rx(namespace, "rx_packets")).isEqualTo(1);
                int payload = frames.stream().mapToInt(f -> f.length - 66).sum();
                assertThat(rx(namespace, "rx_bytes")).isEqualTo(66 + payload);

                Segment syn = new Segment(new byte[0]);
                syn.flags = Tcp.SYN;
                byte[] frame = syn.build();
                device.deliver(native_(frame), 0, frame.length);
                assertThat(rx(namespace, "rx_packets")).as("written at once").isEqualTo(2);
            } finally {
                device.close();
            }
        }
    }

    private static long rx(TestNamespace namespace, String counter) throws Exception {
        return Long.parseLong(namespace
                .exec("cat", "/sys/class/net/jvsgro0/statistics/" + counter)
                .strip());
    }

    private static byte[] concat(List<Segment> flow) {
        int total = flow.stream().mapToInt(s -> s.payload.length).sum();
        byte[] all = new byte[total];
        int at = 0;
        for (Segment segment : flow) {
            System.arraycopy(segment.payload, 0, all, at, segment.payload.length);
            at += segment.payload.length;
        }
        return all;
    }

    /** As the kernel would (skb_checksum_help): the sum from csum_start folded into the field; then it verifies. */
    private static void assertFinishingTheChecksumMakesItRight(byte[] written, int l4, int source, int destination) {
        MemorySegment frame =
                MemorySegment.ofArray(Arrays.copyOfRange(written, VirtioNetHeader.LENGTH, written.length));
        int length = (int) frame.byteSize();
        PartialChecksum.complete(frame, 0, length, l4, 16);
        long pseudo = l4 == 34
                ? Checksum.ipv4PseudoHeader(source, destination, 6, length - l4)
                : Checksum.ipv6PseudoHeader(frame, 14 + 8, 14 + 24, 6, length - l4);
        assertThat(Checksum.verifies(frame, l4, length - l4, pseudo))
                .as("TCP checksum once finished")
                .isTrue();
    }

    /** The super-frame cut again (as the kernel's GSO would) is the segments that went in, byte for byte. */
    private static void assertSegmentingGivesBack(byte[] written, List<byte[]> frames) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment read = arena.allocate(written.length);
            MemorySegment.copy(written, 0, read, ValueLayout.JAVA_BYTE, 0, written.length);
            List<byte[]> segments = new ArrayList<>();
            int count = TcpSegmenter.segment(
                    read,
                    VirtioNetHeader.LENGTH,
                    written.length - VirtioNetHeader.LENGTH,
                    VirtioNetHeader.gsoType(read, 0),
                    VirtioNetHeader.gsoSize(read, 0),
                    PacketBuffer.allocate(arena),
                    segment -> segments.add(segment.toByteArray()));
            assertThat(count).isEqualTo(frames.size());
            for (int i = 0; i < count; i++) {
                assertThat(segments.get(i)).as("segment %d", i).isEqualTo(frames.get(i));
            }
        }
    }
}
