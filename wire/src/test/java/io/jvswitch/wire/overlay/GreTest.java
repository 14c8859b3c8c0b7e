package io.jvswitch.wire.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.ValidateHarness;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GreTest {
    private static final HexFormat HEX = HexFormat.of();

    // VM1's broadcast ARP request for 10.0.0.2, the frame br-tun floods into every tunnel.
    private static final String ARP_REQUEST = "ffffffffffff" + "fa163e000001" + "0806" + "0001" + "0800" + "06" + "04"
            + "0001" + "fa163e000001" + "0a000001" + "000000000000" + "0a000002";

    // The tutorial's GRE header: K set, protocol Transparent Ethernet Bridging, key 0x1388 (tun_id 5000).
    // tshark 4.0 decodes it as "Key Bit: Yes", "Protocol Type: Transparent Ethernet bridging (0x6558)", "Key:
    // 0x00001388".
    private static final String KEY_ONLY = "2000" + "6558" + "00001388";

    // The same with C, K and S: checksum 0x3cde, reserved1 0, key 0x1388, sequence 1. By hand: the words of
    // header (checksum 0) and payload sum to 0x6c31b, folded 0xc31b + 0x6 = 0xc321, complement 0x3cde.
    // tshark 4.0: "Checksum: 0x3cde [correct]".
    private static final String ALL_FIELDS = "b000" + "6558" + "3cde" + "0000" + "00001388" + "00000001";

    // PPTP's enhanced GRE (version 1): S and A, payload length 12, call ID 0x4000, sequence 1, ack 0.
    private static final String VERSION_1 = "3081" + "880b" + "000c" + "4000" + "00000001" + "00000000";

    private static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(HEX.parseHex(hex));
    }

    @Test
    void decodesTheTutorialHeader() {
        Gre gre = new Gre().wrap(segment(KEY_ONLY + ARP_REQUEST), 0);
        assertThat(gre.flags()).isEqualTo(0x2000);
        assertThat(gre.version()).isZero();
        assertThat(gre.protocol()).isEqualTo(Gre.PROTOCOL_TEB);
        assertThat(gre.hasChecksum()).isFalse();
        assertThat(gre.hasKey()).isTrue();
        assertThat(gre.hasSequence()).isFalse();
        assertThat(gre.headerLength()).isEqualTo(8);
        assertThat(gre.key()).isEqualTo(0x1388);
        assertThat(gre.offset()).isZero();
    }

    @Test
    void decodesEveryOptionalField() {
        Gre gre = new Gre().wrap(segment("abcd" + ALL_FIELDS + ARP_REQUEST), 2);
        assertThat(gre.offset()).isEqualTo(2);
        assertThat(gre.flags()).isEqualTo(0xb000);
        assertThat(gre.version()).isZero();
        assertThat(gre.protocol()).isEqualTo(0x6558);
        assertThat(gre.hasChecksum()).isTrue();
        assertThat(gre.hasKey()).isTrue();
        assertThat(gre.hasSequence()).isTrue();
        assertThat(gre.headerLength()).isEqualTo(16);
        assertThat(gre.checksum()).isEqualTo(0x3cde);
        assertThat(gre.key()).isEqualTo(0x1388);
        assertThat(gre.sequence()).isEqualTo(1);
    }

    @Test
    void encodesTheTutorialHeaderAtAnOffset() {
        byte[] packet = new byte[2 + 8];
        new Gre().wrap(MemorySegment.ofArray(packet), 2).write(false, true, false, Gre.PROTOCOL_TEB, 0x1388, 99);
        assertThat(HEX.formatHex(packet)).isEqualTo("0000" + KEY_ONLY);
    }

    @Test
    void encodesEveryOptionalFieldOverOldBytesAndFillsInTheChecksum() {
        byte[] packet = new byte[3 + 16 + 42];
        Arrays.fill(packet, (byte) 0xff);
        MemorySegment segment = MemorySegment.ofArray(packet);
        MemorySegment.copy(segment(ARP_REQUEST), 0, segment, 3 + 16, 42);
        Gre gre = new Gre().wrap(segment, 3).write(true, true, true, Gre.PROTOCOL_TEB, 0x1388, 1);
        // Checksum and Reserved1 are written as zero.
        assertThat(HEX.formatHex(packet, 0, 3 + 16)).isEqualTo("ffffff" + "b0006558" + "00000000" + "0000138800000001");
        gre.updateChecksum(16 + 42);
        assertThat(HEX.formatHex(packet)).isEqualTo("ffffff" + ALL_FIELDS + ARP_REQUEST);
    }

    @Test
    void optionalFieldsSitWhereTheFlagsSay() {
        String[] expected = {
            "00000800",
            "10000800" + "22222222",
            "20000800" + "11111111",
            "30000800" + "11111111" + "22222222",
            "80000800" + "00000000",
            "90000800" + "00000000" + "22222222",
            "a0000800" + "00000000" + "11111111",
            "b0000800" + "00000000" + "11111111" + "22222222",
        };
        for (int combination = 0; combination < 8; combination++) {
            boolean checksum = (combination & 4) != 0;
            boolean key = (combination & 2) != 0;
            boolean sequence = (combination & 1) != 0;
            String want = expected[combination];
            byte[] packet = new byte[16];
            Gre gre = new Gre()
                    .wrap(MemorySegment.ofArray(packet), 0)
                    .write(checksum, key, sequence, Gre.PROTOCOL_IPV4, 0x11111111, 0x22222222);
            int length = Gre.headerLength(checksum, key, sequence);
            assertThat(length).isEqualTo(want.length() / 2);
            assertThat(gre.headerLength()).isEqualTo(length);
            assertThat(HEX.formatHex(packet, 0, length))
                    .as("C=%b K=%b S=%b", checksum, key, sequence)
                    .isEqualTo(want);
            assertThat(gre.hasChecksum()).isEqualTo(checksum);
            assertThat(gre.hasKey()).isEqualTo(key);
            assertThat(gre.hasSequence()).isEqualTo(sequence);
            if (key) {
                assertThat(gre.key()).isEqualTo(0x11111111);
                gre.key(0x33333333);
            }
            if (sequence) {
                assertThat(gre.sequence()).isEqualTo(0x22222222);
                gre.sequence(0x44444444);
            }
            if (checksum) {
                gre.checksum(0x5555);
            }
            String after = want.replace("11111111", "33333333").replace("22222222", "44444444");
            if (checksum) {
                after = after.substring(0, 8) + "5555" + after.substring(12);
            }
            assertThat(HEX.formatHex(packet, 0, length)).isEqualTo(after);
        }
    }

    @Test
    void protocolAndFlagSetters() {
        MemorySegment segment = segment(KEY_ONLY);
        Gre gre = new Gre().wrap(segment, 0).protocol(Gre.PROTOCOL_IPV6);
        assertThat(HEX.formatHex(segment.toArray(ValueLayout.JAVA_BYTE))).isEqualTo("200086dd00001388");
        gre.flags(Gre.FLAG_SEQUENCE);
        assertThat(gre.hasSequence()).isTrue();
        assertThat(gre.hasKey()).isFalse();
        assertThat(gre.sequence()).isEqualTo(0x1388);
        assertThat(HEX.formatHex(segment.toArray(ValueLayout.JAVA_BYTE))).isEqualTo("100086dd00001388");
    }

    @Test
    void rawBitsOfKeyAndSequence() {
        Gre gre = new Gre().wrap(MemorySegment.ofArray(new byte[12]), 0);
        gre.write(false, true, true, Gre.PROTOCOL_TEB, 0xffffff00, 0x80000000);
        assertThat(Integer.toUnsignedLong(gre.key())).isEqualTo(0xffffff00L);
        assertThat(Integer.toUnsignedLong(gre.sequence())).isEqualTo(0x80000000L);
    }

    @Test
    void headerLengthForEveryCombination() {
        assertThat(Gre.headerLength(false, false, false))
                .isEqualTo(Gre.MIN_HEADER_LENGTH)
                .isEqualTo(4);
        assertThat(Gre.headerLength(true, false, false)).isEqualTo(8);
        assertThat(Gre.headerLength(false, true, false)).isEqualTo(8);
        assertThat(Gre.headerLength(false, false, true)).isEqualTo(8);
        assertThat(Gre.headerLength(true, true, false)).isEqualTo(12);
        assertThat(Gre.headerLength(false, true, true)).isEqualTo(12);
        assertThat(Gre.headerLength(true, false, true)).isEqualTo(12);
        assertThat(Gre.headerLength(true, true, true))
                .isEqualTo(Gre.MAX_HEADER_LENGTH)
                .isEqualTo(16);
    }

    @Test
    void constantsAreTheRfcValues() {
        assertThat(new int[] {Gre.FLAG_CHECKSUM, Gre.FLAG_ROUTING, Gre.FLAG_KEY, Gre.FLAG_SEQUENCE})
                .containsExactly(0x8000, 0x4000, 0x2000, 0x1000);
        assertThat(new int[] {Gre.PROTOCOL_TEB, Gre.PROTOCOL_IPV4, Gre.PROTOCOL_IPV6})
                .containsExactly(0x6558, 0x0800, 0x86dd);
    }

    @Test
    void checksumOfTheGoldenPacket() {
        MemorySegment segment = segment(ALL_FIELDS + ARP_REQUEST);
        Gre gre = new Gre().wrap(segment, 0);
        assertThat(gre.computeChecksum(58)).isEqualTo(0x3cde);
        assertThat(gre.checksumValid(58)).isTrue();

        gre.checksum(0x3cdf);
        assertThat(gre.checksumValid(58)).as("wrong field").isFalse();
        assertThat(gre.computeChecksum(58)).as("the field takes no part").isEqualTo(0x3cde);

        gre.checksum(0x3cde).key(0x1389);
        assertThat(gre.checksumValid(58)).as("key covered").isFalse();
        gre.key(0x1388);
        segment.set(ValueLayout.JAVA_BYTE, 57, (byte) 0x03);
        assertThat(gre.checksumValid(58)).as("payload covered").isFalse();
    }

    @Test
    void checksumValidIsFalseWithoutAChecksum() {
        Gre gre = new Gre().wrap(segment(KEY_ONLY + ARP_REQUEST), 0);
        assertThat(gre.checksumValid(50)).isFalse();
        // Without C there is no field to leave out: the sum covers every byte.
        MemorySegment bare = segment("0000" + "0800" + "4500");
        assertThat(new Gre().wrap(bare, 0).computeChecksum(6)).isEqualTo(~(0x0800 + 0x4500) & 0xffff);
    }

    @Test
    void versionBeforeValidating() {
        assertThat(Gre.version(segment(KEY_ONLY), 0)).isZero();
        assertThat(Gre.version(segment(VERSION_1), 0)).isEqualTo(1);
        assertThat(Gre.version(segment("ff" + "0007"), 1)).isEqualTo(7);
        assertThat(Gre.version(segment("20"), 0)).isEqualTo(-1);
        assertThat(Gre.version(segment("2000"), 1)).isEqualTo(-1);
        assertThat(Gre.version(segment("2000"), -1)).isEqualTo(-1);
        assertThat(Gre.version(MemorySegment.NULL, 0)).isEqualTo(-1);
        assertThat(Gre.version(segment("2000"), Long.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void wellFormedHeadersValidate() {
        assertThat(Gre.validate(segment(KEY_ONLY + ARP_REQUEST), 0, 50)).isNull();
        assertThat(Gre.validate(segment(ALL_FIELDS), 0, 16)).isNull();
        assertThat(Gre.validate(segment("00000800"), 0, 4)).isNull();
    }

    /**
     * RFC 2784 section 2.3 bit by bit, each bit set alone in an otherwise zero header with room for every optional
     * field: bits 1 (R), 4 (s) and 5 (recursion) are a discard, 0 (C), 2 (K) and 3 (S) are fields, 6 to 12 are
     * ignored, 13 to 15 make the version non-zero.
     */
    @Test
    void eachOfTheFirstSixteenBits() {
        Malformed[] expected = new Malformed[16];
        expected[1] = Malformed.GRE_RESERVED_BITS;
        expected[4] = Malformed.GRE_RESERVED_BITS;
        expected[5] = Malformed.GRE_RESERVED_BITS;
        expected[13] = Malformed.GRE_BAD_VERSION;
        expected[14] = Malformed.GRE_BAD_VERSION;
        expected[15] = Malformed.GRE_BAD_VERSION;
        for (int bit = 0; bit < 16; bit++) {
            MemorySegment segment = MemorySegment.ofArray(new byte[16]);
            new Gre().wrap(segment, 0).flags(0x8000 >>> bit).protocol(Gre.PROTOCOL_TEB);
            assertThat(Gre.validate(segment, 0, 16)).as("bit %d", bit).isEqualTo(expected[bit]);
        }
    }

    @Test
    void ignoredBitsTogetherStillValidate() {
        MemorySegment segment = segment(KEY_ONLY);
        new Gre().wrap(segment, 0).flags(0x2000 | 0x03f8);
        assertThat(Gre.validate(segment, 0, 8)).isNull();
        assertThat(Gre.IGNORED_MASK).isEqualTo(0x03f8);
        assertThat(Gre.DISCARD_MASK).isEqualTo(0x4c00);
    }

    @Test
    void reservedBitsRoutingStrictRouteOrRecursion() {
        for (int bit : new int[] {Gre.FLAG_ROUTING, Gre.FLAG_STRICT_ROUTE, 0x0400}) {
            MemorySegment segment = segment(KEY_ONLY);
            new Gre().wrap(segment, 0).flags(0x2000 | bit);
            assertThat(Gre.validate(segment, 0, 8)).as("0x%04x", bit).isEqualTo(Malformed.GRE_RESERVED_BITS);
        }
    }

    @Test
    void badVersion() {
        assertThat(Gre.validate(segment(VERSION_1), 0, 16)).isEqualTo(Malformed.GRE_BAD_VERSION);
        assertThat(Gre.validate(segment("20076558" + "00001388"), 0, 8)).isEqualTo(Malformed.GRE_BAD_VERSION);
        // The version is checked first: a version 1 header with R set is a version problem.
        assertThat(Gre.validate(segment("60016558" + "00001388"), 0, 8)).isEqualTo(Malformed.GRE_BAD_VERSION);
    }

    @Test
    void truncatedBeforeTheFixedWordOrAnOptionalField() {
        assertThat(Gre.validate(segment("200065"), 0, 3)).isEqualTo(Malformed.GRE_TRUNCATED);
        assertThat(Gre.validate(segment(KEY_ONLY), 0, 7)).isEqualTo(Malformed.GRE_TRUNCATED);
        assertThat(Gre.validate(segment(ALL_FIELDS), 0, 15)).isEqualTo(Malformed.GRE_TRUNCATED);
        assertThat(Gre.validate(segment("80006558"), 0, 4)).isEqualTo(Malformed.GRE_TRUNCATED);
    }

    @Test
    void everyTruncationIsRefused() {
        ValidateHarness.everyTruncation(
                Gre::validate, HEX.parseHex(ALL_FIELDS), n -> n < 16 ? Malformed.GRE_TRUNCATED : null);
        ValidateHarness.everyTruncation(
                Gre::validate, HEX.parseHex(KEY_ONLY + ARP_REQUEST), n -> n < 8 ? Malformed.GRE_TRUNCATED : null);
    }

    @Test
    void randomInputNeverThrows() {
        Gre gre = new Gre();
        int accepted = ValidateHarness.randomInputs(
                Gre::validate,
                (segment, offset, available) -> {
                    gre.wrap(segment, offset);
                    gre.protocol();
                    if (gre.hasChecksum()) {
                        gre.checksum();
                    }
                    if (gre.hasKey()) {
                        gre.key();
                    }
                    if (gre.hasSequence()) {
                        gre.sequence();
                    }
                    gre.computeChecksum(gre.headerLength());
                    return gre.headerLength();
                },
                2784,
                200_000,
                40,
                HEX.parseHex(KEY_ONLY),
                HEX.parseHex(ALL_FIELDS),
                HEX.parseHex(VERSION_1));
        assertThat(accepted).isGreaterThan(1000);
        ValidateHarness.nonsenseBounds(Gre::validate);
    }
}
