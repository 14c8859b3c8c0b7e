package io.jvswitch.wire.l3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Chains written behind an Ethernet header with text2pcap and decoded by tshark 4.0, which walked them to the same
 * headers, lengths and fragment fields asserted here.
 */
class Ipv6ExtensionsTest {
    private static final String ADDRESSES =
            "20010db8000000000000000000000001" + "20010db8000000000000000000000002"; // 2001:db8::1 -> ::2

    // Hop-by-hop (PadN, 8 bytes) -> Segment Routing header (one segment, 24 bytes) -> Fragment (first, M set,
    // id 6a2f81c3) -> UDP 54321 -> 4789. The UDP header starts at 40 + 8 + 24 + 8 = 80.
    private static final String HOP_BY_HOP = "2b00" + "010400000000";
    private static final String ROUTING = "2c02" + "04000000" + "0000" + "20010db8000000000000000000000002";
    private static final String FIRST_FRAGMENT = "1100" + "0001" + "6a2f81c3";
    private static final String UDP = "d43112b5" + "0010" + "0000" + "6a76737769746368";
    private static final String CHAIN =
            "6005a3c1" + "0038" + "00" + "40" + ADDRESSES + HOP_BY_HOP + ROUTING + FIRST_FRAGMENT + UDP;

    // The last fragment of the same datagram: offset 1448 bytes (181 units), M clear; 16 payload bytes.
    private static final String LATER_FRAGMENT = "6005a3c1" + "0018" + "2c" + "40" + ADDRESSES + "1100" + "05a8"
            + "6a2f81c3" + "000102030405060708090a0b0c0d0e0f";

    // AH (payload length 4: 24 bytes with a 12-byte HMAC-SHA1-96 ICV) -> ICMPv6 echo request, which starts at 64.
    private static final String ICMPV6_ECHO = "8000c4bf0d3e0001" + "12bc4a67000000002c1b0a0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    private static final String AH_PACKET = "6005a3c1" + "0058" + "33" + "40" + ADDRESSES + "3a04" + "0000" + "00001000"
            + "00000001" + "a1b2c3d4e5f60718293a4b5c" + ICMPV6_ECHO;

    private final Ipv6Extensions walker = new Ipv6Extensions();

    private static byte[] raw(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** An IPv6 packet (no payload-length fix-up: the walker reads only next headers) with the given first header. */
    private static String ipv6(int nextHeader, String payload) {
        return "60000000" + String.format("%04x%02x40", payload.length() / 2, nextHeader) + ADDRESSES + payload;
    }

    /** Walks a packet in a segment sized exactly to it. */
    private Malformed walk(byte[] packet) {
        return walker.walk(MemorySegment.ofArray(packet), 0, packet.length);
    }

    private Malformed walk(String hex) {
        return walk(raw(hex));
    }

    @Test
    void walksHopByHopRoutingAndFragmentToUdp() {
        assertThat(walk(CHAIN)).isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.UDP);
        assertThat(walker.upperOffset()).isEqualTo(80);
        assertThat(walker.extensionCount()).isEqualTo(3);
        assertThat(walker.hasFragmentHeader()).isTrue();
        assertThat(walker.isFragment()).isTrue();
        assertThat(walker.fragmentOffset()).isZero();
        assertThat(walker.moreFragments()).isTrue();
        assertThat(walker.fragmentIdentification()).isEqualTo(0x6a2f81c3);
    }

    @Test
    void upperOffsetIsAbsolute() {
        byte[] frame = raw("fa163e1f1955" + "fa163e000001" + "86dd" + CHAIN);
        assertThat(walker.walk(MemorySegment.ofArray(frame), 14, frame.length)).isNull();
        assertThat(walker.upperOffset()).isEqualTo(14 + 80);
    }

    @Test
    void everyTruncationOfTheChain() {
        byte[] packet = raw(CHAIN);
        for (int length = 0; length <= packet.length; length++) {
            Malformed expected =
                    length < 40 ? Malformed.IPV6_TRUNCATED : length < 80 ? Malformed.IPV6_EXTENSION_TRUNCATED : null;
            assertThat(walk(Arrays.copyOf(packet, length)))
                    .as("%d bytes", length)
                    .isEqualTo(expected);
            // The same answer when the segment goes on but the packet ends earlier.
            assertThat(walker.walk(MemorySegment.ofArray(packet), 0, length))
                    .as("%d of %d bytes", length, packet.length)
                    .isEqualTo(expected);
            if (expected == null) {
                assertThat(walker.upperOffset()).isEqualTo(80); // at the end when the UDP header is missing
            } else {
                assertThat(walker.upperOffset()).isEqualTo(-1);
                assertThat(walker.upperProtocol()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aNonFirstFragmentHasNoUpperLayerHeader() {
        assertThat(walk(LATER_FRAGMENT)).isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.UDP);
        assertThat(walker.upperOffset()).isEqualTo(-1);
        assertThat(walker.extensionCount()).isEqualTo(1);
        assertThat(walker.hasFragmentHeader()).isTrue();
        assertThat(walker.isFragment()).isTrue();
        assertThat(walker.fragmentOffset()).isEqualTo(1448);
        assertThat(walker.moreFragments()).isFalse();
        assertThat(walker.fragmentIdentification()).isEqualTo(0x6a2f81c3);
    }

    @Test
    void aNonFirstFragmentsPayloadIsNotReadAsHeaders() {
        // Garbage after a later fragment's header (here, what looks like a routing header with a huge length) is
        // payload, never walked.
        assertThat(walk(ipv6(IpProtocol.FRAGMENT, "2b00" + "05a8" + "6a2f81c3" + "00ff")))
                .isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.ROUTING);
        assertThat(walker.upperOffset()).isEqualTo(-1);
    }

    @Test
    void everyTruncationOfTheFragmentHeader() {
        byte[] packet = raw(LATER_FRAGMENT);
        for (int length = 40; length < 48; length++) {
            assertThat(walk(Arrays.copyOf(packet, length)))
                    .as("%d bytes", length)
                    .isEqualTo(Malformed.IPV6_EXTENSION_TRUNCATED);
        }
        assertThat(walk(Arrays.copyOf(packet, 48))).isNull();
    }

    @Test
    void anAtomicFragmentIsAWholePacket() {
        // RFC 6946: offset 0 and M clear.
        assertThat(walk(ipv6(IpProtocol.FRAGMENT, "3a00" + "0000" + "00000007" + ICMPV6_ECHO)))
                .isNull();
        assertThat(walker.hasFragmentHeader()).isTrue();
        assertThat(walker.isFragment()).isFalse();
        assertThat(walker.fragmentIdentification()).isEqualTo(7);
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.ICMPV6);
        assertThat(walker.upperOffset()).isEqualTo(48);
    }

    @Test
    void fragmentReservedBitsDoNotLeakIntoTheOffset() {
        assertThat(walk(ipv6(IpProtocol.FRAGMENT, "1100" + "05ae" + "6a2f81c3")))
                .isNull(); // Res = 11, M = 0
        assertThat(walker.fragmentOffset()).isEqualTo(1448);
        assertThat(walker.moreFragments()).isFalse();
        assertThat(walk(ipv6(IpProtocol.FRAGMENT, "1100" + "fff9" + "ffffffff")))
                .isNull();
        assertThat(walker.fragmentOffset()).isEqualTo(65528);
        assertThat(walker.moreFragments()).isTrue();
        assertThat(walker.fragmentIdentification()).isEqualTo(-1);
    }

    @Test
    void walksTheAuthenticationHeaderInFourByteUnits() {
        assertThat(walk(AH_PACKET)).isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.ICMPV6);
        assertThat(walker.upperOffset()).isEqualTo(64);
        assertThat(walker.extensionCount()).isEqualTo(1);
        assertThat(walker.hasFragmentHeader()).isFalse();
        assertThat(walker.isFragment()).isFalse();
    }

    @Test
    void everyTruncationOfTheAuthenticationHeader() {
        byte[] packet = raw(AH_PACKET);
        for (int length = 40; length < 64; length++) {
            assertThat(walk(Arrays.copyOf(packet, length)))
                    .as("%d bytes", length)
                    .isEqualTo(Malformed.IPV6_EXTENSION_TRUNCATED);
        }
        assertThat(walk(Arrays.copyOf(packet, 64))).isNull();
    }

    @Test
    void walksMobilityHipAndShim6InEightByteUnits() {
        String destination = "8700" + "010400000000"; // -> Mobility, 8 bytes
        String mobility = "8b01" + "00".repeat(14); // -> HIP, 16 bytes
        String hip = "8c00" + "00".repeat(6); // -> Shim6, 8 bytes
        String shim6 = "0602" + "00".repeat(22); // -> TCP, 24 bytes
        assertThat(walk(ipv6(IpProtocol.DESTINATION_OPTIONS, destination + mobility + hip + shim6 + "00".repeat(20))))
                .isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.TCP);
        assertThat(walker.upperOffset()).isEqualTo(40 + 8 + 16 + 8 + 24);
        assertThat(walker.extensionCount()).isEqualTo(4);
    }

    @Test
    void noExtensionHeaders() {
        assertThat(walk(ipv6(IpProtocol.ICMPV6, ICMPV6_ECHO))).isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.ICMPV6);
        assertThat(walker.upperOffset()).isEqualTo(40);
        assertThat(walker.extensionCount()).isZero();
        assertThat(walker.hasFragmentHeader()).isFalse();
    }

    @Test
    void stopsAtEsp() {
        String esp = "00001000" + "00000001" + "c0ffee00c0ffee00";
        assertThat(walk(ipv6(IpProtocol.ESP, esp))).isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.ESP);
        assertThat(walker.upperOffset()).isEqualTo(40);
        // After a Destination Options header: ESP's bytes are not read as a next header.
        assertThat(walk(ipv6(IpProtocol.DESTINATION_OPTIONS, "3200" + "010400000000" + "2b")))
                .isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.ESP);
        assertThat(walker.upperOffset()).isEqualTo(48);
        assertThat(walker.extensionCount()).isEqualTo(1);
    }

    @Test
    void stopsAtNoNextHeader() {
        assertThat(walk(ipv6(IpProtocol.NO_NEXT_HEADER, ""))).isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.NO_NEXT_HEADER);
        assertThat(walker.upperOffset()).isEqualTo(-1);
        assertThat(walker.extensionCount()).isZero();

        assertThat(walk(ipv6(IpProtocol.HOPOPT, "3b00" + "010400000000" + "ffffffff")))
                .isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.NO_NEXT_HEADER);
        assertThat(walker.upperOffset()).isEqualTo(-1);
        assertThat(walker.extensionCount()).isEqualTo(1);
    }

    @Test
    void sixteenExtensionsAreWalkedAndSeventeenAreTooMany() {
        String padN = "010400000000";
        String sixteen = ("3c00" + padN).repeat(15) + "3b00" + padN;
        assertThat(walk(ipv6(IpProtocol.DESTINATION_OPTIONS, sixteen))).isNull();
        assertThat(walker.extensionCount()).isEqualTo(Ipv6Extensions.MAX_EXTENSIONS);
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.NO_NEXT_HEADER);

        String seventeen = ("3c00" + padN).repeat(16) + "3b00" + padN;
        assertThat(walk(ipv6(IpProtocol.DESTINATION_OPTIONS, seventeen))).isEqualTo(Malformed.IPV6_TOO_MANY_EXTENSIONS);
        assertThat(walker.upperOffset()).isEqualTo(-1);
        // Even when the seventeenth would be truncated: the count is the first thing wrong.
        String cut = ("3c00" + padN).repeat(16);
        assertThat(walk(ipv6(IpProtocol.DESTINATION_OPTIONS, cut))).isEqualTo(Malformed.IPV6_TOO_MANY_EXTENSIONS);
    }

    @Test
    void lengthsLargerThanThePacketAreTruncated() {
        assertThat(walk(ipv6(IpProtocol.HOPOPT, "11ff" + "010400000000" + UDP)))
                .isEqualTo(Malformed.IPV6_EXTENSION_TRUNCATED);
        assertThat(walk(ipv6(IpProtocol.AH, "3aff" + "0000" + "00001000" + "00000001" + ICMPV6_ECHO)))
                .isEqualTo(Malformed.IPV6_EXTENSION_TRUNCATED);
        // A header whose length byte itself is missing.
        assertThat(walk(ipv6(IpProtocol.ROUTING, "11"))).isEqualTo(Malformed.IPV6_EXTENSION_TRUNCATED);
        assertThat(walk(ipv6(IpProtocol.AH, "3a"))).isEqualTo(Malformed.IPV6_EXTENSION_TRUNCATED);
    }

    @Test
    void aSecondWalkForgetsTheFirst() {
        assertThat(walker.upperProtocol()).isEqualTo(-1);
        assertThat(walker.upperOffset()).isEqualTo(-1);
        assertThat(walk(LATER_FRAGMENT)).isNull();
        assertThat(walk(AH_PACKET)).isNull();
        assertThat(walker.hasFragmentHeader()).isFalse();
        assertThat(walker.isFragment()).isFalse();
        assertThat(walker.fragmentOffset()).isZero();
        assertThat(walker.fragmentIdentification()).isZero();
        assertThat(walker.moreFragments()).isFalse();
        assertThat(walker.extensionCount()).isEqualTo(1);
    }

    @Test
    void boundsBeyondTheSegmentAreTruncatedNotThrown() {
        MemorySegment packet = MemorySegment.ofArray(raw(CHAIN));
        assertThat(walker.walk(packet, 0, 1_000)).isNull(); // the segment's end wins over a too-large end
        assertThat(walker.walk(packet, 60, 96)).isEqualTo(Malformed.IPV6_TRUNCATED);
        assertThat(walker.walk(packet, 200, 300)).isEqualTo(Malformed.IPV6_TRUNCATED);
        assertThat(walker.walk(packet, -1, 96)).isEqualTo(Malformed.IPV6_TRUNCATED);
        assertThat(walker.walk(packet, 0, -1)).isEqualTo(Malformed.IPV6_TRUNCATED);
    }

    @Test
    void randomChainsNeverThrow() {
        Random random = new Random(6564);
        int[] types = {0, 43, 44, 51, 60, 135, 139, 140, 59, 50, 17, 6, 58};
        for (int round = 0; round < 100_000; round++) {
            int length = 40 + random.nextInt(120);
            byte[] input = new byte[length];
            random.nextBytes(input);
            // Mostly small lengths and walkable types, so that chains get long.
            input[6] = (byte) types[random.nextInt(types.length)];
            for (int i = 40; i + 1 < length; i += 8) {
                input[i] = (byte) types[random.nextInt(types.length)];
                input[i + 1] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0);
            }
            int end = random.nextInt(length + 1);
            MemorySegment segment = MemorySegment.ofArray(Arrays.copyOf(input, end));
            Malformed[] reason = new Malformed[1];
            assertThatCode(() -> reason[0] = walker.walk(segment, 0, end)).doesNotThrowAnyException();
            if (reason[0] == null) {
                assertThat(walker.extensionCount()).isLessThanOrEqualTo(Ipv6Extensions.MAX_EXTENSIONS);
                assertThat(walker.upperProtocol()).isBetween(0, 255);
                if (walker.upperOffset() != -1) {
                    assertThat(walker.upperOffset()).isBetween(40L, (long) end);
                }
            }
        }
    }
}
