package io.jvswitch.wire.l4;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.ValidateHarness;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UdpTest {
    private static final HexFormat HEX = HexFormat.of();

    // VM1's broadcast ARP request for 10.0.0.2 (fa:16:3e:00:00:01, 10.0.0.1), as br-tun floods it.
    static final String ARP_REQUEST = "ffffffffffff" + "fa163e000001" + "0806" + "0001" + "0800" + "06" + "04" + "0001"
            + "fa163e000001" + "0a000001" + "000000000000" + "0a000002";

    // That frame in VXLAN (VNI 5000) from host 192.168.1.100 to 192.168.1.101: source port 54321 (0xd431, the
    // entropy hash), destination 4789, length 8 + 8 + 42 = 58 (0x3a), checksum 0x6a26.
    // By hand: pseudo-header c0a8+0164+c0a8+0165+0011+003a = 0x18464; header (checksum 0) and data words sum to
    // 0x7116d; 0x18464 + 0x7116d = 0x895d1, folded 0x95d1 + 0x8 = 0x95d9, complement 0x6a26.
    // tshark 4.0 -o udp.check_checksum:TRUE: "[Checksum Status: Good]".
    private static final String VXLAN_PAYLOAD = "0800000000138800" + ARP_REQUEST;
    private static final String GOLDEN = "d43112b5" + "003a" + "6a26" + VXLAN_PAYLOAD;
    private static final int SOURCE = 0xc0a80164; // 192.168.1.100
    private static final int DESTINATION = 0xc0a80165; // 192.168.1.101

    // The same datagram between 2001:db8::100 and 2001:db8::101. Pseudo-header 2001+0db8+0100 + 2001+0db8+0101
    // + 0000+003a + 0000+0011 = 0x5dbe; with the same 0x7116d, 0x76f2b folds to 0x6f32, complement 0x90cd (tshark:
    // Good).
    private static final String GOLDEN_V6 = "d43112b5" + "003a" + "90cd" + VXLAN_PAYLOAD;
    private static final String V6_ADDRESSES = "20010db8000000000000000000000100" + "20010db8000000000000000000000101";

    // 10.0.0.1:40000 -> 10.0.0.2:5001, length 18, data "jvswitch" and 0x9133, chosen so that everything sums to
    // 0xffff: pseudo-header 0x1426, header and data 0x2ebd7, 0x2fffd folds to 0xffff, whose complement is 0. Zero is
    // "no checksum", so the sender writes 0xffff (RFC 768); tshark: Good.
    private static final String GOLDEN_ZERO_SUM = "9c40" + "1389" + "0012" + "ffff" + "6a76737769746368" + "9133";

    private static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(HEX.parseHex(hex));
    }

    private static long pseudo(int length) {
        return Checksum.ipv4PseudoHeader(SOURCE, DESTINATION, 17, length);
    }

    @Test
    void decodesGoldenBytes() {
        Udp udp = new Udp().wrap(segment(GOLDEN), 0);
        assertThat(udp.sourcePort()).isEqualTo(54321);
        assertThat(udp.destinationPort()).isEqualTo(4789);
        assertThat(udp.length()).isEqualTo(58);
        assertThat(udp.checksum()).isEqualTo(0x6a26);
        assertThat(udp.offset()).isZero();
    }

    @Test
    void encodesGoldenBytesAtAnOffset() {
        byte[] packet = new byte[3 + 58];
        MemorySegment segment = MemorySegment.ofArray(packet);
        MemorySegment.copy(segment(VXLAN_PAYLOAD), 0, segment, 3 + 8, 50);
        Udp udp = new Udp().wrap(segment, 3).write(54321, 4789, 58, 0);
        assertThat(HEX.formatHex(packet)).isEqualTo("000000" + "d43112b5003a0000" + VXLAN_PAYLOAD);
        udp.updateChecksum(pseudo(58), 58);
        assertThat(HEX.formatHex(packet)).isEqualTo("000000" + GOLDEN);
    }

    @Test
    void settersWriteTheirFieldOnly() {
        MemorySegment segment = segment(GOLDEN);
        Udp udp = new Udp().wrap(segment, 0);
        udp.sourcePort(0xc000).destinationPort(4754).length(0x40).checksum(0x1234);
        assertThat(HEX.formatHex(segment.asSlice(0, 10).toArray(ValueLayout.JAVA_BYTE)))
                .isEqualTo("c000" + "1292" + "0040" + "1234" + "0800");
    }

    @Test
    void checksumOfTheGoldenDatagramOverIpv4() {
        Udp udp = new Udp().wrap(segment(GOLDEN), 0);
        // The field's own value takes no part in the computation.
        assertThat(udp.computeChecksum(pseudo(58), 58)).isEqualTo(0x6a26);
        udp.checksum(0xbeef);
        assertThat(udp.computeChecksum(pseudo(58), 58)).isEqualTo(0x6a26);
        assertThat(udp.checksum()).isEqualTo(0xbeef);
    }

    @Test
    void checksumOfTheGoldenDatagramOverIpv6() {
        MemorySegment addresses = segment(V6_ADDRESSES);
        long pseudo = Checksum.ipv6PseudoHeader(addresses, 0, 16, 17, 58);
        Udp udp = new Udp().wrap(segment(GOLDEN_V6), 0);
        assertThat(udp.computeChecksum(pseudo, 58)).isEqualTo(0x90cd);
        assertThat(udp.checksumValid(pseudo, 58)).isTrue();
        assertThat(udp.checksumValid(pseudo(58), 58)).as("IPv4 pseudo-header").isFalse();
    }

    @Test
    void aComputedZeroIsSentAs0xffff() {
        Udp udp = new Udp().wrap(segment(GOLDEN_ZERO_SUM), 0);
        long pseudo = Checksum.ipv4PseudoHeader(0x0a000001, 0x0a000002, 17, 18);
        assertThat(udp.computeChecksum(pseudo, 18)).isEqualTo(0xffff);
        assertThat(udp.checksumValid(pseudo, 18)).isTrue();
        udp.checksum(0).updateChecksum(pseudo, 18);
        assertThat(udp.checksum()).isEqualTo(0xffff);
    }

    @Test
    void checksumValidOnlyForAPresentAndRightChecksum() {
        MemorySegment segment = segment(GOLDEN);
        Udp udp = new Udp().wrap(segment, 0);
        assertThat(udp.checksumValid(pseudo(58), 58)).isTrue();

        udp.checksum(0x6a27);
        assertThat(udp.checksumValid(pseudo(58), 58)).as("wrong field").isFalse();

        udp.checksum(0x6a26);
        segment.set(ValueLayout.JAVA_BYTE, 57, (byte) 0x03);
        assertThat(udp.checksumValid(pseudo(58), 58)).as("data changed").isFalse();
        assertThat(udp.checksumValid(Checksum.ipv4PseudoHeader(SOURCE, 0xc0a80166, 17, 58), 58))
                .as("other destination")
                .isFalse();

        udp.checksum(0);
        assertThat(udp.checksumValid(pseudo(58), 58)).as("zero: no checksum").isFalse();
    }

    @Test
    void wellFormedDatagramsValidate() {
        assertThat(Udp.validate(segment(GOLDEN), 0, 58)).isNull();
        // Bytes after the datagram (Ethernet padding, a longer IP payload) are allowed.
        assertThat(Udp.validate(segment(GOLDEN + "0000"), 0, 60)).isNull();
        // A bare header: length 8.
        assertThat(Udp.validate(segment("d43112b500080000"), 0, 8)).isNull();
    }

    @Test
    void truncatedWhenShorterThanTheHeader() {
        assertThat(Udp.validate(segment("d43112b5003a6a"), 0, 7)).isEqualTo(Malformed.UDP_TRUNCATED);
        assertThat(Udp.validate(MemorySegment.ofArray(new byte[0]), 0, 0)).isEqualTo(Malformed.UDP_TRUNCATED);
    }

    @Test
    void badLengthBelowTheHeader() {
        for (int length = 0; length < 8; length++) {
            MemorySegment segment = segment(GOLDEN);
            new Udp().wrap(segment, 0).length(length);
            assertThat(Udp.validate(segment, 0, 58)).as("length %d", length).isEqualTo(Malformed.UDP_BAD_LENGTH);
        }
    }

    @Test
    void badLengthBeyondTheIpPayload() {
        MemorySegment segment = segment(GOLDEN);
        new Udp().wrap(segment, 0).length(59);
        assertThat(Udp.validate(segment, 0, 58)).isEqualTo(Malformed.UDP_BAD_LENGTH);
        new Udp().wrap(segment, 0).length(0xffff);
        assertThat(Udp.validate(segment, 0, 58)).isEqualTo(Malformed.UDP_BAD_LENGTH);
    }

    @Test
    void everyTruncationIsRefused() {
        ValidateHarness.everyTruncation(
                Udp::validate,
                HEX.parseHex(GOLDEN),
                n -> n < 8 ? Malformed.UDP_TRUNCATED : n < 58 ? Malformed.UDP_BAD_LENGTH : null);
    }

    @Test
    void randomInputNeverThrows() {
        Udp udp = new Udp();
        int accepted = ValidateHarness.randomInputs(
                Udp::validate,
                (segment, offset, available) -> {
                    udp.wrap(segment, offset);
                    udp.sourcePort();
                    udp.destinationPort();
                    udp.checksum();
                    udp.computeChecksum(0, udp.length());
                    return udp.length();
                },
                768,
                200_000,
                80,
                HEX.parseHex(GOLDEN),
                HEX.parseHex(GOLDEN_ZERO_SUM));
        assertThat(accepted).isGreaterThan(1000);
        ValidateHarness.nonsenseBounds(Udp::validate);
    }
}
