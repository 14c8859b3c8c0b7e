package io.jvswitch.wire.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.ValidateHarness;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GreEnhancedTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final ValueLayout.OfShort FLAGS = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    // PPTP data from 192.168.1.100 to 192.168.1.101: K, S and A set, version 1, protocol PPP, payload length 12,
    // call ID 0x4000, sequence 1, acknowledgment 0; then an LCP Echo-Request. tshark 4.0 decodes it as "Flags and
    // Version: 0x3081, Payload Length: 12, Call ID: 16384, Sequence Number: 1, Acknowledgment Number: 0".
    private static final String DATA_AND_ACK = "3081" + "880b" + "000c" + "4000" + "00000001" + "00000000";
    private static final String LCP_ECHO = "ff03" + "c021" + "09" + "01" + "0008" + "00000000";

    // A bare acknowledgment (S clear, A set): no payload, ack 7.
    private static final String ACK_ONLY = "2081" + "880b" + "0000" + "4000" + "00000007";

    // Data without an acknowledgment (S set, A clear): sequence 2.
    private static final String DATA_ONLY = "3001" + "880b" + "000c" + "4000" + "00000002";

    private static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(HEX.parseHex(hex));
    }

    @Test
    void decodesDataWithAnAcknowledgment() {
        GreEnhanced gre = new GreEnhanced().wrap(segment("00" + DATA_AND_ACK + LCP_ECHO), 1);
        assertThat(gre.offset()).isEqualTo(1);
        assertThat(gre.flags()).isEqualTo(0x3081);
        assertThat(gre.version()).isEqualTo(1);
        assertThat(gre.protocol()).isEqualTo(GreEnhanced.PROTOCOL_PPP);
        assertThat(gre.hasSequence()).isTrue();
        assertThat(gre.hasAcknowledgment()).isTrue();
        assertThat(gre.headerLength()).isEqualTo(16);
        assertThat(gre.payloadLength()).isEqualTo(12);
        assertThat(gre.callId()).isEqualTo(0x4000);
        assertThat(gre.sequence()).isEqualTo(1);
        assertThat(gre.acknowledgment()).isZero();
    }

    @Test
    void decodesABareAcknowledgment() {
        GreEnhanced gre = new GreEnhanced().wrap(segment(ACK_ONLY), 0);
        assertThat(gre.flags()).isEqualTo(0x2081);
        assertThat(gre.version()).isEqualTo(1);
        assertThat(gre.protocol()).isEqualTo(0x880b);
        assertThat(gre.hasSequence()).isFalse();
        assertThat(gre.hasAcknowledgment()).isTrue();
        assertThat(gre.headerLength()).isEqualTo(12);
        assertThat(gre.payloadLength()).isZero();
        assertThat(gre.callId()).isEqualTo(0x4000);
        assertThat(gre.acknowledgment()).isEqualTo(7);
    }

    @Test
    void decodesDataWithoutAnAcknowledgment() {
        GreEnhanced gre = new GreEnhanced().wrap(segment(DATA_ONLY), 0);
        assertThat(gre.flags()).isEqualTo(0x3001);
        assertThat(gre.hasSequence()).isTrue();
        assertThat(gre.hasAcknowledgment()).isFalse();
        assertThat(gre.headerLength()).isEqualTo(12);
        assertThat(gre.payloadLength()).isEqualTo(12);
        assertThat(gre.sequence()).isEqualTo(2);
    }

    @Test
    void encodesAllThreeAtAnOffsetOverOldBytes() {
        assertThat(encode(true, true, 12, 0x4000, 1, 0)).isEqualTo("ffff" + DATA_AND_ACK + "ffff");
        assertThat(encode(false, true, 0, 0x4000, 99, 7)).isEqualTo("ffff" + ACK_ONLY + "ffffffffffff");
        assertThat(encode(true, false, 12, 0x4000, 2, 99)).isEqualTo("ffff" + DATA_ONLY + "ffffffffffff");
        assertThat(encode(false, false, 0, 0xbeef, 1, 2)).isEqualTo("ffff" + "2001880b0000beef" + "ff".repeat(10));
    }

    private static String encode(boolean sequence, boolean ack, int length, int callId, int seq, int ackNumber) {
        byte[] packet = new byte[2 + 16 + 2];
        Arrays.fill(packet, (byte) 0xff);
        new GreEnhanced().wrap(MemorySegment.ofArray(packet), 2).write(sequence, ack, length, callId, seq, ackNumber);
        return HEX.formatHex(packet);
    }

    @Test
    void settersWriteTheirField() {
        MemorySegment segment = segment(DATA_AND_ACK);
        new GreEnhanced()
                .wrap(segment, 0)
                .payloadLength(0x05dc)
                .callId(0x1234)
                .sequence(0x01020304)
                .acknowledgment(0x05060708);
        assertThat(HEX.formatHex(segment.toArray(ValueLayout.JAVA_BYTE)))
                .isEqualTo("3081880b" + "05dc1234" + "01020304" + "05060708");
        MemorySegment ack = segment(ACK_ONLY);
        new GreEnhanced().wrap(ack, 0).acknowledgment(0x0a0b0c0d);
        assertThat(HEX.formatHex(ack.toArray(ValueLayout.JAVA_BYTE))).isEqualTo("2081880b00004000" + "0a0b0c0d");
    }

    @Test
    void constantsAreTheRfcValues() {
        assertThat(GreEnhanced.FLAG_ACK).isEqualTo(0x0080);
        assertThat(GreEnhanced.PROTOCOL_PPP).isEqualTo(0x880b);
        assertThat(GreEnhanced.MIN_HEADER_LENGTH).isEqualTo(8);
    }

    @Test
    void wellFormedHeadersValidate() {
        assertThat(GreEnhanced.validate(segment(DATA_AND_ACK + LCP_ECHO), 0, 28))
                .isNull();
        assertThat(GreEnhanced.validate(segment(ACK_ONLY), 0, 12)).isNull();
        assertThat(GreEnhanced.validate(segment(DATA_ONLY), 0, 12)).isNull();
        assertThat(GreEnhanced.validate(segment("2001880b00004000"), 0, 8)).isNull();
    }

    /**
     * Each of the first sixteen bits flipped in a header with S and A clear (room for both): C, R, K (cleared), s and
     * the recursion bits are malformed; S and A are fields; the four Flags bits are ignored; flipping a version bit
     * makes the version 0, 3 or 5.
     */
    @Test
    void eachOfTheFirstSixteenBits() {
        Malformed[] expected = new Malformed[16];
        for (int bit : new int[] {0, 1, 2, 4, 5, 6, 7}) {
            expected[bit] = Malformed.GRE_V1_MALFORMED;
        }
        expected[13] = Malformed.GRE_BAD_VERSION;
        expected[14] = Malformed.GRE_BAD_VERSION;
        expected[15] = Malformed.GRE_BAD_VERSION;
        for (int bit = 0; bit < 16; bit++) {
            MemorySegment segment = segment("2001880b00004000" + "0000000000000000");
            int flags = 0x2001 ^ (0x8000 >>> bit);
            segment.set(FLAGS, 0, (short) flags);
            assertThat(GreEnhanced.validate(segment, 0, 16))
                    .as("bit %d (flags 0x%04x)", bit, flags)
                    .isEqualTo(expected[bit]);
        }
    }

    @Test
    void malformedWhenKeyClear() {
        assertThat(GreEnhanced.validate(segment("1001880b000c4000" + "00000002"), 0, 12))
                .isEqualTo(Malformed.GRE_V1_MALFORMED);
    }

    @Test
    void malformedWhenChecksumRoutingStrictRouteOrRecursionSet() {
        for (int bit : new int[] {0x8000, 0x4000, 0x0800, 0x0400, 0x0200, 0x0100}) {
            MemorySegment segment = segment(ACK_ONLY);
            segment.set(FLAGS, 0, (short) (0x2081 | bit));
            assertThat(GreEnhanced.validate(segment, 0, 12)).as("0x%04x", bit).isEqualTo(Malformed.GRE_V1_MALFORMED);
        }
    }

    @Test
    void malformedWhenTheProtocolIsNotPpp() {
        assertThat(GreEnhanced.validate(segment("20010800" + "00004000"), 0, 8)).isEqualTo(Malformed.GRE_V1_MALFORMED);
        assertThat(GreEnhanced.validate(segment("20016558" + "00004000"), 0, 8)).isEqualTo(Malformed.GRE_V1_MALFORMED);
    }

    @Test
    void badVersion() {
        assertThat(GreEnhanced.validate(segment("2000655800001388"), 0, 8)).isEqualTo(Malformed.GRE_BAD_VERSION);
        assertThat(GreEnhanced.validate(segment("2007880b00004000"), 0, 8)).isEqualTo(Malformed.GRE_BAD_VERSION);
    }

    @Test
    void truncated() {
        assertThat(GreEnhanced.validate(segment("2081880b"), 0, 3)).isEqualTo(Malformed.GRE_TRUNCATED);
        assertThat(GreEnhanced.validate(segment("2001880b0000"), 0, 6)).isEqualTo(Malformed.GRE_TRUNCATED);
        assertThat(GreEnhanced.validate(segment(DATA_AND_ACK), 0, 15)).isEqualTo(Malformed.GRE_TRUNCATED);
    }

    @Test
    void everyTruncationIsRefused() {
        ValidateHarness.everyTruncation(
                GreEnhanced::validate,
                HEX.parseHex(DATA_AND_ACK + LCP_ECHO),
                n -> n < 16 ? Malformed.GRE_TRUNCATED : null);
    }

    @Test
    void randomInputNeverThrows() {
        GreEnhanced gre = new GreEnhanced();
        int accepted = ValidateHarness.randomInputs(
                GreEnhanced::validate,
                (segment, offset, available) -> {
                    gre.wrap(segment, offset);
                    gre.protocol();
                    gre.payloadLength();
                    gre.callId();
                    if (gre.hasSequence()) {
                        gre.sequence();
                    }
                    if (gre.hasAcknowledgment()) {
                        gre.acknowledgment();
                    }
                    return gre.headerLength();
                },
                2637,
                200_000,
                40,
                HEX.parseHex(DATA_AND_ACK),
                HEX.parseHex(ACK_ONLY),
                HEX.parseHex("2000655800001388"));
        assertThat(accepted).isGreaterThan(1000);
        ValidateHarness.nonsenseBounds(GreEnhanced::validate);
    }
}
