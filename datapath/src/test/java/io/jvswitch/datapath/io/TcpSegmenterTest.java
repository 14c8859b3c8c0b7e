package io.jvswitch.datapath.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.netio.VirtioNetHeader;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l4.Tcp;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TcpSegmenterTest {
    private static final long GUEST_MAC = 0x020000000001L;
    private static final long PEER_MAC = 0x020000000002L;
    private static final int SOURCE = 0x0a000001;
    private static final int DESTINATION = 0x0a000002;
    private static final byte[] SOURCE6 = v6(1);
    private static final byte[] DESTINATION6 = v6(2);
    private static final int MSS = 1410;
    private static final int IDENTIFICATION = 0xfff0; // wraps past 0xffff within the super-frame
    private static final int ALL_FLAGS = Tcp.ACK | Tcp.PSH | Tcp.FIN | Tcp.CWR;

    @Test
    void aTcpv4SuperFrameBecomesMssFramesWithTheirOwnHeadersAndChecksums() {
        byte[] payload = payload(65_000, 1);
        byte[] superFrame = v4(IDENTIFICATION, ALL_FLAGS, payload, -1);
        List<byte[]> segments = segment(superFrame, VirtioNetHeader.GSO_TCPV4, 14 + 20);

        int count = (payload.length + MSS - 1) / MSS;
        assertThat(segments).hasSize(count);
        for (int i = 0; i < count; i++) {
            byte[] expected = v4(IDENTIFICATION + i, flagsOf(i, count), chunk(payload, i), -1);
            withSequence(expected, 14 + 20, 1 + (long) i * MSS);
            assertThat(segments.get(i)).as("segment %d", i).isEqualTo(expected);
            verifyChecksumsV4(segments.get(i), 14);
        }
        assertThat(concatenatedPayloads(segments, 14 + 20 + 20)).isEqualTo(payload);
    }

    @Test
    void aVlanTaggedTcpv4SuperFrameKeepsItsTagInEverySegment() {
        byte[] payload = payload(20_000, 2);
        byte[] superFrame = v4(7, Tcp.ACK | Tcp.PSH, payload, 100);
        List<byte[]> segments = segment(superFrame, VirtioNetHeader.GSO_TCPV4, 18 + 20);

        int count = (payload.length + MSS - 1) / MSS;
        assertThat(segments).hasSize(count);
        for (int i = 0; i < count; i++) {
            int flags = i == count - 1 ? Tcp.ACK | Tcp.PSH : Tcp.ACK;
            byte[] expected = v4(7 + i, flags, chunk(payload, i), 100);
            withSequence(expected, 18 + 20, 1 + (long) i * MSS);
            assertThat(segments.get(i)).as("segment %d", i).isEqualTo(expected);
            verifyChecksumsV4(segments.get(i), 18);
        }
    }

    @Test
    void aTcpv6SuperFrameBecomesMssFramesWithTheirOwnHeadersAndChecksums() {
        byte[] payload = payload(64_000, 3);
        byte[] superFrame = v6Frame(ALL_FLAGS, payload);
        List<byte[]> segments = segment(superFrame, VirtioNetHeader.GSO_TCPV6, 14 + 40);

        int count = (payload.length + MSS - 1) / MSS;
        assertThat(segments).hasSize(count);
        for (int i = 0; i < count; i++) {
            byte[] expected = v6Frame(flagsOf(i, count), chunk(payload, i));
            withSequence(expected, 14 + 40, 1 + (long) i * MSS);
            assertThat(segments.get(i)).as("segment %d", i).isEqualTo(expected);
            MemorySegment frame = MemorySegment.ofArray(segments.get(i));
            int tcpLength = segments.get(i).length - 54;
            long pseudo = Checksum.ipv6PseudoHeader(frame, 14 + 8, 14 + 24, 6, tcpLength);
            assertThat(Checksum.verifies(frame, 54, tcpLength, pseudo)).isTrue();
        }
        assertThat(concatenatedPayloads(segments, 14 + 40 + 20)).isEqualTo(payload);
    }

    @Test
    void aSuperFrameThatIsNotWhatItsHeaderSaysIsRefused() {
        byte[] udp = new FrameBuilder()
                .ethernet(GUEST_MAC, PEER_MAC)
                .ipv4(SOURCE, DESTINATION)
                .udp(1, 2)
                .payload(new byte[3000])
                .build();
        assertThat(segmentCount(udp, VirtioNetHeader.GSO_TCPV4, MSS)).isEqualTo(-1);
        byte[] tcp4 = v4(1, Tcp.ACK, new byte[3000], -1);
        assertThat(segmentCount(tcp4, VirtioNetHeader.GSO_TCPV6, MSS)).isEqualTo(-1);
        assertThat(segmentCount(tcp4, VirtioNetHeader.GSO_UDP, MSS)).isEqualTo(-1);
        assertThat(segmentCount(tcp4, VirtioNetHeader.GSO_TCPV4, 0)).isEqualTo(-1);
        assertThat(segmentCount(Arrays.copyOf(tcp4, 40), VirtioNetHeader.GSO_TCPV4, MSS))
                .isEqualTo(-1);
        assertThat(segmentCount(tcp4, VirtioNetHeader.GSO_TCPV4, 1000)).isEqualTo(3);
    }

    /** The super-frame behind a virtio header as a TAP read gives it, cut; the segments' bytes. */
    private static List<byte[]> segment(byte[] superFrame, int gsoType, int checksumStart) {
        List<byte[]> segments = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment read = arena.allocate(VirtioNetHeader.LENGTH + superFrame.length);
            VirtioNetHeader.write(
                    read, 0, VirtioNetHeader.F_NEEDS_CSUM, gsoType, checksumStart + 20, MSS, checksumStart, 16);
            MemorySegment.copy(superFrame, 0, read, ValueLayout.JAVA_BYTE, VirtioNetHeader.LENGTH, superFrame.length);
            // The kernel leaves the TCP checksum partial: only the pseudo-header's sum in it.
            Bytes.u16(read, VirtioNetHeader.LENGTH + checksumStart + 16, 0x1234);
            PacketBuffer out = PacketBuffer.allocate(arena);
            int count = TcpSegmenter.segment(
                    read,
                    VirtioNetHeader.LENGTH,
                    superFrame.length,
                    VirtioNetHeader.gsoType(read, 0),
                    VirtioNetHeader.gsoSize(read, 0),
                    out,
                    segment -> segments.add(segment.toByteArray()));
            assertThat(count).isEqualTo(segments.size());
        }
        return segments;
    }

    private static int segmentCount(byte[] frame, int gsoType, int gsoSize) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment read = arena.allocate(frame.length);
            MemorySegment.copy(frame, 0, read, ValueLayout.JAVA_BYTE, 0, frame.length);
            int[] given = {0};
            int count = TcpSegmenter.segment(
                    read, 0, frame.length, gsoType, gsoSize, PacketBuffer.allocate(arena), segment -> given[0]++);
            assertThat(given[0]).isEqualTo(Math.max(count, 0));
            return count;
        }
    }

    private static byte[] v4(int identification, int flags, byte[] payload, int vlan) {
        FrameBuilder builder = new FrameBuilder().ethernet(GUEST_MAC, PEER_MAC);
        if (vlan >= 0) {
            builder.vlan(vlan);
        }
        return builder.ipv4(SOURCE, DESTINATION)
                .identification(identification & 0xffff)
                .dontFragment(true)
                .tcp(40000, 5201, flags)
                .payload(payload)
                .build();
    }

    private static byte[] v6Frame(int flags, byte[] payload) {
        return new FrameBuilder()
                .ethernet(GUEST_MAC, PEER_MAC)
                .ipv6(SOURCE6, DESTINATION6)
                .tcp(40000, 5201, flags)
                .payload(payload)
                .build();
    }

    /** CWR on the first segment only, FIN and PSH on the last only, ACK on all. */
    private static int flagsOf(int i, int count) {
        int flags = Tcp.ACK;
        if (i == 0) {
            flags |= Tcp.CWR;
        }
        if (i == count - 1) {
            flags |= Tcp.PSH | Tcp.FIN;
        }
        return flags;
    }

    /** Sets the sequence number, updating the TCP checksum incrementally (RFC 1624, not the segmenter's full sum). */
    private static void withSequence(byte[] frame, int tcp, long sequence) {
        MemorySegment segment = MemorySegment.ofArray(frame);
        int old = Bytes.u32(segment, tcp + 4);
        Bytes.u32(segment, tcp + 4, (int) sequence);
        Bytes.u16(segment, tcp + 16, Checksum.update32(Bytes.u16(segment, tcp + 16), old, (int) sequence));
    }

    private static void verifyChecksumsV4(byte[] bytes, int ip) {
        MemorySegment frame = MemorySegment.ofArray(bytes);
        assertThat(Checksum.verifies(frame, ip, 20, 0))
                .as("IPv4 header checksum")
                .isTrue();
        int tcpLength = bytes.length - ip - 20;
        assertThat(Bytes.u16(frame, ip + 2)).isEqualTo(20 + tcpLength);
        long pseudo = Checksum.ipv4PseudoHeader(SOURCE, DESTINATION, 6, tcpLength);
        assertThat(Checksum.verifies(frame, ip + 20, tcpLength, pseudo))
                .as("TCP checksum")
                .isTrue();
    }

    private static byte[] concatenatedPayloads(List<byte[]> segments, int headers) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] segment : segments) {
            all.write(segment, headers, segment.length - headers);
        }
        return all.toByteArray();
    }

    private static byte[] chunk(byte[] payload, int i) {
        return Arrays.copyOfRange(payload, i * MSS, Math.min(payload.length, (i + 1) * MSS));
    }

    private static byte[] payload(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] v6(int last) {
        byte[] address = new byte[16];
        address[0] = 0x20;
        address[1] = 0x01;
        address[2] = 0x0d;
        address[3] = (byte) 0xb8;
        address[15] = (byte) last;
        return address;
    }
}
