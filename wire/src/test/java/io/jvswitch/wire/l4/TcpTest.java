package io.jvswitch.wire.l4;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.ValidateHarness;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TcpTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int VM1 = 0x0a000001; // 10.0.0.1
    private static final int VM2 = 0x0a000002; // 10.0.0.2

    // VM1 opens ssh to VM2, as Linux sends it: 43210 (0xa8ca) -> 22, seq 0x0a1b2c3d, data offset 10 (40 bytes),
    // SYN, window 64240, options MSS 1460, SACK permitted, timestamps 123456/0, NOP, window scale 7.
    // By hand: pseudo-header 0a00+0001+0a00+0002+0006+0028 = 0x1431; header words (checksum 0) sum to 0x37439;
    // 0x3886a folds to 0x886a + 0x3 = 0x886d, complement 0x7792. tshark 4.0: "[Checksum Status: Good]".
    private static final String SYN_FIXED =
            "a8ca" + "0016" + "0a1b2c3d" + "00000000" + "a0" + "02" + "faf0" + "7792" + "0000";
    private static final String SYN_OPTIONS = "020405b4" + "0402" + "080a" + "0001e240" + "00000000" + "01" + "030307";
    private static final String SYN = SYN_FIXED + SYN_OPTIONS;

    // Then PSH|ACK with the 5 bytes "hello" (an odd length: the last byte is padded with zero for the sum).
    // seq 0x0a1b2c3e, ack 0x5e6f7081, data offset 5, window 502. Pseudo-header 0x1400+1+2+6+0x19 = 0x1422; header
    // and data 0x34408; 0x3582a folds to 0x582d, complement 0xa7d2 (tshark: Good).
    private static final String DATA =
            "a8ca" + "0016" + "0a1b2c3e" + "5e6f7081" + "50" + "18" + "01f6" + "a7d2" + "0000" + "68656c6c6f";

    private static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(HEX.parseHex(hex));
    }

    @Test
    void decodesTheSyn() {
        Tcp tcp = new Tcp().wrap(segment(SYN), 0);
        assertThat(tcp.sourcePort()).isEqualTo(43210);
        assertThat(tcp.destinationPort()).isEqualTo(22);
        assertThat(tcp.sequenceNumber()).isEqualTo(0x0a1b2c3d);
        assertThat(tcp.acknowledgmentNumber()).isZero();
        assertThat(tcp.headerLength()).isEqualTo(40);
        assertThat(tcp.flags()).isEqualTo(Tcp.SYN);
        assertThat(tcp.window()).isEqualTo(64240);
        assertThat(tcp.checksum()).isEqualTo(0x7792);
        assertThat(tcp.urgentPointer()).isZero();
    }

    @Test
    void decodesTheDataSegment() {
        Tcp tcp = new Tcp().wrap(segment("ffff" + DATA), 2);
        assertThat(tcp.offset()).isEqualTo(2);
        assertThat(tcp.sourcePort()).isEqualTo(43210);
        assertThat(tcp.destinationPort()).isEqualTo(22);
        assertThat(tcp.sequenceNumber()).isEqualTo(0x0a1b2c3e);
        assertThat(tcp.acknowledgmentNumber()).isEqualTo(0x5e6f7081);
        assertThat(tcp.headerLength()).isEqualTo(20);
        assertThat(tcp.flags()).isEqualTo(Tcp.PSH | Tcp.ACK);
        assertThat(tcp.window()).isEqualTo(502);
        assertThat(tcp.checksum()).isEqualTo(0xa7d2);
        assertThat(tcp.urgentPointer()).isZero();
    }

    @Test
    void rawBitsOfLargeSequenceNumbers() {
        Tcp tcp = new Tcp().wrap(MemorySegment.ofArray(new byte[20]), 0);
        tcp.sequenceNumber(0xfedcba98).acknowledgmentNumber(0x80000001);
        assertThat(Integer.toUnsignedLong(tcp.sequenceNumber())).isEqualTo(0xfedcba98L);
        assertThat(Integer.toUnsignedLong(tcp.acknowledgmentNumber())).isEqualTo(0x80000001L);
    }

    @Test
    void encodesTheSynAtAnOffset() {
        byte[] packet = new byte[3 + 40];
        MemorySegment segment = MemorySegment.ofArray(packet);
        MemorySegment.copy(segment(SYN_OPTIONS), 0, segment, 3 + 20, 20);
        Tcp tcp = new Tcp().wrap(segment, 3).write(43210, 22, 0x0a1b2c3d, 0, 40, Tcp.SYN, 64240, 0, 0);
        tcp.updateChecksum(Checksum.ipv4PseudoHeader(VM1, VM2, 6, 40), 40);
        assertThat(HEX.formatHex(packet)).isEqualTo("000000" + SYN);
    }

    @Test
    void encodesTheDataSegmentOverOldBytes() {
        byte[] packet = HEX.parseHex("ee".repeat(2 + 25));
        MemorySegment segment = MemorySegment.ofArray(packet);
        System.arraycopy("hello".getBytes(StandardCharsets.US_ASCII), 0, packet, 2 + 20, 5);
        new Tcp().wrap(segment, 2).write(43210, 22, 0x0a1b2c3e, 0x5e6f7081, 20, Tcp.PSH | Tcp.ACK, 502, 0xa7d2, 0);
        // write clears the reserved bits beside the data offset.
        assertThat(HEX.formatHex(packet)).isEqualTo("eeee" + DATA);
    }

    @Test
    void headerLengthSetterKeepsTheReservedBits() {
        MemorySegment segment = segment(DATA);
        segment.set(ValueLayout.JAVA_BYTE, 12, (byte) 0x5f);
        Tcp tcp = new Tcp().wrap(segment, 0).headerLength(60);
        assertThat(segment.get(ValueLayout.JAVA_BYTE, 12)).isEqualTo((byte) 0xff);
        assertThat(tcp.headerLength()).isEqualTo(60);
        tcp.headerLength(24);
        assertThat(segment.get(ValueLayout.JAVA_BYTE, 12)).isEqualTo((byte) 0x6f);
        assertThat(tcp.flags()).isEqualTo(Tcp.PSH | Tcp.ACK);
    }

    @Test
    void settersWriteTheirFieldOnly() {
        MemorySegment segment = segment(DATA);
        new Tcp()
                .wrap(segment, 0)
                .sourcePort(1)
                .destinationPort(2)
                .sequenceNumber(3)
                .acknowledgmentNumber(4)
                .flags(Tcp.FIN | Tcp.ACK)
                .window(5)
                .checksum(6)
                .urgentPointer(7);
        assertThat(HEX.formatHex(segment.toArray(ValueLayout.JAVA_BYTE)))
                .isEqualTo("0001" + "0002" + "00000003" + "00000004" + "50" + "11" + "0005" + "0006" + "0007"
                        + "68656c6c6f");
    }

    @Test
    void checksumsOfTheGoldenSegments() {
        Tcp syn = new Tcp().wrap(segment(SYN), 0);
        long synPseudo = Checksum.ipv4PseudoHeader(VM1, VM2, 6, 40);
        assertThat(syn.computeChecksum(synPseudo, 40)).isEqualTo(0x7792);
        assertThat(syn.checksumValid(synPseudo, 40)).isTrue();

        MemorySegment dataSegment = segment(DATA);
        Tcp data = new Tcp().wrap(dataSegment, 0);
        long dataPseudo = Checksum.ipv4PseudoHeader(VM1, VM2, 6, 25);
        data.checksum(0x1111);
        assertThat(data.computeChecksum(dataPseudo, 25)).isEqualTo(0xa7d2);
        assertThat(data.checksumValid(dataPseudo, 25)).isFalse();
        data.updateChecksum(dataPseudo, 25);
        assertThat(data.checksum()).isEqualTo(0xa7d2);
        assertThat(data.checksumValid(dataPseudo, 25)).isTrue();

        // The odd last byte counts: change it and the sum breaks.
        dataSegment.set(ValueLayout.JAVA_BYTE, 24, (byte) 'O');
        assertThat(data.checksumValid(dataPseudo, 25)).isFalse();
        // So does the pseudo-header.
        dataSegment.set(ValueLayout.JAVA_BYTE, 24, (byte) 'o');
        assertThat(data.checksumValid(Checksum.ipv4PseudoHeader(VM2, VM1 + 2, 6, 25), 25))
                .isFalse();
        assertThat(data.checksumValid(dataPseudo, 25)).isTrue();
    }

    @Test
    void flagNamesLowestFirst() {
        assertThat(Tcp.flagNames(Tcp.SYN | Tcp.ACK)).isEqualTo("SYN|ACK");
        assertThat(Tcp.flagNames(Tcp.FIN | Tcp.ACK)).isEqualTo("FIN|ACK");
        assertThat(Tcp.flagNames(Tcp.RST)).isEqualTo("RST");
        assertThat(Tcp.flagNames(0xff)).isEqualTo("FIN|SYN|RST|PSH|ACK|URG|ECE|CWR");
        assertThat(Tcp.flagNames(Tcp.ECE | Tcp.CWR | Tcp.URG)).isEqualTo("URG|ECE|CWR");
        assertThat(Tcp.flagNames(0)).isEqualTo("none");
        assertThat(Tcp.flagNames(0x100 | Tcp.PSH)).isEqualTo("PSH");
    }

    @Test
    void flagConstantsAreTheRfcBits() {
        assertThat(new int[] {Tcp.FIN, Tcp.SYN, Tcp.RST, Tcp.PSH, Tcp.ACK, Tcp.URG, Tcp.ECE, Tcp.CWR})
                .containsExactly(0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80);
    }

    @Test
    void wellFormedSegmentsValidate() {
        assertThat(Tcp.validate(segment(SYN), 0, 40)).isNull();
        assertThat(Tcp.validate(segment(DATA), 0, 25)).isNull();
        // A header of 60 bytes (data offset 15) that fits.
        MemorySegment longest = MemorySegment.ofArray(new byte[60]);
        new Tcp().wrap(longest, 0).headerLength(60);
        assertThat(Tcp.validate(longest, 0, 60)).isNull();
    }

    @Test
    void truncatedWhenShorterThanTheFixedHeader() {
        assertThat(Tcp.validate(segment(SYN_FIXED.substring(0, 38)), 0, 19)).isEqualTo(Malformed.TCP_TRUNCATED);
    }

    @Test
    void badDataOffsetBelowFive() {
        for (int words = 0; words < 5; words++) {
            MemorySegment segment = segment(DATA);
            segment.set(ValueLayout.JAVA_BYTE, 12, (byte) (words << 4));
            assertThat(Tcp.validate(segment, 0, 25))
                    .as("data offset %d", words)
                    .isEqualTo(Malformed.TCP_BAD_DATA_OFFSET);
        }
    }

    @Test
    void badDataOffsetBeyondTheSegment() {
        // The SYN's 40-byte header with only 39 bytes there.
        assertThat(Tcp.validate(segment(SYN), 0, 39)).isEqualTo(Malformed.TCP_BAD_DATA_OFFSET);
        MemorySegment data = segment(DATA);
        new Tcp().wrap(data, 0).headerLength(28);
        assertThat(Tcp.validate(data, 0, 25)).isEqualTo(Malformed.TCP_BAD_DATA_OFFSET);
    }

    @Test
    void everyTruncationIsRefused() {
        ValidateHarness.everyTruncation(
                Tcp::validate,
                HEX.parseHex(SYN),
                n -> n < 20 ? Malformed.TCP_TRUNCATED : n < 40 ? Malformed.TCP_BAD_DATA_OFFSET : null);
        // Data behind the header is not the header's business.
        ValidateHarness.everyTruncation(
                Tcp::validate, HEX.parseHex(DATA), n -> n < 20 ? Malformed.TCP_TRUNCATED : null);
    }

    @Test
    void randomInputNeverThrows() {
        Tcp tcp = new Tcp();
        int accepted = ValidateHarness.randomInputs(
                Tcp::validate,
                (segment, offset, available) -> {
                    tcp.wrap(segment, offset);
                    tcp.sourcePort();
                    tcp.destinationPort();
                    tcp.sequenceNumber();
                    tcp.acknowledgmentNumber();
                    tcp.flags();
                    tcp.window();
                    tcp.urgentPointer();
                    tcp.computeChecksum(0, tcp.headerLength());
                    return tcp.headerLength();
                },
                9293,
                200_000,
                80,
                HEX.parseHex(SYN),
                HEX.parseHex(DATA));
        assertThat(accepted).isGreaterThan(1000);
        ValidateHarness.nonsenseBounds(Tcp::validate);
    }
}
