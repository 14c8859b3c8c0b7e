package io.jvswitch.netio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l4.Tcp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Finishing partial checksums, checked against wire's frames, whose checksums are computed in full: a frame made
 * partial the way the kernel does it (the field holding the folded pseudo-header sum) is finished back to the same
 * bytes.
 */
class PartialChecksumTest {
    private static final long MAC1 = 0x020000000001L;
    private static final long MAC2 = 0x020000000002L;
    private static final byte[] ADDRESS6_1 = Ipv6Address.parse("2001:db8::1");
    private static final byte[] ADDRESS6_2 = Ipv6Address.parse("2001:db8::2");

    private final Random random = new Random(4789);

    @Test
    void udpAndTcpOverIpv4AndIpv6TaggedOrNotAreFinishedToTheSameBytes() {
        for (int round = 0; round < 200; round++) {
            boolean ipv6 = random.nextBoolean();
            boolean tcp = random.nextBoolean();
            boolean tagged = random.nextBoolean();
            byte[] payload = new byte[random.nextInt(1400)];
            random.nextBytes(payload);
            FrameBuilder builder = new FrameBuilder().ethernet(MAC1, MAC2).payload(payload);
            if (tagged) {
                builder.vlan(1 + random.nextInt(4094));
            }
            if (ipv6) {
                builder.ipv6(ADDRESS6_1, ADDRESS6_2);
            } else {
                builder.ipv4(0xc6120001, 0xc6120002);
            }
            int sourcePort = random.nextInt(65536);
            if (tcp) {
                builder.tcp(sourcePort, 80, Tcp.ACK | Tcp.PSH);
            } else {
                builder.udp(sourcePort, 4789);
            }
            byte[] expected = builder.build();
            int l3 = tagged ? 18 : 14;
            int l4 = l3 + (ipv6 ? 40 : 20);
            int field = tcp ? 16 : 6;

            try (Arena arena = Arena.ofConfined()) {
                MemorySegment frame = arena.allocate(expected.length + 32);
                MemorySegment.copy(MemorySegment.ofArray(expected), 0, frame, 16, expected.length);
                makePartial(frame, 16, l3, l4, field, ipv6, tcp ? 6 : 17, expected.length - l4);

                assertThat(PartialChecksum.completeFrame(frame, 16, expected.length))
                        .as("round %d", round)
                        .isTrue();
                assertThat(frame.asSlice(16, expected.length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                        .as("round %d: ipv6 %s tcp %s tagged %s", round, ipv6, tcp, tagged)
                        .isEqualTo(expected);

                makePartial(frame, 16, l3, l4, field, ipv6, tcp ? 6 : 17, expected.length - l4);
                PartialChecksum.complete(frame, 16, expected.length, l4, field);
                assertThat(frame.asSlice(16, expected.length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                        .as("round %d from csum_start and csum_offset", round)
                        .isEqualTo(expected);
            }
        }
    }

    /** What a kernel leaves for the hardware: the folded pseudo-header sum, not complemented. */
    private static void makePartial(
            MemorySegment frame, long at, int l3, int l4, int field, boolean ipv6, int protocol, int l4Length) {
        long pseudo = ipv6
                ? Checksum.ipv6PseudoHeader(frame, at + l3 + 8, at + l3 + 24, protocol, l4Length)
                : Checksum.ipv4PseudoHeader(
                        Bytes.u32(frame, at + l3 + 12), Bytes.u32(frame, at + l3 + 16), protocol, l4Length);
        Bytes.u16(frame, at + l4 + field, Checksum.fold(pseudo));
    }

    @Test
    void aUdpChecksumThatComesToZeroIsSentAsFfff() {
        byte[] payload = new byte[10];
        byte[] frame = new FrameBuilder()
                .ethernet(MAC1, MAC2)
                .ipv4(0xc6120001, 0xc6120002)
                .udp(1000, 2000)
                .payload(payload)
                .build();
        // Two payload bytes equal to the checksum of the rest make the sum 0xffff, so the checksum 0.
        int checksum = Bytes.u16(MemorySegment.ofArray(frame), 40);
        Bytes.u16(MemorySegment.ofArray(frame), 42, checksum);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frameCopy = arena.allocate(frame.length);
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, frameCopy, 0, frame.length);

            assertThat(PartialChecksum.completeFrame(frameCopy, 0, frame.length))
                    .isTrue();
            assertThat(Bytes.u16(frameCopy, 40)).isEqualTo(0xffff);

            Bytes.u16(frameCopy, 40, Checksum.fold(Checksum.ipv4PseudoHeader(0xc6120001, 0xc6120002, 17, 18)));
            PartialChecksum.complete(frameCopy, 0, frame.length, 34, 6);
            assertThat(Bytes.u16(frameCopy, 40)).isEqualTo(0xffff);
        }
    }

    @Test
    void ethernetPaddingIsLeftOutOfTheSum() {
        byte[] frame = new FrameBuilder()
                .ethernet(MAC1, MAC2)
                .ipv4(0xc6120001, 0xc6120002)
                .udp(1000, 2000)
                .payload(new byte[] {1, 2, 3})
                .build();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment padded = arena.allocate(60);
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, padded, 0, frame.length);
            padded.asSlice(frame.length).fill((byte) 0x5a);
            Bytes.u16(padded, 40, 0x1234);

            assertThat(PartialChecksum.completeFrame(padded, 0, 60)).isTrue();
            assertThat(Bytes.u16(padded, 40)).isEqualTo(Bytes.u16(MemorySegment.ofArray(frame), 40));
        }
    }

    @Test
    void framesWithoutTcpOrUdpAreLeftAlone() {
        byte[] arp = new FrameBuilder()
                .ethernet(MAC1, MAC2)
                .arp(1, MAC1, 0xc6120001, 0, 0xc6120002)
                .build();
        byte[] icmp = new FrameBuilder()
                .ethernet(MAC1, MAC2)
                .ipv4(0xc6120001, 0xc6120002)
                .icmpEcho(true, 1, 1)
                .build();
        byte[] fragment = new FrameBuilder()
                .ethernet(MAC1, MAC2)
                .ipv4(0xc6120001, 0xc6120002)
                .udp(1, 2)
                .payload(new byte[16])
                .build();
        Bytes.u16(MemorySegment.ofArray(fragment), 20, 0x2000); // More Fragments
        byte[] truncated = java.util.Arrays.copyOf(fragment, 40);
        try (Arena arena = Arena.ofConfined()) {
            for (byte[] frame : new byte[][] {arp, icmp, fragment, truncated, new byte[10]}) {
                MemorySegment segment = arena.allocate(frame.length);
                MemorySegment.copy(MemorySegment.ofArray(frame), 0, segment, 0, frame.length);
                assertThat(PartialChecksum.completeFrame(segment, 0, frame.length))
                        .isFalse();
                assertThat(segment.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                        .isEqualTo(frame);
            }
        }
    }

    @Test
    void aChecksumOutsideTheFrameIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(60);
            assertThatThrownBy(() -> PartialChecksum.complete(frame, 0, 60, 34, 30))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("checksum at 34+30 is outside a frame of 60 bytes");
        }
    }
}
