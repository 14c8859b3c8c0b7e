package io.jvswitch.wire.l3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors. The checksums were summed independently by 16-bit words in a short Python script (RFC 1071, not
 * this code), then each packet was written behind an Ethernet header with text2pcap and decoded by tshark 4.0 with
 * {@code -o ip.check_checksum:TRUE}, which reported every header checksum "[correct]" and the fields asserted here.
 */
class Ipv4Test {
    // VM1 (10.0.0.1) pings VM2 (10.0.0.2): Linux ping, DF, TTL 64, id 0x1f8a, checksum 071d; 64 bytes of ICMP.
    private static final String ECHO_HEADER = "45000054" + "1f8a4000" + "4001071d" + "0a000001" + "0a000002";
    private static final String ECHO_ICMP = "080098af0d3e0001" + "12bc4a67000000002c1b0a0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    private static final String ECHO = ECHO_HEADER + ECHO_ICMP;

    // The tutorial's delivery header: host 192.168.1.100 to host 192.168.1.101, GRE, 126 bytes, checksum b637.
    private static final String OUTER_GRE = "4500007e" + "00004000" + "402fb637" + "c0a80164" + "c0a80165";

    // VM1's IGMPv3 report to 224.0.0.22 with the Router Alert option (RFC 2113): IHL 6, TOS CS6, TTL 1, checksum f9f8.
    private static final String IGMP_HEADER =
            "46c00028" + "00004000" + "0102f9f8" + "0a000001" + "e0000016" + "94040000";
    private static final String IGMP = IGMP_HEADER + "2200f902" + "00000001" + "04000000" + "e00000fb";

    // The two fragments of a 2000-byte UDP datagram VM1 -> VM2 at MTU 1500 (id 0x2a2b).
    private static final String FIRST_FRAGMENT = "450005dc" + "2a2b2000" + "401116e4" + "0a000001" + "0a000002";
    private static final String LAST_FRAGMENT = "45000214" + "2a2b00b9" + "401139f3" + "0a000001" + "0a000002";

    private static final int VM1 = Ipv4Address.parse("10.0.0.1");
    private static final int VM2 = Ipv4Address.parse("10.0.0.2");
    private static final int HOST1 = Ipv4Address.parse("192.168.1.100");
    private static final int HOST2 = Ipv4Address.parse("192.168.1.101");

    private static byte[] raw(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static MemorySegment bytes(String hex) {
        return MemorySegment.ofArray(raw(hex));
    }

    private static Ipv4 ipv4(String hex) {
        return new Ipv4().wrap(bytes(hex), 0);
    }

    /** Validates {@code packet} in a segment sized exactly to it. */
    private static Malformed validate(byte[] packet) {
        return Ipv4.validate(MemorySegment.ofArray(packet), 0, packet.length);
    }

    private static byte[] withOptions(String options) {
        byte[] packet = raw(IGMP);
        byte[] bytes = raw(options);
        System.arraycopy(bytes, 0, packet, 20, 4);
        return packet;
    }

    @Test
    void decodesTheEchoRequestHeader() {
        Ipv4 ip = ipv4(ECHO);
        assertThat(ip.offset()).isZero();
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.headerLength()).isEqualTo(20);
        assertThat(ip.optionsLength()).isZero();
        assertThat(ip.tos()).isZero();
        assertThat(ip.dscp()).isZero();
        assertThat(ip.ecn()).isEqualTo(Ecn.NOT_ECT);
        assertThat(ip.totalLength()).isEqualTo(84);
        assertThat(ip.payloadOffset()).isEqualTo(20);
        assertThat(ip.payloadLength()).isEqualTo(64);
        assertThat(ip.identification()).isEqualTo(0x1f8a);
        assertThat(ip.dontFragment()).isTrue();
        assertThat(ip.moreFragments()).isFalse();
        assertThat(ip.fragmentOffset()).isZero();
        assertThat(ip.isFragment()).isFalse();
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(ip.checksum()).isEqualTo(0x071d);
        assertThat(ip.source()).isEqualTo(VM1);
        assertThat(ip.destination()).isEqualTo(VM2);
        assertThat(ip.checksumValid()).isTrue();
    }

    @Test
    void decodesTheTutorialsDeliveryHeaderBehindEthernet() {
        Ipv4 ip = new Ipv4().wrap(bytes("fa163e1f1955" + "fa163e000001" + "0800" + OUTER_GRE), 14);
        assertThat(ip.offset()).isEqualTo(14);
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.headerLength()).isEqualTo(20);
        assertThat(ip.totalLength()).isEqualTo(126);
        assertThat(ip.payloadOffset()).isEqualTo(34);
        assertThat(ip.identification()).isZero();
        assertThat(ip.dontFragment()).isTrue();
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.protocol()).isEqualTo(IpProtocol.GRE);
        assertThat(ip.checksum()).isEqualTo(0xb637);
        assertThat(ip.source()).isEqualTo(HOST1);
        assertThat(ip.destination()).isEqualTo(HOST2);
        assertThat(ip.checksumValid()).isTrue();
        assertThat(ip.computeChecksum()).isEqualTo(0xb637);
    }

    @Test
    void encodesTheDeliveryHeaderAtAnOffset() {
        byte[] buffer = new byte[14 + Ipv4.MIN_HEADER_LENGTH];
        Ipv4 ip = new Ipv4()
                .wrap(MemorySegment.ofArray(buffer), 14)
                .writeHeader(0, 126, 0, true, 64, IpProtocol.GRE, HOST1, HOST2);
        assertThat(ip.checksum()).isZero();
        assertThat(ip.computeChecksum()).isEqualTo(0xb637);
        assertThat(ip.checksum()).as("computeChecksum writes nothing").isZero();
        ip.updateChecksum();
        assertThat(HexFormat.of().formatHex(buffer)).isEqualTo("00".repeat(14) + OUTER_GRE);
    }

    @Test
    void encodesTheEchoRequestHeader() {
        byte[] buffer = new byte[2 + Ipv4.MIN_HEADER_LENGTH];
        new Ipv4()
                .wrap(MemorySegment.ofArray(buffer), 2)
                .writeHeader(0, 84, 0x1f8a, true, 64, IpProtocol.ICMP, VM1, VM2)
                .updateChecksum();
        assertThat(HexFormat.of().formatHex(buffer)).isEqualTo("0000" + ECHO_HEADER);
    }

    @Test
    void writeHeaderOverwritesEveryByte() {
        byte[] buffer = new byte[Ipv4.MIN_HEADER_LENGTH];
        Arrays.fill(buffer, (byte) 0xff);
        new Ipv4()
                .wrap(MemorySegment.ofArray(buffer), 0)
                .writeHeader(0, 84, 0x1f8a, true, 64, IpProtocol.ICMP, VM1, VM2);
        assertThat(HexFormat.of().formatHex(buffer))
                .isEqualTo("45000054" + "1f8a4000" + "40010000" + "0a0000010a000002");
    }

    @Test
    void wellKnownChecksumExample() {
        // The IPv4 header checksum example on Wikipedia ("Internet checksum"/"IPv4 header checksum"): b861.
        Ipv4 ip = ipv4("45000073" + "00004000" + "4011b861" + "c0a80001" + "c0a800c7");
        assertThat(ip.checksumValid()).isTrue();
        assertThat(ip.computeChecksum()).isEqualTo(0xb861);
        assertThat(ip.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(ip.totalLength()).isEqualTo(0x73);
    }

    @Test
    void computeChecksumTreatsTheFieldAsZero() {
        Ipv4 ip = ipv4(OUTER_GRE).checksum(0xffff);
        assertThat(ip.checksumValid()).isFalse();
        assertThat(ip.computeChecksum()).isEqualTo(0xb637);
        assertThat(ip.updateChecksum().checksum()).isEqualTo(0xb637);
        assertThat(ip.checksumValid()).isTrue();
        ip.ttl(63);
        assertThat(ip.checksumValid()).isFalse();
    }

    @Test
    void decodesAHeaderWithRouterAlert() {
        Ipv4 ip = ipv4(IGMP);
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.headerLength()).isEqualTo(24);
        assertThat(ip.optionsLength()).isEqualTo(4);
        assertThat(ip.tos()).isEqualTo(0xc0);
        assertThat(ip.dscp()).isEqualTo(48); // CS6
        assertThat(ip.ecn()).isEqualTo(Ecn.NOT_ECT);
        assertThat(ip.totalLength()).isEqualTo(40);
        assertThat(ip.payloadOffset()).isEqualTo(24);
        assertThat(ip.payloadLength()).isEqualTo(16);
        assertThat(ip.identification()).isZero();
        assertThat(ip.dontFragment()).isTrue();
        assertThat(ip.isFragment()).isFalse();
        assertThat(ip.ttl()).isEqualTo(1);
        assertThat(ip.protocol()).isEqualTo(2); // IGMP
        assertThat(ip.checksum()).isEqualTo(0xf9f8);
        assertThat(ip.source()).isEqualTo(VM1);
        assertThat(ip.destination()).isEqualTo(Ipv4Address.parse("224.0.0.22"));
        assertThat(ip.checksumValid()).isTrue();
        assertThat(Ipv4.validate(bytes(IGMP), 0, 40)).isNull();
    }

    @Test
    void theChecksumCoversTheOptions() {
        byte[] packet = raw(IGMP);
        packet[22] = 1; // Router Alert value 1
        assertThat(new Ipv4().wrap(MemorySegment.ofArray(packet), 0).checksumValid())
                .isFalse();
    }

    @Test
    void encodesAHeaderWithOptions() {
        byte[] buffer = new byte[4 + 24];
        MemorySegment segment = MemorySegment.ofArray(buffer);
        Ipv4 ip = new Ipv4()
                .wrap(segment, 4)
                .writeHeader(0xc0, 40, 0, true, 1, 2, VM1, Ipv4Address.parse("224.0.0.22"))
                .headerLength(24);
        MemorySegment.copy(bytes("94040000"), 0, segment, 4 + 20, 4);
        ip.updateChecksum();
        assertThat(HexFormat.of().formatHex(buffer)).isEqualTo("00000000" + IGMP_HEADER);
    }

    @Test
    void decodesBothFragmentsOfADatagram() {
        Ipv4 first = ipv4(FIRST_FRAGMENT);
        assertThat(first.isFragment()).isTrue();
        assertThat(first.moreFragments()).isTrue();
        assertThat(first.dontFragment()).isFalse();
        assertThat(first.fragmentOffset()).isZero();
        assertThat(first.totalLength()).isEqualTo(1500);
        assertThat(first.checksumValid()).isTrue();

        Ipv4 last = ipv4(LAST_FRAGMENT);
        assertThat(last.isFragment()).isTrue();
        assertThat(last.moreFragments()).isFalse();
        assertThat(last.dontFragment()).isFalse();
        assertThat(last.fragmentOffset()).isEqualTo(1480);
        assertThat(last.identification()).isEqualTo(0x2a2b);
        assertThat(last.checksumValid()).isTrue();
    }

    @Test
    void encodesFragmentFlagsAndOffsetInBytes() {
        byte[] first = new byte[Ipv4.MIN_HEADER_LENGTH];
        new Ipv4()
                .wrap(MemorySegment.ofArray(first), 0)
                .writeHeader(0, 1500, 0x2a2b, true, 64, IpProtocol.UDP, VM1, VM2)
                .flagsAndFragmentOffset(false, true, 0)
                .updateChecksum();
        assertThat(HexFormat.of().formatHex(first)).isEqualTo(FIRST_FRAGMENT);

        byte[] last = new byte[Ipv4.MIN_HEADER_LENGTH];
        new Ipv4()
                .wrap(MemorySegment.ofArray(last), 0)
                .writeHeader(0, 532, 0x2a2b, false, 64, IpProtocol.UDP, VM1, VM2)
                .flagsAndFragmentOffset(false, false, 1480)
                .updateChecksum();
        assertThat(HexFormat.of().formatHex(last)).isEqualTo(LAST_FRAGMENT);

        Ipv4 both = ipv4(ECHO_HEADER).flagsAndFragmentOffset(true, true, 8 * 0x1fff);
        assertThat(both.dontFragment()).isTrue();
        assertThat(both.moreFragments()).isTrue();
        assertThat(both.fragmentOffset()).isEqualTo(65528);
    }

    @Test
    void dscpAndEcnSettersKeepEachOther() {
        Ipv4 ip = ipv4(ECHO_HEADER);
        ip.dscp(46); // EF
        assertThat(ip.tos()).isEqualTo(0xb8);
        ip.ecn(Ecn.CE);
        assertThat(ip.tos()).isEqualTo(0xbb);
        assertThat(ip.dscp()).isEqualTo(46);
        ip.dscp(0);
        assertThat(ip.tos()).isEqualTo(0x03);
        ip.ecn(Ecn.ECT_0);
        assertThat(ip.tos()).isEqualTo(0x02);
        ip.tos(0xb9);
        assertThat(ip.dscp()).isEqualTo(46);
        assertThat(ip.ecn()).isEqualTo(Ecn.ECT_1);
        assertThat(ip.totalLength()).as("neighbours untouched").isEqualTo(84);
        assertThat(ip.version()).isEqualTo(4);
    }

    @Test
    void ecnConstantsAreSharedWithEcn() {
        assertThat(new int[] {Ipv4.ECN_NOT_ECT, Ipv4.ECN_ECT1, Ipv4.ECN_ECT0, Ipv4.ECN_CE})
                .containsExactly(Ecn.NOT_ECT, Ecn.ECT_1, Ecn.ECT_0, Ecn.CE);
    }

    @Test
    void remainingSettersWriteTheirFields() {
        byte[] packet = raw(OUTER_GRE);
        new Ipv4()
                .wrap(MemorySegment.ofArray(packet), 0)
                .version(6)
                .headerLength(60)
                .tos(0x01)
                .totalLength(0x0203)
                .identification(0x0405)
                .ttl(0x06)
                .protocol(0x07)
                .checksum(0x0809)
                .source(0x0a0b0c0d)
                .destination(0x0e0f1011);
        assertThat(HexFormat.of().formatHex(packet))
                .isEqualTo("6f010203" + "04054000" + "06070809" + "0a0b0c0d" + "0e0f1011");
    }

    @Test
    void validatesWholePackets() {
        assertThat(validate(raw(ECHO))).isNull();
        assertThat(validate(raw(IGMP))).isNull();
        // Behind Ethernet, with the frame padded to the 60-byte minimum: the padding is not the packet's.
        byte[] padded = raw("01005e000016" + "fa163e000001" + "0800" + IGMP + "00".repeat(6));
        assertThat(Ipv4.validate(MemorySegment.ofArray(padded), 14, padded.length - 14))
                .isNull();
    }

    @Test
    void truncatedHeader() {
        byte[] packet = raw(ECHO);
        for (int length = 0; length < Ipv4.MIN_HEADER_LENGTH; length++) {
            assertThat(validate(Arrays.copyOf(packet, length)))
                    .as("%d bytes", length)
                    .isEqualTo(Malformed.IPV4_TRUNCATED);
        }
        assertThat(Ipv4.validate(bytes(ECHO), 0, -5)).isEqualTo(Malformed.IPV4_TRUNCATED);
        assertThat(Ipv4.validate(bytes(ECHO), 70, 84)).isEqualTo(Malformed.IPV4_TRUNCATED);
    }

    @Test
    void badVersion() {
        byte[] packet = raw(ECHO);
        packet[0] = 0x65;
        assertThat(validate(packet)).isEqualTo(Malformed.IPV4_BAD_VERSION);
        packet[0] = 0x05;
        assertThat(validate(packet)).isEqualTo(Malformed.IPV4_BAD_VERSION);
    }

    @Test
    void badHeaderLength() {
        byte[] packet = raw(ECHO);
        packet[0] = 0x44; // IHL 4: 16 bytes, shorter than the fixed header
        assertThat(validate(packet)).isEqualTo(Malformed.IPV4_BAD_HEADER_LENGTH);
        packet[0] = 0x40;
        assertThat(validate(packet)).isEqualTo(Malformed.IPV4_BAD_HEADER_LENGTH);
        // IHL 15 (60 bytes) in a 40-byte packet.
        byte[] igmp = raw(IGMP);
        igmp[0] = 0x4f;
        assertThat(validate(igmp)).isEqualTo(Malformed.IPV4_BAD_HEADER_LENGTH);
    }

    @Test
    void badTotalLength() {
        byte[] packet = raw(ECHO);
        packet[3] = 85; // one byte more than the frame holds
        assertThat(validate(packet)).isEqualTo(Malformed.IPV4_BAD_TOTAL_LENGTH);
        packet[3] = 19; // shorter than the header
        assertThat(validate(packet)).isEqualTo(Malformed.IPV4_BAD_TOTAL_LENGTH);
        packet[3] = 20; // a header and nothing else is fine
        assertThat(validate(packet)).isNull();

        byte[] igmp = raw(IGMP);
        igmp[3] = 20; // covers the fixed header but not the options
        assertThat(validate(igmp)).isEqualTo(Malformed.IPV4_BAD_TOTAL_LENGTH);
    }

    @Test
    void badOptions() {
        // Router Alert whose length (5) runs one byte past the 24-byte header.
        assertThat(validate(withOptions("94050000"))).isEqualTo(Malformed.IPV4_BAD_OPTIONS);
        // Lengths below 2 cannot even cover the type and length bytes.
        assertThat(validate(withOptions("94010000"))).isEqualTo(Malformed.IPV4_BAD_OPTIONS);
        assertThat(validate(withOptions("94000000"))).isEqualTo(Malformed.IPV4_BAD_OPTIONS);
        // An option type in the last byte of the header has no room for its length byte.
        assertThat(validate(withOptions("01010194"))).isEqualTo(Malformed.IPV4_BAD_OPTIONS);
        // A bad option after good ones is still found.
        assertThat(validate(withOptions("0102ff00"))).isEqualTo(Malformed.IPV4_BAD_OPTIONS);
        // When the header is the whole packet, the missing length byte would lie past the segment's end.
        byte[] headerOnly = Arrays.copyOf(withOptions("01010194"), 24);
        headerOnly[3] = 24;
        assertThat(validate(headerOnly)).isEqualTo(Malformed.IPV4_BAD_OPTIONS);
    }

    @Test
    void wellFormedOptionLists() {
        assertThat(validate(withOptions("94040000"))).isNull();
        assertThat(validate(withOptions("01010101"))).isNull(); // NOPs only
        assertThat(validate(withOptions("00000000"))).isNull(); // end of list at once
        assertThat(validate(withOptions("0094ffff"))).isNull(); // nothing after end of list is read as options
        assertThat(validate(withOptions("01940200"))).isNull(); // NOP, a 2-byte option, end of list
        assertThat(validate(withOptions("0194ff00"))).isEqualTo(Malformed.IPV4_BAD_OPTIONS); // control: 255 > 3
    }

    @Test
    void everyTruncationOfTheEchoRequestIsRefused() {
        byte[] packet = raw(ECHO);
        for (int length = 0; length < packet.length; length++) {
            Malformed expected =
                    length < Ipv4.MIN_HEADER_LENGTH ? Malformed.IPV4_TRUNCATED : Malformed.IPV4_BAD_TOTAL_LENGTH;
            assertThat(validate(Arrays.copyOf(packet, length)))
                    .as("%d bytes", length)
                    .isEqualTo(expected);
        }
    }

    @Test
    void everyTruncationOfTheHeaderWithOptionsIsRefused() {
        byte[] packet = raw(IGMP);
        for (int length = 0; length < packet.length; length++) {
            Malformed expected = length < 20
                    ? Malformed.IPV4_TRUNCATED
                    : length < 24 ? Malformed.IPV4_BAD_HEADER_LENGTH : Malformed.IPV4_BAD_TOTAL_LENGTH;
            assertThat(validate(Arrays.copyOf(packet, length)))
                    .as("%d bytes", length)
                    .isEqualTo(expected);
        }
    }

    @Test
    void randomHeadersNeverThrowAndAcceptedOnesAreConsistent() {
        Random random = new Random(791);
        Ipv4 ip = new Ipv4();
        for (int round = 0; round < 200_000; round++) {
            int length = random.nextInt(80);
            byte[] input = new byte[length];
            random.nextBytes(input);
            if (length > 0 && random.nextBoolean()) {
                input[0] = (byte) (0x40 | random.nextInt(16)); // get past the version check half the time
            }
            if (length > 3 && random.nextBoolean()) {
                input[2] = 0;
                input[3] = (byte) random.nextInt(length + 1);
            }
            MemorySegment segment = MemorySegment.ofArray(input);
            Malformed[] reason = new Malformed[1];
            assertThatCode(() -> reason[0] = Ipv4.validate(segment, 0, length)).doesNotThrowAnyException();
            if (reason[0] == null) {
                ip.wrap(segment, 0);
                assertThat(ip.version()).isEqualTo(4);
                assertThat(ip.headerLength()).isBetween(20, ip.totalLength());
                assertThat(ip.totalLength()).isLessThanOrEqualTo(length);
            }
        }
    }
}
