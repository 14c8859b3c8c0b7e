package io.jvswitch.wire.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l3.IpProtocol;
import io.jvswitch.wire.l4.Tcp;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact frames. The expected hex was composed independently of this code, by a short Python script using only
 * struct and a hand-written RFC 1071 sum; the checksums are also re-verified here over the ranges they cover.
 */
class FrameBuilderTest {
    private static final long VM1_MAC = 0xfa163e000001L;
    private static final long VM2_MAC = 0xfa163e000002L;
    private static final int VM1 = Ipv4Address.parse("10.0.0.1");
    private static final int VM2 = Ipv4Address.parse("10.0.0.2");
    private static final byte[] VM1_V6 = Ipv6Address.parse("fd00::1");
    private static final byte[] VM2_V6 = Ipv6Address.parse("fd00::2");

    private static final String VM2_FROM_VM1 = "fa163e000002" + "fa163e000001";
    private static final String V6_ADDRESSES = "fd000000000000000000000000000001" + "fd000000000000000000000000000002";

    /** 0x00, 0x01, ... : the payloads PacketSpec writes. */
    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static final String COUNTING_32 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String COUNTING_56 = COUNTING_32 + "202122232425262728292a2b2c2d2e2f3031323334353637";

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static FrameBuilder vm1ToVm2() {
        return new FrameBuilder().ethernet(VM1_MAC, VM2_MAC).ipv4(VM1, VM2);
    }

    private static FrameBuilder vm1ToVm2V6() {
        return new FrameBuilder().ethernet(VM1_MAC, VM2_MAC).ipv6(VM1_V6, VM2_V6);
    }

    @Test
    void arpRequestIsTheTutorialsFirstPacket() {
        byte[] frame = new FrameBuilder()
                .ethernet(VM1_MAC, MacAddress.BROADCAST)
                .arp(Arp.OP_REQUEST, VM1_MAC, VM1, 0, VM2)
                .build();
        assertThat(hex(frame))
                .isEqualTo("ffffffffffff" + "fa163e000001" + "0806" + "0001" + "0800" + "06" + "04" + "0001"
                        + "fa163e000001" + "0a000001" + "000000000000" + "0a000002");
    }

    @Test
    void arpReplyCarriesBothAddresses() {
        byte[] frame = new FrameBuilder()
                .ethernet(VM2_MAC, VM1_MAC)
                .arp(Arp.OP_REPLY, VM2_MAC, VM2, VM1_MAC, VM1)
                .build();
        assertThat(hex(frame))
                .isEqualTo("fa163e000001" + "fa163e000002" + "0806" + "0001080006040002" + "fa163e000002" + "0a000002"
                        + "fa163e000001" + "0a000001");
    }

    @Test
    void defaultsAreTheTutorialsVm1ToBroadcast() {
        byte[] frame =
                new FrameBuilder().arp(Arp.OP_REQUEST, VM1_MAC, VM1, 0, VM2).build();
        assertThat(hex(frame)).startsWith("ffffffffffff" + "fa163e000001" + "0806");
    }

    @Test
    void icmpEchoRequest() {
        byte[] frame = vm1ToVm2().icmpEcho(true, 1, 1).payload(counting(56)).build();
        assertThat(hex(frame))
                .isEqualTo(VM2_FROM_VM1 + "0800"
                        + "45000054" + "00004000" + "400126a7" + "0a000001" + "0a000002" // DF, ttl 64, ICMP
                        + "0800" + "00eb" + "0001" + "0001" + COUNTING_56);
        MemorySegment segment = MemorySegment.ofArray(frame);
        assertThat(Checksum.verifies(segment, 14, 20, 0)).isTrue();
        assertThat(Checksum.verifies(segment, 34, 64, 0)).isTrue();
    }

    @Test
    void icmpEchoReply() {
        byte[] frame = new FrameBuilder()
                .ethernet(VM2_MAC, VM1_MAC)
                .ipv4(VM2, VM1)
                .icmpEcho(false, 1, 1)
                .payload(counting(56))
                .build();
        assertThat(hex(frame))
                .isEqualTo("fa163e000001" + "fa163e000002" + "0800"
                        + "45000054" + "00004000" + "400126a7" + "0a000002" + "0a000001"
                        + "0000" + "08eb" + "0001" + "0001" + COUNTING_56);
        assertThat(Checksum.verifies(MemorySegment.ofArray(frame), 34, 64, 0)).isTrue();
    }

    @Test
    void udpWithItsPseudoHeaderChecksum() {
        byte[] frame = vm1ToVm2().udp(12345, 7).payload(counting(32)).build();
        assertThat(hex(frame))
                .isEqualTo(VM2_FROM_VM1 + "0800"
                        + "4500003c" + "00004000" + "401126af" + "0a000001" + "0a000002"
                        + "3039" + "0007" + "0028" + "ca5a" + COUNTING_32);
        MemorySegment segment = MemorySegment.ofArray(frame);
        assertThat(Checksum.verifies(segment, 14, 20, 0)).isTrue();
        long pseudo = Checksum.ipv4PseudoHeader(VM1, VM2, IpProtocol.UDP, 40);
        assertThat(Checksum.verifies(segment, 34, 40, pseudo)).isTrue();
        // The same bytes under another pseudo-header do not verify: the addresses are covered.
        assertThat(Checksum.verifies(segment, 34, 40, Checksum.ipv4PseudoHeader(VM2, VM1 + 1, IpProtocol.UDP, 40)))
                .isFalse();
    }

    @Test
    void tosTtlIdentificationAndFragmentFlag() {
        byte[] frame = vm1ToVm2()
                .tos(0xb8)
                .ttl(1)
                .identification(0x1234)
                .dontFragment(false)
                .udp(12345, 7)
                .payload(counting(32))
                .build();
        assertThat(hex(frame))
                .isEqualTo(VM2_FROM_VM1 + "0800"
                        + "45b8003c" + "12340000" + "011192c3" + "0a000001" + "0a000002"
                        + "3039" + "0007" + "0028" + "ca5a" + COUNTING_32);
        assertThat(Checksum.verifies(MemorySegment.ofArray(frame), 14, 20, 0)).isTrue();
    }

    @Test
    void tcpSyn() {
        byte[] frame = vm1ToVm2().tcp(12345, 80, Tcp.SYN).build();
        assertThat(hex(frame))
                .isEqualTo(VM2_FROM_VM1 + "0800"
                        + "45000028" + "00004000" + "400626ce" + "0a000001" + "0a000002"
                        + "3039" + "0050" + "00000001" + "00000000" + "5002" + "ffff" + "6b56" + "0000");
        long pseudo = Checksum.ipv4PseudoHeader(VM1, VM2, IpProtocol.TCP, 20);
        assertThat(Checksum.verifies(MemorySegment.ofArray(frame), 34, 20, pseudo))
                .isTrue();
    }

    @Test
    void tcpWithAckAcknowledgesOneAndCarriesAnOddPayload() {
        byte[] frame = vm1ToVm2()
                .tcp(12345, 80, Tcp.SYN | Tcp.ACK)
                .payload(counting(4))
                .build();
        assertThat(hex(frame))
                .isEqualTo(VM2_FROM_VM1 + "0800"
                        + "4500002c" + "00004000" + "400626ca" + "0a000001" + "0a000002"
                        + "3039" + "0050" + "00000001" + "00000001" + "5012" + "ffff" + "693d" + "0000"
                        + "00010203");
        long pseudo = Checksum.ipv4PseudoHeader(VM1, VM2, IpProtocol.TCP, 24);
        assertThat(Checksum.verifies(MemorySegment.ofArray(frame), 34, 24, pseudo))
                .isTrue();
    }

    @Test
    void udpOverIpv6() {
        byte[] frame = vm1ToVm2V6().udp(12345, 7).payload(counting(32)).build();
        assertThat(hex(frame))
                .isEqualTo(VM2_FROM_VM1 + "86dd"
                        + "60000000" + "0028" + "11" + "40" + V6_ADDRESSES
                        + "3039" + "0007" + "0028" + "e458" + COUNTING_32);
        MemorySegment segment = MemorySegment.ofArray(frame);
        long pseudo = Checksum.ipv6PseudoHeader(segment, 22, 38, IpProtocol.UDP, 40);
        assertThat(Checksum.verifies(segment, 54, 40, pseudo)).isTrue();
    }

    @Test
    void icmpv6EchoOverIpv6() {
        byte[] frame = vm1ToVm2V6().icmpEcho(true, 1, 1).payload(counting(56)).build();
        assertThat(hex(frame))
                .isEqualTo(VM2_FROM_VM1 + "86dd"
                        + "60000000" + "0040" + "3a" + "40" + V6_ADDRESSES
                        + "80" + "00" + "8e6b" + "0001" + "0001" + COUNTING_56);
        MemorySegment segment = MemorySegment.ofArray(frame);
        long pseudo = Checksum.ipv6PseudoHeader(segment, 22, 38, IpProtocol.ICMPV6, 64);
        assertThat(Checksum.verifies(segment, 54, 64, pseudo)).isTrue();
    }

    @Test
    void echoIsIcmpv6WhicheverIsCalledFirst() {
        byte[] echoFirst = new FrameBuilder()
                .ethernet(VM1_MAC, VM2_MAC)
                .icmpEcho(true, 1, 1)
                .ipv6(VM1_V6, VM2_V6)
                .payload(counting(56))
                .build();
        assertThat(hex(echoFirst))
                .isEqualTo(hex(
                        vm1ToVm2V6().icmpEcho(true, 1, 1).payload(counting(56)).build()));
        // And an echo set up for IPv6 becomes ICMP again when the packet turns out to be IPv4.
        byte[] ipv4Last = vm1ToVm2V6()
                .icmpEcho(true, 1, 1)
                .ipv4(VM1, VM2)
                .payload(counting(56))
                .build();
        assertThat(hex(ipv4Last))
                .isEqualTo(hex(
                        vm1ToVm2().icmpEcho(true, 1, 1).payload(counting(56)).build()));
    }

    @Test
    void ipv6TrafficClassAndHopLimit() {
        byte[] frame = vm1ToVm2V6()
                .tos(0xb8)
                .ttl(255)
                .udp(12345, 7)
                .payload(counting(32))
                .build();
        // Traffic class 0xb8 spans the first two bytes: version 6, 0xb, 0x8, then the flow label.
        assertThat(hex(frame).substring(28, 28 + 16)).isEqualTo("6b800000" + "0028" + "11" + "ff");
    }

    @Test
    void vlanTagBeforeTheEtherType() {
        byte[] frame = vm1ToVm2().vlan(100).udp(12345, 7).payload(counting(32)).build();
        assertThat(hex(frame))
                .isEqualTo(VM2_FROM_VM1 + "8100" + "0064" + "0800"
                        + "4500003c" + "00004000" + "401126af" + "0a000001" + "0a000002"
                        + "3039" + "0007" + "0028" + "ca5a" + COUNTING_32);
    }

    @Test
    void vlanTagOnAnArp() {
        byte[] frame = new FrameBuilder()
                .ethernet(VM1_MAC, MacAddress.BROADCAST)
                .vlan(4094)
                .arp(Arp.OP_REQUEST, VM1_MAC, VM1, 0, VM2)
                .build();
        assertThat(hex(frame))
                .isEqualTo("ffffffffffff" + "fa163e000001" + "8100" + "0ffe" + "0806" + "0001080006040001"
                        + "fa163e000001" + "0a000001" + "000000000000" + "0a000002");
    }

    @Test
    void buildL3LeavesOutTheEthernetHeader() {
        FrameBuilder builder = vm1ToVm2().vlan(7).icmpEcho(true, 1, 1).payload(counting(56));
        assertThat(hex(builder.buildL3()))
                .isEqualTo("45000054" + "00004000" + "400126a7" + "0a000001" + "0a000002" + "0800" + "00eb" + "0001"
                        + "0001" + COUNTING_56);
        assertThat(hex(new FrameBuilder()
                        .arp(Arp.OP_REQUEST, VM1_MAC, VM1, 0, VM2)
                        .buildL3()))
                .isEqualTo("0001080006040001" + "fa163e000001" + "0a000001" + "000000000000" + "0a000002");
        assertThat(hex(vm1ToVm2V6().udp(12345, 7).payload(counting(32)).buildL3()))
                .isEqualTo("60000000" + "0028" + "11" + "40" + V6_ADDRESSES + "3039" + "0007" + "0028" + "e458"
                        + COUNTING_32);
        assertThat(hex(new FrameBuilder().etherType(0x88b5).payload(counting(3)).buildL3()))
                .isEqualTo("000102");
    }

    @Test
    void etherTypeWithARawPayload() {
        byte[] frame = new FrameBuilder()
                .ethernet(VM1_MAC, VM2_MAC)
                .etherType(0x88b6)
                .payload(counting(4))
                .build();
        assertThat(hex(frame)).isEqualTo(VM2_FROM_VM1 + "88b6" + "00010203");
    }

    @Test
    void withNoLayer3TheEtherTypeIsLocalExperimental() {
        byte[] frame = new FrameBuilder().ethernet(VM1_MAC, VM2_MAC).build();
        assertThat(hex(frame)).isEqualTo(VM2_FROM_VM1 + "88b5");
        byte[] tagged = new FrameBuilder()
                .ethernet(VM1_MAC, VM2_MAC)
                .vlan(1)
                .payload(counting(2))
                .build();
        assertThat(hex(tagged)).isEqualTo(VM2_FROM_VM1 + "8100" + "0001" + "88b5" + "0001");
    }

    @Test
    void ipv4WithNoUpperLayerSaysNoNextHeader() {
        byte[] packet = new FrameBuilder().ipv4(VM1, VM2).buildL3();
        assertThat(hex(packet)).isEqualTo("45000014" + "00004000" + "403b" + "26ad" + "0a000001" + "0a000002");
        assertThat(Checksum.verifies(MemorySegment.ofArray(packet), 0, 20, 0)).isTrue();
    }

    @Test
    void inputsAreCopiedNotKept() {
        byte[] payload = counting(32);
        byte[] source = VM1_V6.clone();
        FrameBuilder builder = new FrameBuilder()
                .ethernet(VM1_MAC, VM2_MAC)
                .ipv6(source, VM2_V6)
                .udp(12345, 7)
                .payload(payload);
        payload[0] = 99;
        source[15] = 99;
        assertThat(hex(builder.build()))
                .isEqualTo(VM2_FROM_VM1 + "86dd"
                        + "60000000" + "0028" + "11" + "40" + V6_ADDRESSES
                        + "3039" + "0007" + "0028" + "e458" + COUNTING_32);
    }

    @Test
    void buildTwiceGivesEqualButSeparateArrays() {
        FrameBuilder builder = vm1ToVm2().udp(1, 2);
        byte[] first = builder.build();
        byte[] second = builder.build();
        assertThat(second).isEqualTo(first).isNotSameAs(first);
    }
}
