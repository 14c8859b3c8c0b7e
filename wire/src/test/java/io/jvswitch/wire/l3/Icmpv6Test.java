package io.jvswitch.wire.l3;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Golden packets whose ICMPv6 checksums were summed independently in Python (the RFC 8200 pseudo-header, then the
 * message, by 16-bit words) and which tshark 4.0 decoded from text2pcap output with every checksum "[correct]".
 */
class Icmpv6Test {
    private static final String VM1 = "20010db8000000000000000000000001"; // 2001:db8::1
    private static final String VM2 = "20010db8000000000000000000000002"; // 2001:db8::2

    // VM1 pings VM2 over IPv6: id 0x0d3e, seq 1, Linux ping's 56 data bytes; checksum c4bf.
    private static final String ECHO_DATA = "12bc4a67000000002c1b0a0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    private static final String ECHO_ICMP = "8000" + "c4bf" + "0d3e" + "0001" + ECHO_DATA;
    private static final String ECHO = "6005a3c1" + "0040" + "3a40" + VM1 + VM2 + ECHO_ICMP;

    // VM1 (fe80::f816:3eff:fe00:1) solicits VM2's link-local address (from MAC fa:16:3e:1f:19:55) at its
    // solicited-node group ff02::1:ff1f:1955, with a source link-layer address option; checksum a76d.
    private static final String NS = "6000000000203aff" + "fe80000000000000f8163efffe000001"
            + "ff0200000000000000000001ff1f1955" + "8700a76d" + "00000000" + "fe80000000000000f8163efffe1f1955"
            + "0101fa163e000001";

    // A router (2001:db8::fe) tells VM1 its 1500-byte packet is too big for the overlay's 1450-byte MTU; checksum 8cd9.
    private static final String TOO_BIG = "6000000000383a40" + "20010db80000000000000000000000fe" + VM1 + "0200"
            + "8cd9" + "000005aa" + "6005a3c105b41140" + VM1 + VM2 + "d43112b505b4abcd";

    // The same echo request behind an Authentication Header (24 bytes).
    private static final String ECHO_WITH_AH = "6005a3c1" + "0058" + "3340" + VM1 + VM2 + "3a04" + "0000" + "00001000"
            + "00000001" + "a1b2c3d4e5f60718293a4b5c" + ECHO_ICMP;

    private static byte[] raw(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** The pseudo-header sum for the ICMPv6 message in {@code packet} whose IPv6 header starts at 0. */
    private static long pseudo(MemorySegment packet, int length) {
        Ipv6 ip = new Ipv6().wrap(packet, 0);
        return Checksum.ipv6PseudoHeader(packet, ip.sourceOffset(), ip.destinationOffset(), IpProtocol.ICMPV6, length);
    }

    @Test
    void decodesTheEchoRequest() {
        MemorySegment packet = MemorySegment.ofArray(raw(ECHO));
        Icmpv6 icmp = new Icmpv6().wrap(packet, Ipv6.HEADER_LENGTH);
        assertThat(icmp.offset()).isEqualTo(40);
        assertThat(icmp.type()).isEqualTo(Icmpv6.ECHO_REQUEST);
        assertThat(icmp.code()).isZero();
        assertThat(icmp.checksum()).isEqualTo(0xc4bf);
        assertThat(icmp.identifier()).isEqualTo(0x0d3e);
        assertThat(icmp.sequence()).isEqualTo(1);
        assertThat(icmp.bodyOffset()).isEqualTo(48);
        assertThat(icmp.checksumValid(pseudo(packet, 64), 64)).isTrue();
        assertThat(icmp.computeChecksum(pseudo(packet, 64), 64)).isEqualTo(0xc4bf);
    }

    @Test
    void encodesTheEchoRequestBehindEthernetAndIpv6() {
        byte[] frame = new byte[14 + 40 + 64];
        MemorySegment segment = MemorySegment.ofArray(frame);
        Ipv6 ip = new Ipv6()
                .wrap(segment, 14)
                .writeHeader(0, 0x5a3c1, 64, IpProtocol.ICMPV6, 64)
                .source(Ipv6Address.parse("2001:db8::1"))
                .destination(Ipv6Address.parse("2001:db8::2"));
        Icmpv6 icmp = new Icmpv6().wrap(segment, ip.payloadOffset()).writeEcho(Icmpv6.ECHO_REQUEST, 0x0d3e, 1);
        MemorySegment.copy(MemorySegment.ofArray(raw(ECHO_DATA)), 0, segment, icmp.bodyOffset(), 56);
        assertThat(icmp.checksum()).isZero();
        long pseudo = Checksum.ipv6PseudoHeader(
                segment, ip.sourceOffset(), ip.destinationOffset(), IpProtocol.ICMPV6, ip.payloadLength());
        icmp.updateChecksum(pseudo, ip.payloadLength());
        assertThat(HexFormat.of().formatHex(frame)).isEqualTo("00".repeat(14) + ECHO);
    }

    @Test
    void thePseudoHeaderIsPartOfTheChecksum() {
        MemorySegment packet = MemorySegment.ofArray(raw(ECHO));
        Icmpv6 icmp = new Icmpv6().wrap(packet, 40);
        // Addresses swapped (as a careless echo reply would have them) give the same sum: one's complement
        // addition commutes. A different address, length or next header does not.
        long swapped = Checksum.ipv6PseudoHeader(packet, 24, 8, IpProtocol.ICMPV6, 64);
        assertThat(icmp.checksumValid(swapped, 64)).isTrue();
        assertThat(icmp.checksumValid(Checksum.ipv6PseudoHeader(packet, 8, 8, IpProtocol.ICMPV6, 64), 64))
                .isFalse();
        assertThat(icmp.checksumValid(Checksum.ipv6PseudoHeader(packet, 8, 24, IpProtocol.ICMPV6, 65), 64))
                .isFalse();
        assertThat(icmp.checksumValid(Checksum.ipv6PseudoHeader(packet, 8, 24, IpProtocol.UDP, 64), 64))
                .isFalse();
        assertThat(icmp.checksumValid(0, 64)).isFalse();
    }

    @Test
    void computeChecksumIgnoresTheStoredField() {
        MemorySegment packet = MemorySegment.ofArray(raw(ECHO));
        Icmpv6 icmp = new Icmpv6().wrap(packet, 40).checksum(0xffff);
        assertThat(icmp.checksumValid(pseudo(packet, 64), 64)).isFalse();
        assertThat(icmp.computeChecksum(pseudo(packet, 64), 64)).isEqualTo(0xc4bf);
        assertThat(icmp.updateChecksum(pseudo(packet, 64), 64).checksum()).isEqualTo(0xc4bf);
        // An echo reply: the type word rises by 0x0100, so the checksum drops by 0x0100.
        icmp.type(Icmpv6.ECHO_REPLY).updateChecksum(pseudo(packet, 64), 64);
        assertThat(icmp.checksum()).isEqualTo(0xc3bf);
        assertThat(icmp.checksumValid(pseudo(packet, 64), 64)).isTrue();
    }

    @Test
    void decodesANeighborSolicitation() {
        MemorySegment packet = MemorySegment.ofArray(raw(NS));
        Ipv6 ip = new Ipv6().wrap(packet, 0);
        assertThat(ip.hopLimit()).isEqualTo(255);
        Icmpv6 icmp = new Icmpv6().wrap(packet, ip.payloadOffset());
        assertThat(icmp.type()).isEqualTo(Icmpv6.NEIGHBOR_SOLICITATION);
        assertThat(icmp.code()).isZero();
        assertThat(icmp.checksum()).isEqualTo(0xa76d);
        assertThat(icmp.mtu()).as("reserved").isZero();
        assertThat(Ipv6Address.format(packet, icmp.bodyOffset())).isEqualTo("fe80::f816:3eff:fe1f:1955");
        assertThat(icmp.checksumValid(pseudo(packet, 32), 32)).isTrue();
        assertThat(icmp.computeChecksum(pseudo(packet, 32), 32)).isEqualTo(0xa76d);
    }

    @Test
    void decodesPacketTooBig() {
        MemorySegment packet = MemorySegment.ofArray(raw(TOO_BIG));
        Ipv6 ip = new Ipv6().wrap(packet, 0);
        assertThat(Ipv6.validate(packet, 0, packet.byteSize())).isNull();
        Icmpv6 icmp = new Icmpv6().wrap(packet, ip.payloadOffset());
        assertThat(icmp.type()).isEqualTo(Icmpv6.PACKET_TOO_BIG);
        assertThat(icmp.code()).isZero();
        assertThat(icmp.checksum()).isEqualTo(0x8cd9);
        assertThat(icmp.mtu()).isEqualTo(1450);
        assertThat(icmp.checksumValid(pseudo(packet, ip.payloadLength()), ip.payloadLength()))
                .isTrue();
        Ipv6 quoted = new Ipv6().wrap(packet, icmp.bodyOffset());
        assertThat(quoted.payloadLength()).isEqualTo(1460);
        assertThat(quoted.nextHeader()).isEqualTo(IpProtocol.UDP);
    }

    @Test
    void encodesPacketTooBig() {
        byte[] packet = raw(TOO_BIG);
        MemorySegment segment = MemorySegment.ofArray(packet);
        Arrays.fill(packet, 40, 48, (byte) 0);
        new Icmpv6()
                .wrap(segment, 40)
                .type(Icmpv6.PACKET_TOO_BIG)
                .code(0)
                .mtu(1450)
                .updateChecksum(pseudo(segment, 56), 56);
        assertThat(HexFormat.of().formatHex(packet)).isEqualTo(TOO_BIG);
    }

    @Test
    void checksumsTheMessageTheExtensionWalkerFinds() {
        byte[] bytes = raw(ECHO_WITH_AH);
        MemorySegment packet = MemorySegment.ofArray(bytes);
        Ipv6Extensions walker = new Ipv6Extensions();
        assertThat(walker.walk(packet, 0, bytes.length)).isNull();
        assertThat(walker.upperProtocol()).isEqualTo(IpProtocol.ICMPV6);
        int length = (int) (bytes.length - walker.upperOffset());
        assertThat(length).isEqualTo(64);
        Icmpv6 icmp = new Icmpv6().wrap(packet, walker.upperOffset());
        assertThat(icmp.type()).isEqualTo(Icmpv6.ECHO_REQUEST);
        assertThat(icmp.checksumValid(pseudo(packet, length), length)).isTrue();
    }

    @Test
    void settersWriteTheirBytes() {
        byte[] header = new byte[8];
        Icmpv6 icmp = new Icmpv6().wrap(MemorySegment.ofArray(header), 0);
        icmp.type(0x81).code(0x02).checksum(0xabcd).identifier(0x1234).sequence(0x5678);
        assertThat(HexFormat.of().formatHex(header)).isEqualTo("8102abcd12345678");
        icmp.mtu(0x9abcdef0);
        assertThat(HexFormat.of().formatHex(header)).isEqualTo("8102abcd9abcdef0");
        assertThat(icmp.identifier()).isEqualTo(0x9abc);
        assertThat(icmp.sequence()).isEqualTo(0xdef0);
    }

    @Test
    void constantsAreRfc4443AndRfc4861s() {
        assertThat(new int[] {
                    Icmpv6.DESTINATION_UNREACHABLE,
                    Icmpv6.PACKET_TOO_BIG,
                    Icmpv6.TIME_EXCEEDED,
                    Icmpv6.PARAMETER_PROBLEM,
                    Icmpv6.ECHO_REQUEST,
                    Icmpv6.ECHO_REPLY,
                    Icmpv6.ROUTER_SOLICITATION,
                    Icmpv6.ROUTER_ADVERTISEMENT,
                    Icmpv6.NEIGHBOR_SOLICITATION,
                    Icmpv6.NEIGHBOR_ADVERTISEMENT
                })
                .containsExactly(1, 2, 3, 4, 128, 129, 133, 134, 135, 136);
    }

    @Test
    void validatesAWholeHeader() {
        assertThat(Icmpv6.validate(MemorySegment.ofArray(raw(ECHO)), 40, 64)).isNull();
        assertThat(Icmpv6.validate(MemorySegment.ofArray(raw(ECHO)), 96, 8)).isNull();
    }

    @Test
    void everyTruncationIsIcmpTruncated() {
        byte[] packet = raw(ECHO);
        for (int end = 40; end < 48; end++) {
            MemorySegment exact = MemorySegment.ofArray(Arrays.copyOf(packet, end));
            assertThat(Icmpv6.validate(exact, 40, end - 40))
                    .as("%d bytes", end - 40)
                    .isEqualTo(Malformed.ICMP_TRUNCATED);
        }
        MemorySegment whole = MemorySegment.ofArray(packet);
        assertThat(Icmpv6.validate(whole, 97, 8)).isEqualTo(Malformed.ICMP_TRUNCATED);
        assertThat(Icmpv6.validate(whole, -1, 8)).isEqualTo(Malformed.ICMP_TRUNCATED);
        assertThat(Icmpv6.validate(whole, 40, 7)).isEqualTo(Malformed.ICMP_TRUNCATED);
    }
}
