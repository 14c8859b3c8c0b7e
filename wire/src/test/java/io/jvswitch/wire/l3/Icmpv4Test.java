package io.jvswitch.wire.l3;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Icmpv4Test {
    // VM1 pings VM2 (Linux ping: id 0x0d3e, seq 1, a 16-byte timeval then bytes 10..37). Checksum 98af, derived by
    // hand from 16-bit words: the 28 data words sum to 0x3520e; adding the header words 0800 + 0d3e + 0001 (checksum
    // as 0) gives 0x3674d; folding the carry gives 0x674d + 3 = 0x6750, whose complement is 0x98af. tshark 4.0 agrees
    // ("Checksum: 0x98af [correct]") on the packet written with text2pcap.
    private static final String ECHO_DATA = "12bc4a67000000002c1b0a0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    private static final String ECHO_REQUEST = "0800" + "98af" + "0d3e" + "0001" + ECHO_DATA;

    // A router (10.0.0.254) tells VM1 that its 1500-byte DF datagram needs fragmenting for a 1450-byte MTU (the
    // VXLAN overlay's): IPv4 header, then ICMP 3/4 quoting the invoking header and 8 bytes. Checksums (IPv4 65c7,
    // ICMP 5ed5, quoted IPv4 f6e2) summed independently in Python and reported "[correct]" by tshark 4.0.
    private static final String FRAG_NEEDED_ICMP =
            "0304" + "5ed5" + "0000" + "05aa" + "450005dc2a2c40004011f6e20a0000010a000002" + "d43112b505c8abcd";
    private static final String FRAG_NEEDED = "4500003800000000400165c70a0000fe0a000001" + FRAG_NEEDED_ICMP;

    private static byte[] raw(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static Icmpv4 icmp(String hex) {
        return new Icmpv4().wrap(MemorySegment.ofArray(raw(hex)), 0);
    }

    @Test
    void decodesTheEchoRequest() {
        Icmpv4 icmp = icmp(ECHO_REQUEST);
        assertThat(icmp.offset()).isZero();
        assertThat(icmp.type()).isEqualTo(Icmpv4.ECHO_REQUEST);
        assertThat(icmp.code()).isZero();
        assertThat(icmp.checksum()).isEqualTo(0x98af);
        assertThat(icmp.identifier()).isEqualTo(0x0d3e);
        assertThat(icmp.sequence()).isEqualTo(1);
        assertThat(icmp.restOfHeader()).isEqualTo(0x0d3e0001);
        assertThat(icmp.dataOffset()).isEqualTo(8);
        assertThat(icmp.checksumValid(64)).isTrue();
        assertThat(icmp.computeChecksum(64)).isEqualTo(0x98af);
    }

    @Test
    void encodesTheEchoRequestBehindItsIpv4Header() {
        byte[] packet = new byte[14 + 20 + 64];
        MemorySegment segment = MemorySegment.ofArray(packet);
        Ipv4 ip = new Ipv4()
                .wrap(segment, 14)
                .writeHeader(0, 84, 0x1f8a, true, 64, IpProtocol.ICMP, 0x0a000001, 0x0a000002)
                .updateChecksum();
        Icmpv4 icmp = new Icmpv4().wrap(segment, ip.payloadOffset()).writeEcho(Icmpv4.ECHO_REQUEST, 0x0d3e, 1);
        MemorySegment.copy(MemorySegment.ofArray(raw(ECHO_DATA)), 0, segment, icmp.dataOffset(), 56);
        assertThat(icmp.checksum()).isZero();
        icmp.updateChecksum(ip.payloadLength());
        assertThat(HexFormat.of().formatHex(packet))
                .isEqualTo("00".repeat(14) + "450000541f8a40004001071d0a0000010a000002" + ECHO_REQUEST);
    }

    @Test
    void oddLengthMessagesPadTheLastByte() {
        // Echo with one data byte ab, summed by hand: 0800 + 0d3e + 0001 + ab00 = c03f; complement 3fc0.
        byte[] message = raw("0800" + "0000" + "0d3e" + "0001" + "ab");
        Icmpv4 icmp = new Icmpv4().wrap(MemorySegment.ofArray(message), 0);
        assertThat(icmp.computeChecksum(9)).isEqualTo(0x3fc0);
        assertThat(icmp.updateChecksum(9).checksumValid(9)).isTrue();
        assertThat(HexFormat.of().formatHex(message)).isEqualTo("08003fc00d3e0001ab");
    }

    @Test
    void turningARequestIntoAReplyMatchesTheIncrementalUpdate() {
        // The type word drops by 0x0800, so the checksum rises by 0x0800: a0af.
        Icmpv4 icmp = icmp(ECHO_REQUEST).type(Icmpv4.ECHO_REPLY);
        assertThat(icmp.checksumValid(64)).isFalse();
        assertThat(icmp.computeChecksum(64)).isEqualTo(0xa0af);
        assertThat(Checksum.update16(0x98af, 0x0800, 0x0000)).isEqualTo(0xa0af);
        assertThat(icmp.updateChecksum(64).checksumValid(64)).isTrue();
    }

    @Test
    void theChecksumCoversTheData() {
        byte[] message = raw(ECHO_REQUEST);
        message[63] ^= 1;
        Icmpv4 icmp = new Icmpv4().wrap(MemorySegment.ofArray(message), 0);
        assertThat(icmp.checksumValid(64)).isFalse();
        assertThat(icmp.computeChecksum(64)).isNotEqualTo(0x98af);
        // The stored checksum does not feed into computeChecksum.
        assertThat(icmp.checksum(0x1234).computeChecksum(64))
                .isEqualTo(icmp.checksum(0).computeChecksum(64));
    }

    @Test
    void decodesFragmentationNeededBehindIpv4() {
        MemorySegment packet = MemorySegment.ofArray(raw(FRAG_NEEDED));
        Ipv4 ip = new Ipv4().wrap(packet, 0);
        assertThat(Ipv4.validate(packet, 0, packet.byteSize())).isNull();
        assertThat(ip.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(Icmpv4.validate(packet, ip.payloadOffset(), ip.payloadLength()))
                .isNull();
        Icmpv4 icmp = new Icmpv4().wrap(packet, ip.payloadOffset());
        assertThat(icmp.offset()).isEqualTo(20);
        assertThat(icmp.type()).isEqualTo(Icmpv4.DESTINATION_UNREACHABLE);
        assertThat(icmp.code()).isEqualTo(Icmpv4.CODE_FRAGMENTATION_NEEDED);
        assertThat(icmp.checksum()).isEqualTo(0x5ed5);
        assertThat(icmp.identifier()).as("unused").isZero();
        assertThat(icmp.nextHopMtu()).isEqualTo(1450);
        assertThat(icmp.checksumValid(ip.payloadLength())).isTrue();
        assertThat(icmp.computeChecksum(ip.payloadLength())).isEqualTo(0x5ed5);

        Ipv4 quoted = new Ipv4().wrap(packet, icmp.dataOffset());
        assertThat(quoted.totalLength()).isEqualTo(1500);
        assertThat(quoted.dontFragment()).isTrue();
        assertThat(quoted.checksumValid()).isTrue();
    }

    @Test
    void encodesFragmentationNeeded() {
        byte[] message = new byte[3 + 36];
        MemorySegment segment = MemorySegment.ofArray(message);
        Icmpv4 icmp = new Icmpv4()
                .wrap(segment, 3)
                .type(Icmpv4.DESTINATION_UNREACHABLE)
                .code(Icmpv4.CODE_FRAGMENTATION_NEEDED)
                .restOfHeader(0)
                .nextHopMtu(1450);
        MemorySegment.copy(MemorySegment.ofArray(raw(FRAG_NEEDED_ICMP)), 8, segment, icmp.dataOffset(), 28);
        icmp.updateChecksum(36);
        assertThat(HexFormat.of().formatHex(message)).isEqualTo("000000" + FRAG_NEEDED_ICMP);
    }

    @Test
    void settersWriteTheirBytes() {
        byte[] header = new byte[8];
        new Icmpv4()
                .wrap(MemorySegment.ofArray(header), 0)
                .type(0x0b)
                .code(0x01)
                .checksum(0xabcd)
                .identifier(0x1234)
                .sequence(0x5678);
        assertThat(HexFormat.of().formatHex(header)).isEqualTo("0b01abcd12345678");
        new Icmpv4().wrap(MemorySegment.ofArray(header), 0).nextHopMtu(0x9abc);
        assertThat(HexFormat.of().formatHex(header)).isEqualTo("0b01abcd12349abc");
    }

    @Test
    void constantsAreRfc792s() {
        assertThat(new int[] {
                    Icmpv4.ECHO_REPLY,
                    Icmpv4.DESTINATION_UNREACHABLE,
                    Icmpv4.REDIRECT,
                    Icmpv4.ECHO_REQUEST,
                    Icmpv4.TIME_EXCEEDED,
                    Icmpv4.PARAMETER_PROBLEM
                })
                .containsExactly(0, 3, 5, 8, 11, 12);
        assertThat(new int[] {
                    Icmpv4.CODE_NET_UNREACHABLE,
                    Icmpv4.CODE_HOST_UNREACHABLE,
                    Icmpv4.CODE_PROTOCOL_UNREACHABLE,
                    Icmpv4.CODE_PORT_UNREACHABLE,
                    Icmpv4.CODE_FRAGMENTATION_NEEDED
                })
                .containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void validatesAWholeHeader() {
        assertThat(Icmpv4.validate(MemorySegment.ofArray(raw(ECHO_REQUEST)), 0, 64))
                .isNull();
        assertThat(Icmpv4.validate(MemorySegment.ofArray(raw(ECHO_REQUEST)), 56, 8))
                .isNull();
    }

    @Test
    void everyTruncationIsIcmpTruncated() {
        byte[] header = raw(ECHO_REQUEST.substring(0, 16));
        for (int length = 0; length < Icmpv4.HEADER_LENGTH; length++) {
            MemorySegment exact = MemorySegment.ofArray(Arrays.copyOf(header, length));
            assertThat(Icmpv4.validate(exact, 0, length)).as("%d bytes", length).isEqualTo(Malformed.ICMP_TRUNCATED);
        }
        MemorySegment packet = MemorySegment.ofArray(raw(ECHO_REQUEST));
        assertThat(Icmpv4.validate(packet, 57, 8)).isEqualTo(Malformed.ICMP_TRUNCATED);
        assertThat(Icmpv4.validate(packet, -1, 8)).isEqualTo(Malformed.ICMP_TRUNCATED);
        assertThat(Icmpv4.validate(packet, 0, -8)).isEqualTo(Malformed.ICMP_TRUNCATED);
    }
}
