package io.jvswitch.wire.l3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors written behind an Ethernet header with text2pcap and decoded by tshark 4.0, which showed the
 * fields asserted here (and the ICMPv6 checksum c4bf "[correct]").
 */
class Ipv6Test {
    private static final String VM1 = "20010db8000000000000000000000001"; // 2001:db8::1
    private static final String VM2 = "20010db8000000000000000000000002"; // 2001:db8::2

    // VM1 pings VM2 over IPv6: flow label 5a3c1, 64 bytes of ICMPv6, hop limit 64.
    private static final String ECHO_HEADER = "6005a3c1" + "0040" + "3a" + "40" + VM1 + VM2;
    private static final String ECHO = ECHO_HEADER + "8000c4bf0d3e0001" + "12bc4a67000000002c1b0a0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    // Traffic class ba (DSCP EF, ECT(0)), flow label 12345, no payload, No Next Header.
    private static final String MARKED = "6ba12345" + "0000" + "3b" + "40" + VM1 + VM2;

    private static byte[] raw(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static MemorySegment bytes(String hex) {
        return MemorySegment.ofArray(raw(hex));
    }

    private static Malformed validate(byte[] packet) {
        return Ipv6.validate(MemorySegment.ofArray(packet), 0, packet.length);
    }

    @Test
    void decodesTheEchoRequestHeader() {
        Ipv6 ip = new Ipv6().wrap(bytes("fa163e1f1955" + "fa163e000001" + "86dd" + ECHO), 14);
        assertThat(ip.offset()).isEqualTo(14);
        assertThat(ip.version()).isEqualTo(6);
        assertThat(ip.trafficClass()).isZero();
        assertThat(ip.dscp()).isZero();
        assertThat(ip.ecn()).isEqualTo(Ecn.NOT_ECT);
        assertThat(ip.flowLabel()).isEqualTo(0x5a3c1);
        assertThat(ip.payloadLength()).isEqualTo(64);
        assertThat(ip.payloadOffset()).isEqualTo(54);
        assertThat(ip.nextHeader()).isEqualTo(IpProtocol.ICMPV6);
        assertThat(ip.hopLimit()).isEqualTo(64);
        assertThat(ip.sourceOffset()).isEqualTo(22);
        assertThat(ip.destinationOffset()).isEqualTo(38);
        assertThat(ip.sourceHigh()).isEqualTo(0x20010db800000000L);
        assertThat(ip.sourceLow()).isEqualTo(1L);
        assertThat(ip.destinationHigh()).isEqualTo(0x20010db800000000L);
        assertThat(ip.destinationLow()).isEqualTo(2L);
    }

    @Test
    void decodesTrafficClassDscpEcnAndFlowLabel() {
        Ipv6 ip = new Ipv6().wrap(bytes(MARKED), 0);
        assertThat(ip.version()).isEqualTo(6);
        assertThat(ip.trafficClass()).isEqualTo(0xba);
        assertThat(ip.dscp()).isEqualTo(46); // EF
        assertThat(ip.ecn()).isEqualTo(Ecn.ECT_0);
        assertThat(ip.flowLabel()).isEqualTo(0x12345);
        assertThat(ip.payloadLength()).isZero();
        assertThat(ip.nextHeader()).isEqualTo(IpProtocol.NO_NEXT_HEADER);
    }

    @Test
    void addressBytesSitAtTheirOffsets() {
        // A link-local source, whose interface identifier comes from VM2's MAC fa:16:3e:1f:19:55.
        byte[] packet = raw(ECHO);
        MemorySegment segment = MemorySegment.ofArray(packet);
        Ipv6 ip = new Ipv6().wrap(segment, 0);
        ip.source(Ipv6Address.parse("fe80::f816:3eff:fe1f:1955"));
        assertThat(Ipv6Address.format(segment, ip.sourceOffset())).isEqualTo("fe80::f816:3eff:fe1f:1955");
        assertThat(ip.sourceHigh()).isEqualTo(0xfe80000000000000L);
        assertThat(ip.sourceLow()).isEqualTo(0xf8163efffe1f1955L);
        assertThat(Ipv6Address.format(segment, ip.destinationOffset())).isEqualTo("2001:db8::2");
    }

    @Test
    void encodesTheEchoRequestHeaderAtAnOffset() {
        byte[] buffer = new byte[6 + Ipv6.HEADER_LENGTH];
        new Ipv6()
                .wrap(MemorySegment.ofArray(buffer), 6)
                .writeHeader(0, 0x5a3c1, 64, IpProtocol.ICMPV6, 64)
                .source(0x20010db800000000L, 1)
                .destination(0x20010db800000000L, 2);
        assertThat(HexFormat.of().formatHex(buffer)).isEqualTo("000000000000" + ECHO_HEADER);
    }

    @Test
    void encodesWithAddressesFromText() {
        byte[] buffer = new byte[Ipv6.HEADER_LENGTH];
        new Ipv6()
                .wrap(MemorySegment.ofArray(buffer), 0)
                .writeHeader(0xba, 0x12345, 0, IpProtocol.NO_NEXT_HEADER, 64)
                .source(Ipv6Address.parse("2001:db8::1"))
                .destination(Ipv6Address.parse("2001:db8::2"));
        assertThat(HexFormat.of().formatHex(buffer)).isEqualTo(MARKED);
    }

    @Test
    void writeHeaderMasksOutOfRangeFields() {
        byte[] buffer = new byte[Ipv6.HEADER_LENGTH];
        Arrays.fill(buffer, (byte) 0xff);
        new Ipv6().wrap(MemorySegment.ofArray(buffer), 0).writeHeader(0x1ba, 0xf12345, 0, 59, 64);
        assertThat(HexFormat.of().formatHex(buffer, 0, 8)).isEqualTo("6ba12345" + "0000" + "3b40");
    }

    @Test
    void addressArraysMustBe16Bytes() {
        Ipv6 ip = new Ipv6().wrap(bytes(ECHO_HEADER), 0);
        assertThatThrownBy(() -> ip.source(new byte[4])).hasMessage("an IPv6 address has 16 bytes, not 4");
        assertThatThrownBy(() -> ip.destination(new byte[17])).hasMessage("an IPv6 address has 16 bytes, not 17");
    }

    @Test
    void fieldSettersKeepTheirNeighbours() {
        Ipv6 ip = new Ipv6().wrap(bytes(MARKED), 0);
        ip.ecn(Ecn.CE);
        assertThat(ip.trafficClass()).isEqualTo(0xbb);
        ip.dscp(0);
        assertThat(ip.trafficClass()).isEqualTo(0x03);
        assertThat(ip.flowLabel()).isEqualTo(0x12345);
        assertThat(ip.version()).isEqualTo(6);
        ip.flowLabel(0xfffff);
        assertThat(ip.trafficClass()).isEqualTo(0x03);
        assertThat(ip.flowLabel()).isEqualTo(0xfffff);
        ip.trafficClass(0xff);
        assertThat(ip.flowLabel()).isEqualTo(0xfffff);
        assertThat(ip.version()).isEqualTo(6);
        ip.trafficClass(0).flowLabel(0);
        assertThat(ip.version()).isEqualTo(6);
        ip.version(4);
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.trafficClass()).isZero();
        ip.payloadLength(0x1234).nextHeader(IpProtocol.UDP).hopLimit(255);
        assertThat(ip.payloadLength()).isEqualTo(0x1234);
        assertThat(ip.nextHeader()).isEqualTo(IpProtocol.UDP);
        assertThat(ip.hopLimit()).isEqualTo(255);
        assertThat(ip.sourceLow()).isEqualTo(1L);
    }

    @Test
    void validatesWholePackets() {
        assertThat(validate(raw(ECHO))).isNull();
        assertThat(validate(raw(MARKED))).isNull();
        // Payload length 0 is an empty payload, not a jumbogram; trailing bytes are padding.
        assertThat(validate(raw(MARKED + "0000"))).isNull();
        byte[] frame = raw("fa163e1f1955" + "fa163e000001" + "86dd" + ECHO);
        assertThat(Ipv6.validate(MemorySegment.ofArray(frame), 14, frame.length - 14))
                .isNull();
    }

    @Test
    void truncated() {
        byte[] packet = raw(ECHO);
        for (int length = 0; length < Ipv6.HEADER_LENGTH; length++) {
            assertThat(validate(Arrays.copyOf(packet, length)))
                    .as("%d bytes", length)
                    .isEqualTo(Malformed.IPV6_TRUNCATED);
        }
        assertThat(Ipv6.validate(bytes(ECHO), 0, -1)).isEqualTo(Malformed.IPV6_TRUNCATED);
        assertThat(Ipv6.validate(bytes(ECHO), 70, 104)).isEqualTo(Malformed.IPV6_TRUNCATED);
    }

    @Test
    void badVersion() {
        byte[] packet = raw(ECHO);
        packet[0] = 0x45;
        assertThat(validate(packet)).isEqualTo(Malformed.IPV6_BAD_VERSION);
        packet[0] = 0x70;
        assertThat(validate(packet)).isEqualTo(Malformed.IPV6_BAD_VERSION);
    }

    @Test
    void badPayloadLength() {
        byte[] packet = raw(ECHO);
        packet[5] = 65;
        assertThat(validate(packet)).isEqualTo(Malformed.IPV6_BAD_PAYLOAD_LENGTH);
        packet[4] = (byte) 0xff;
        packet[5] = (byte) 0xff;
        assertThat(validate(packet)).isEqualTo(Malformed.IPV6_BAD_PAYLOAD_LENGTH);
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] packet = raw(ECHO);
        for (int length = 0; length < packet.length; length++) {
            Malformed expected =
                    length < Ipv6.HEADER_LENGTH ? Malformed.IPV6_TRUNCATED : Malformed.IPV6_BAD_PAYLOAD_LENGTH;
            assertThat(validate(Arrays.copyOf(packet, length)))
                    .as("%d bytes", length)
                    .isEqualTo(expected);
        }
    }

    @Test
    void randomHeadersNeverThrow() {
        Random random = new Random(8200);
        Ipv6 ip = new Ipv6();
        for (int round = 0; round < 100_000; round++) {
            int length = random.nextInt(120);
            byte[] input = new byte[length];
            random.nextBytes(input);
            if (length > 0 && random.nextBoolean()) {
                input[0] = (byte) (0x60 | random.nextInt(16));
            }
            if (length > 5 && random.nextBoolean()) {
                input[4] = 0;
                input[5] = (byte) random.nextInt(90);
            }
            MemorySegment segment = MemorySegment.ofArray(input);
            Malformed[] reason = new Malformed[1];
            assertThatCode(() -> reason[0] = Ipv6.validate(segment, 0, length)).doesNotThrowAnyException();
            if (reason[0] == null) {
                ip.wrap(segment, 0);
                assertThat(ip.version()).isEqualTo(6);
                assertThat(Ipv6.HEADER_LENGTH + ip.payloadLength()).isLessThanOrEqualTo(length);
            }
        }
    }
}
