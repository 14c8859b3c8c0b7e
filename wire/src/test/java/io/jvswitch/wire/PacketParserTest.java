package io.jvswitch.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l3.Ipv4;
import io.jvswitch.wire.l4.Tcp;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Frames built with {@link FrameBuilder} (whose bytes {@code FrameBuilderTest} pins) or written out in hex, parsed
 * into a {@link ParsedPacket} whose every accessor is then compared, through {@link #layers}, with one expected line.
 */
class PacketParserTest {
    private static final long VM1_MAC = 0xfa163e000001L;
    private static final long VM2_MAC = 0xfa163e000002L;
    private static final int VM1 = Ipv4Address.parse("10.0.0.1");
    private static final int VM2 = Ipv4Address.parse("10.0.0.2");

    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();

    /** Every accessor of {@code p}, as one line. */
    private static String layers(ParsedPacket p) {
        StringBuilder vlans = new StringBuilder();
        for (int i = 0; i < p.vlanCount(); i++) {
            vlans.append(i == 0 ? "" : ",").append(String.format("%04x/%04x", p.vlanTpid(i), p.vlanTci(i)));
        }
        return "start=" + p.start() + " length=" + p.length() + " end=" + p.end() + " vlans=[" + vlans + "]"
                + " etherType=" + (p.etherType() < 0 ? "-1" : String.format("%04x", p.etherType()))
                + " l3=" + p.l3Offset() + " ipVersion=" + p.ipVersion() + " ipEnd=" + p.ipEnd()
                + " fragment=" + p.isFragment() + " laterFragment=" + p.isLaterFragment()
                + " ipProtocol=" + p.ipProtocol() + " l4=" + p.l4Offset() + " l4Length=" + p.l4Length();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** Parses the whole of {@code frame}, in a segment that ends where it ends. */
    private Malformed parse(byte[] frame) {
        return parser.parse(MemorySegment.ofArray(frame), 0, frame.length, parsed);
    }

    /** Parses the first {@code length} bytes of {@code frame}, copied into a segment of exactly that size. */
    private Malformed parseFirst(byte[] frame, int length) {
        return parse(Arrays.copyOf(frame, length));
    }

    private static FrameBuilder vm1ToVm2() {
        return new FrameBuilder().ethernet(VM1_MAC, VM2_MAC).ipv4(VM1, VM2);
    }

    private static FrameBuilder vm1ToVm2V6() {
        return new FrameBuilder()
                .ethernet(VM1_MAC, VM2_MAC)
                .ipv6(Ipv6Address.parse("fd00::1"), Ipv6Address.parse("fd00::2"));
    }

    private static byte[] arpRequest() {
        return new FrameBuilder()
                .ethernet(VM1_MAC, MacAddress.BROADCAST)
                .arp(Arp.OP_REQUEST, VM1_MAC, VM1, 0, VM2)
                .build();
    }

    private static byte[] udp() {
        return vm1ToVm2().udp(12345, 7).payload(counting(32)).build();
    }

    /** {@code frame} with {@code bytes} inserted at {@code at}. */
    private static byte[] insert(byte[] frame, int at, byte[] bytes) {
        byte[] result = new byte[frame.length + bytes.length];
        System.arraycopy(frame, 0, result, 0, at);
        System.arraycopy(bytes, 0, result, at, bytes.length);
        System.arraycopy(frame, at, result, at + bytes.length, frame.length - at);
        return result;
    }

    /** The untagged IPv4 {@code frame} cut to {@code ipPayload} bytes after the IP header, its lengths made to fit. */
    private static byte[] ipv4Payload(byte[] frame, int ipPayload) {
        byte[] cut = Arrays.copyOf(frame, 14 + 20 + ipPayload);
        new Ipv4()
                .wrap(MemorySegment.ofArray(cut), 14)
                .totalLength(20 + ipPayload)
                .updateChecksum();
        return cut;
    }

    /** Rewrites the IPv4 header checksum of an untagged frame after a test changed the header. */
    private static byte[] fixIpv4Checksum(byte[] frame) {
        new Ipv4().wrap(MemorySegment.ofArray(frame), 14).updateChecksum();
        return frame;
    }

    // ---- Well-formed frames ----

    @Test
    void tutorialArpRequest() {
        assertThat(parse(arpRequest())).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=42 end=42 vlans=[] etherType=0806 l3=14 ipVersion=0 ipEnd=42"
                        + " fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
    }

    @Test
    void ipv4IcmpEcho() {
        byte[] frame = vm1ToVm2().icmpEcho(true, 1, 1).payload(counting(56)).build();
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=98 end=98 vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=98"
                        + " fragment=false laterFragment=false ipProtocol=1 l4=34 l4Length=64");
    }

    @Test
    void ipv4Udp() {
        assertThat(parse(udp())).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=74 end=74 vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=74"
                        + " fragment=false laterFragment=false ipProtocol=17 l4=34 l4Length=40");
    }

    @Test
    void ipv4Tcp() {
        byte[] frame = vm1ToVm2().tcp(12345, 80, Tcp.SYN).payload(counting(10)).build();
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=64 end=64 vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=64"
                        + " fragment=false laterFragment=false ipProtocol=6 l4=34 l4Length=30");
    }

    @Test
    void ipv4WithOptionsAndAnUnknownProtocol() {
        // VM1's IGMPv3 report with the Router Alert option (IHL 6): the upper layer starts after the options, and a
        // protocol the parser does not check still gets its offset.
        byte[] frame = hex("01005e000016" + "fa163e000001" + "0800"
                + "46c00028" + "00004000" + "0102f9f8" + "0a000001" + "e0000016" + "94040000"
                + "2200f902" + "00000001" + "04000000" + "e00000fb");
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=54 end=54 vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=54"
                        + " fragment=false laterFragment=false ipProtocol=2 l4=38 l4Length=16");
    }

    @Test
    void ipv6Udp() {
        byte[] frame = vm1ToVm2V6().udp(12345, 7).payload(counting(32)).build();
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=94 end=94 vlans=[] etherType=86dd l3=14 ipVersion=6 ipEnd=94"
                        + " fragment=false laterFragment=false ipProtocol=17 l4=54 l4Length=40");
    }

    @Test
    void ipv6Icmpv6Echo() {
        byte[] frame = vm1ToVm2V6().icmpEcho(true, 1, 1).payload(counting(56)).build();
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=118 end=118 vlans=[] etherType=86dd l3=14 ipVersion=6 ipEnd=118"
                        + " fragment=false laterFragment=false ipProtocol=58 l4=54 l4Length=64");
    }

    @Test
    void ipv6ExtensionHeadersAreSteppedOver() {
        byte[] frame = vm1ToVm2V6().udp(12345, 7).payload(counting(32)).build();
        // Hop-by-Hop (8 bytes, a PadN of 4) then Destination Options (16 bytes, a PadN of 12), then UDP.
        byte[] extensions = hex("3c00" + "0104" + "00000000" + "1101" + "010c" + "00".repeat(12));
        frame = insert(frame, 54, extensions);
        frame[14 + 6] = 0; // next header: Hop-by-Hop
        frame[14 + 5] = (byte) (40 + 24); // payload length
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=118 end=118 vlans=[] etherType=86dd l3=14 ipVersion=6 ipEnd=118"
                        + " fragment=false laterFragment=false ipProtocol=17 l4=78 l4Length=40");
    }

    @Test
    void ipv6LaterFragmentHasNoUpperLayer() {
        byte[] frame = vm1ToVm2V6().udp(12345, 7).payload(counting(32)).build();
        // Fragment header: next header UDP, offset 185 (1480 bytes), M clear, id 0x2a2b2c2d.
        frame = insert(frame, 54, hex("1100" + "05c8" + "2a2b2c2d"));
        frame[14 + 6] = 44;
        frame[14 + 5] = (byte) (40 + 8);
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=102 end=102 vlans=[] etherType=86dd l3=14 ipVersion=6 ipEnd=102"
                        + " fragment=true laterFragment=true ipProtocol=17 l4=-1 l4Length=0");
    }

    @Test
    void ipv6NoNextHeader() {
        byte[] frame = vm1ToVm2V6().payload(counting(6)).build();
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=60 end=60 vlans=[] etherType=86dd l3=14 ipVersion=6 ipEnd=60"
                        + " fragment=false laterFragment=false ipProtocol=59 l4=-1 l4Length=0");
    }

    @Test
    void singleDot1qTag() {
        byte[] frame = vm1ToVm2().vlan(100).udp(12345, 7).payload(counting(32)).build();
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=78 end=78 vlans=[8100/0064] etherType=0800 l3=18 ipVersion=4 ipEnd=78"
                        + " fragment=false laterFragment=false ipProtocol=17 l4=38 l4Length=40");
    }

    @Test
    void singleDot1adTag() {
        byte[] frame = vm1ToVm2().vlan(100).udp(12345, 7).payload(counting(32)).build();
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xa8;
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=78 end=78 vlans=[88a8/0064] etherType=0800 l3=18 ipVersion=4 ipEnd=78"
                        + " fragment=false laterFragment=false ipProtocol=17 l4=38 l4Length=40");
    }

    @Test
    void doubleTagsOuterFirst() {
        // 802.1ad service tag (PCP 3, DEI, VID 10: 0x700a) outside an 802.1Q customer tag (VID 100).
        byte[] frame = vm1ToVm2().vlan(100).udp(12345, 7).payload(counting(32)).build();
        frame = insert(frame, 12, hex("88a8" + "700a"));
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=82 end=82 vlans=[88a8/700a,8100/0064] etherType=0800 l3=22 ipVersion=4"
                        + " ipEnd=82 fragment=false laterFragment=false ipProtocol=17 l4=42 l4Length=40");
    }

    @Test
    void doubleTaggedArp() {
        byte[] frame = insert(arpRequest(), 12, hex("8100" + "0005" + "8100" + "0006"));
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=50 end=50 vlans=[8100/0005,8100/0006] etherType=0806 l3=22 ipVersion=0"
                        + " ipEnd=50 fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
    }

    @Test
    void aThirdTagIsLeftAsThePayload() {
        byte[] frame = vm1ToVm2().vlan(100).udp(12345, 7).payload(counting(32)).build();
        frame = insert(frame, 12, hex("88a8" + "000a" + "8100" + "0014"));
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=86 end=86 vlans=[88a8/000a,8100/0014] etherType=8100 l3=-1 ipVersion=0"
                        + " ipEnd=86 fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
    }

    @Test
    void greDeliveryPacket() {
        // The tutorial's ARP request inside GRE with key 0x1388, host 192.168.1.100 to .101 (tshark-checked vector).
        byte[] frame = hex("0200c0a80165" + "0200c0a80164" + "0800"
                + "4500004600004000402fb66fc0a80164c0a80165"
                + "2000655800001388"
                + "ffffffffffff" + "fa163e000001" + "0806" + "0001080006040001"
                + "fa163e000001" + "0a000001" + "000000000000" + "0a000002");
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=84 end=84 vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=84"
                        + " fragment=false laterFragment=false ipProtocol=47 l4=34 l4Length=50");
    }

    @Test
    void enhancedGreIsRecognisedNotRefused() {
        // PPTP: K and S set, version 1, protocol PPP, payload length 4, call id 7, seq 1; then 4 bytes of PPP.
        byte[] frame = vm1ToVm2()
                .payload(hex("3001880b" + "00040007" + "00000001" + "ff030021"))
                .build();
        frame[14 + 9] = 47;
        fixIpv4Checksum(frame);
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=50 end=50 vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=50"
                        + " fragment=false laterFragment=false ipProtocol=47 l4=34 l4Length=16");
    }

    @Test
    void ipv4LaterFragmentHasNoUpperLayer() {
        byte[] frame = udp();
        new Ipv4().wrap(MemorySegment.ofArray(frame), 14).flagsAndFragmentOffset(false, false, 1480);
        fixIpv4Checksum(frame);
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=74 end=74 vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=74"
                        + " fragment=true laterFragment=true ipProtocol=17 l4=-1 l4Length=0");
    }

    @Test
    void ipv4FirstFragmentOfALargerUdpDatagram() {
        // The first 1480 bytes of a 2008-byte UDP datagram: its length field counts all of it, this fragment less.
        byte[] frame = vm1ToVm2()
                .dontFragment(false)
                .udp(12345, 7)
                .payload(counting(1472))
                .build();
        MemorySegment segment = MemorySegment.ofArray(frame);
        Bytes.u16(segment, 34 + 4, 2008);
        new Ipv4().wrap(segment, 14).flagsAndFragmentOffset(false, true, 0).updateChecksum();
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=1514 end=1514 vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=1514"
                        + " fragment=true laterFragment=false ipProtocol=17 l4=34 l4Length=1480");
        // The header itself must still be whole and sane.
        assertThat(parse(ipv4Payload(frame, 7))).isEqualTo(Malformed.UDP_TRUNCATED);
        Bytes.u16(segment, 34 + 4, 7);
        assertThat(parse(frame)).isEqualTo(Malformed.UDP_BAD_LENGTH);
    }

    @Test
    void ipv6FirstFragmentOfALargerUdpDatagram() {
        byte[] frame = vm1ToVm2V6().udp(12345, 7).payload(counting(32)).build();
        // Fragment header: next header UDP, offset 0, M set; the UDP length says 1000 bytes, 40 are here.
        frame = insert(frame, 54, hex("1100" + "0001" + "2a2b2c2d"));
        frame[14 + 6] = 44;
        frame[14 + 5] = (byte) (40 + 8);
        Bytes.u16(MemorySegment.ofArray(frame), 62 + 4, 1000);
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=102 end=102 vlans=[] etherType=86dd l3=14 ipVersion=6 ipEnd=102"
                        + " fragment=true laterFragment=false ipProtocol=17 l4=62 l4Length=40");
    }

    @Test
    void anUnfragmentedUdpLengthMustStillFit() {
        byte[] frame = vm1ToVm2().udp(12345, 7).payload(counting(32)).build();
        Bytes.u16(MemorySegment.ofArray(frame), 34 + 4, 2008);
        assertThat(parse(frame)).isEqualTo(Malformed.UDP_BAD_LENGTH);
    }

    @Test
    void ethernetPaddingIsNotPartOfTheIpPacket() {
        // A 42-byte ICMP echo with no data, padded to the 60-byte Ethernet minimum.
        byte[] frame = Arrays.copyOf(vm1ToVm2().icmpEcho(true, 1, 1).build(), 60);
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=60 end=60 vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=42"
                        + " fragment=false laterFragment=false ipProtocol=1 l4=34 l4Length=8");
    }

    @Test
    void paddedArp() {
        assertThat(parse(Arrays.copyOf(arpRequest(), 60))).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=60 end=60 vlans=[] etherType=0806 l3=14 ipVersion=0 ipEnd=60"
                        + " fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
    }

    @Test
    void unknownEtherTypeStopsWithoutError() {
        byte[] frame = new FrameBuilder()
                .ethernet(VM1_MAC, VM2_MAC)
                .etherType(0x88b5)
                .payload(counting(46))
                .build();
        assertThat(parse(frame)).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=60 end=60 vlans=[] etherType=88b5 l3=-1 ipVersion=0 ipEnd=60"
                        + " fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
    }

    @Test
    void anEthernetHeaderAloneIsWellFormed() {
        assertThat(parse(hex("fa163e000002" + "fa163e000001" + "88b5"))).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=14 end=14 vlans=[] etherType=88b5 l3=-1 ipVersion=0 ipEnd=14"
                        + " fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
    }

    @Test
    void offsetsAreAbsoluteWithinALargerSegment() {
        byte[] frame = udp();
        byte[] buffer = new byte[100 + frame.length + 50];
        System.arraycopy(frame, 0, buffer, 100, frame.length);
        assertThat(parser.parse(MemorySegment.ofArray(buffer), 100, frame.length, parsed))
                .isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=100 length=74 end=174 vlans=[] etherType=0800 l3=114 ipVersion=4 ipEnd=174"
                        + " fragment=false laterFragment=false ipProtocol=17 l4=134 l4Length=40");
    }

    @Test
    void eachParseStartsAfresh() {
        assertThat(parse(insert(udp(), 12, hex("8100" + "0064")))).isNull();
        assertThat(parsed.vlanCount()).isEqualTo(1);
        assertThat(parse(arpRequest())).isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=42 end=42 vlans=[] etherType=0806 l3=14 ipVersion=0 ipEnd=42"
                        + " fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
    }

    // ---- Bare IP packets ----

    @Test
    void parseIpReadsABareIpv4Packet() {
        byte[] packet = vm1ToVm2().icmpEcho(true, 1, 1).payload(counting(56)).buildL3();
        assertThat(parser.parseIp(MemorySegment.ofArray(packet), 0, packet.length, parsed))
                .isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=84 end=84 vlans=[] etherType=0800 l3=0 ipVersion=4 ipEnd=84"
                        + " fragment=false laterFragment=false ipProtocol=1 l4=20 l4Length=64");
    }

    @Test
    void parseIpReadsABareIpv6Packet() {
        byte[] packet = vm1ToVm2V6().udp(12345, 7).payload(counting(32)).buildL3();
        byte[] buffer = new byte[8 + packet.length];
        System.arraycopy(packet, 0, buffer, 8, packet.length);
        assertThat(parser.parseIp(MemorySegment.ofArray(buffer), 8, packet.length, parsed))
                .isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=8 length=80 end=88 vlans=[] etherType=86dd l3=8 ipVersion=6 ipEnd=88"
                        + " fragment=false laterFragment=false ipProtocol=17 l4=48 l4Length=40");
    }

    @Test
    void parseIpOfNothingIsTruncated() {
        assertThat(parser.parseIp(MemorySegment.ofArray(new byte[0]), 0, 0, parsed))
                .isEqualTo(Malformed.IPV4_TRUNCATED);
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=0 end=0 vlans=[] etherType=-1 l3=-1 ipVersion=0 ipEnd=0"
                        + " fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
    }

    @Test
    void parseIpTakesAnyVersionButSixAsIpv4() {
        byte[] packet = vm1ToVm2().udp(1, 2).buildL3();
        packet[0] = 0x55;
        assertThat(parser.parseIp(MemorySegment.ofArray(packet), 0, packet.length, parsed))
                .isEqualTo(Malformed.IPV4_BAD_VERSION);
        assertThat(parsed.etherType()).isEqualTo(0x0800);
        assertThat(parsed.l3Offset()).isEqualTo(-1);
        // A truncated IPv6 packet is reported as IPv6.
        byte[] v6 = Arrays.copyOf(vm1ToVm2V6().udp(1, 2).buildL3(), 39);
        assertThat(parser.parseIp(MemorySegment.ofArray(v6), 0, v6.length, parsed))
                .isEqualTo(Malformed.IPV6_TRUNCATED);
        assertThat(parsed.etherType()).isEqualTo(0x86dd);
    }

    // ---- Malformed frames: the first wrong header names the reason ----

    @Test
    void ethernetTruncated() {
        for (int length = 0; length < 14; length++) {
            assertThat(parseFirst(udp(), length)).as("%d bytes", length).isEqualTo(Malformed.ETHERNET_TRUNCATED);
            assertThat(layers(parsed))
                    .isEqualTo("start=0 length=" + length + " end=" + length + " vlans=[] etherType=-1 l3=-1"
                            + " ipVersion=0 ipEnd=" + length
                            + " fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
        }
    }

    @Test
    void vlanTruncatedBeforeTheInnerEtherType() {
        byte[] frame = vm1ToVm2().vlan(100).udp(12345, 7).build();
        for (int length = 14; length < 18; length++) {
            assertThat(parseFirst(frame, length)).as("%d bytes", length).isEqualTo(Malformed.VLAN_TRUNCATED);
            assertThat(parsed.vlanCount()).isZero();
        }
        byte[] doubleTagged = insert(frame, 12, hex("88a8" + "000a"));
        for (int length = 18; length < 22; length++) {
            assertThat(parseFirst(doubleTagged, length)).as("%d bytes", length).isEqualTo(Malformed.VLAN_TRUNCATED);
            assertThat(parsed.vlanCount()).isEqualTo(1);
            assertThat(parsed.vlanTpid(0)).isEqualTo(0x88a8);
            assertThat(parsed.vlanTci(0)).isEqualTo(0x000a);
        }
        // The tags whole and nothing after them: an IPv4 header that is missing.
        assertThat(parseFirst(frame, 18)).isEqualTo(Malformed.IPV4_TRUNCATED);
    }

    @Test
    void arpTruncated() {
        for (int length = 14; length < 42; length++) {
            assertThat(parseFirst(arpRequest(), length)).as("%d bytes", length).isEqualTo(Malformed.ARP_TRUNCATED);
            assertThat(parsed.etherType()).isEqualTo(0x0806);
            assertThat(parsed.l3Offset()).isEqualTo(-1);
        }
    }

    @Test
    void arpThatIsNotEthernetIpv4() {
        byte[] frame = arpRequest();
        frame[14 + 1] = 6;
        assertThat(parse(frame)).isEqualTo(Malformed.ARP_UNSUPPORTED);
    }

    @Test
    void ipv4HeaderTruncated() {
        for (int length = 14; length < 34; length++) {
            assertThat(parseFirst(udp(), length)).as("%d bytes", length).isEqualTo(Malformed.IPV4_TRUNCATED);
            assertThat(layers(parsed))
                    .isEqualTo("start=0 length=" + length + " end=" + length + " vlans=[] etherType=0800 l3=-1"
                            + " ipVersion=0 ipEnd=" + length
                            + " fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
        }
    }

    @Test
    void ipv4PayloadCutShortOfTheTotalLength() {
        for (int length = 34; length < 74; length++) {
            assertThat(parseFirst(udp(), length)).as("%d bytes", length).isEqualTo(Malformed.IPV4_BAD_TOTAL_LENGTH);
        }
    }

    @Test
    void ipv4BadVersion() {
        byte[] frame = udp();
        frame[14] = 0x65;
        assertThat(parse(fixIpv4Checksum(frame))).isEqualTo(Malformed.IPV4_BAD_VERSION);
    }

    @Test
    void ipv4BadHeaderLength() {
        byte[] frame = udp();
        frame[14] = 0x44; // IHL 4: 16 bytes, less than the fixed header
        assertThat(parse(frame)).isEqualTo(Malformed.IPV4_BAD_HEADER_LENGTH);
        frame = ipv4Payload(udp(), 0);
        frame[14] = 0x46; // IHL 6: 24 bytes, beyond a 20-byte packet
        assertThat(parse(frame)).isEqualTo(Malformed.IPV4_BAD_HEADER_LENGTH);
    }

    @Test
    void ipv4TotalLengthShorterThanTheHeader() {
        byte[] frame = udp();
        new Ipv4().wrap(MemorySegment.ofArray(frame), 14).totalLength(19).updateChecksum();
        assertThat(parse(frame)).isEqualTo(Malformed.IPV4_BAD_TOTAL_LENGTH);
    }

    @Test
    void ipv4BadOptions() {
        // IHL 6 with an option whose length (8) runs past the 4 bytes of options.
        byte[] frame = insert(udp(), 34, hex("94080000"));
        frame[14] = 0x46;
        new Ipv4().wrap(MemorySegment.ofArray(frame), 14).totalLength(64).updateChecksum();
        assertThat(parse(frame)).isEqualTo(Malformed.IPV4_BAD_OPTIONS);
    }

    @Test
    void ipv4BadChecksumIsRefusedOnlyWhenVerifying() {
        byte[] frame = udp();
        frame[14 + 11] ^= 1; // checksum 0x26af -> 0x26ae
        assertThat(parse(frame)).isEqualTo(Malformed.IPV4_BAD_CHECKSUM);
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=74 end=74 vlans=[] etherType=0800 l3=-1 ipVersion=0 ipEnd=74"
                        + " fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");

        PacketParser lenient = new PacketParser(false);
        assertThat(lenient.parse(MemorySegment.ofArray(frame), 0, frame.length, parsed))
                .isNull();
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=74 end=74 vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=74"
                        + " fragment=false laterFragment=false ipProtocol=17 l4=34 l4Length=40");
    }

    @Test
    void ipv6HeaderTruncated() {
        byte[] frame = vm1ToVm2V6().udp(12345, 7).build();
        for (int length = 14; length < 54; length++) {
            assertThat(parseFirst(frame, length)).as("%d bytes", length).isEqualTo(Malformed.IPV6_TRUNCATED);
            assertThat(parsed.etherType()).isEqualTo(0x86dd);
            assertThat(parsed.l3Offset()).isEqualTo(-1);
        }
    }

    @Test
    void ipv6PayloadLengthBeyondTheFrame() {
        byte[] frame = vm1ToVm2V6().udp(12345, 7).build();
        for (int length = 54; length < frame.length; length++) {
            assertThat(parseFirst(frame, length)).as("%d bytes", length).isEqualTo(Malformed.IPV6_BAD_PAYLOAD_LENGTH);
        }
    }

    @Test
    void ipv6BadVersion() {
        byte[] frame = vm1ToVm2V6().udp(12345, 7).build();
        frame[14] = 0x40;
        assertThat(parse(frame)).isEqualTo(Malformed.IPV6_BAD_VERSION);
    }

    @Test
    void ipv6ExtensionHeaderTruncated() {
        // Hop-by-Hop announcing 16 bytes (Hdr Ext Len 1) in a payload of 8.
        byte[] frame = vm1ToVm2V6().payload(hex("3b01" + "0104" + "00000000")).build();
        frame[14 + 6] = 0;
        assertThat(parse(frame)).isEqualTo(Malformed.IPV6_EXTENSION_TRUNCATED);
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=62 end=62 vlans=[] etherType=86dd l3=14 ipVersion=6 ipEnd=62"
                        + " fragment=false laterFragment=false ipProtocol=-1 l4=-1 l4Length=0");
    }

    @Test
    void ipv6TooManyExtensionHeaders() {
        // Seventeen empty Destination Options headers, each naming the next.
        byte[] frame = vm1ToVm2V6().payload(hex("3c00010400000000".repeat(17))).build();
        frame[14 + 6] = 60;
        assertThat(parse(frame)).isEqualTo(Malformed.IPV6_TOO_MANY_EXTENSIONS);
    }

    @Test
    void udpTruncated() {
        for (int payload = 0; payload < 8; payload++) {
            assertThat(parse(ipv4Payload(udp(), payload)))
                    .as("%d bytes", payload)
                    .isEqualTo(Malformed.UDP_TRUNCATED);
            assertThat(layers(parsed))
                    .isEqualTo("start=0 length=" + (34 + payload) + " end=" + (34 + payload)
                            + " vlans=[] etherType=0800 l3=14 ipVersion=4 ipEnd=" + (34 + payload)
                            + " fragment=false laterFragment=false ipProtocol=17 l4=-1 l4Length=0");
        }
    }

    @Test
    void udpLengthBeyondTheIpPayload() {
        // 40 bytes of UDP in the IP packet, but the UDP header says 41.
        byte[] frame = udp();
        frame[34 + 5] = 41;
        assertThat(parse(frame)).isEqualTo(Malformed.UDP_BAD_LENGTH);
        // Or the IP packet cut to 39 bytes of UDP.
        assertThat(parse(ipv4Payload(udp(), 39))).isEqualTo(Malformed.UDP_BAD_LENGTH);
    }

    @Test
    void udpLengthBelowItsHeader() {
        byte[] frame = udp();
        frame[34 + 5] = 7;
        assertThat(parse(frame)).isEqualTo(Malformed.UDP_BAD_LENGTH);
    }

    @Test
    void udpShorterThanTheIpPayloadIsAccepted() {
        byte[] frame = udp();
        frame[34 + 5] = 8; // a UDP datagram of just its header, followed by 32 bytes the IP packet still carries
        assertThat(parse(frame)).isNull();
        assertThat(parsed.l4Length()).isEqualTo(40);
    }

    @Test
    void udpOverIpv6Truncated() {
        byte[] frame = vm1ToVm2V6().udp(12345, 7).build();
        frame = Arrays.copyOf(frame, 14 + 40 + 4);
        frame[14 + 5] = 4;
        assertThat(parse(frame)).isEqualTo(Malformed.UDP_TRUNCATED);
        assertThat(layers(parsed))
                .isEqualTo("start=0 length=58 end=58 vlans=[] etherType=86dd l3=14 ipVersion=6 ipEnd=58"
                        + " fragment=false laterFragment=false ipProtocol=17 l4=-1 l4Length=0");
    }

    @Test
    void tcpTruncated() {
        byte[] frame = vm1ToVm2().tcp(12345, 80, Tcp.SYN).build();
        for (int payload = 0; payload < 20; payload++) {
            assertThat(parse(ipv4Payload(frame, payload)))
                    .as("%d bytes", payload)
                    .isEqualTo(Malformed.TCP_TRUNCATED);
        }
    }

    @Test
    void tcpBadDataOffset() {
        byte[] frame = vm1ToVm2().tcp(12345, 80, Tcp.SYN).build();
        frame[34 + 12] = 0x40; // 16 bytes: less than the fixed header
        assertThat(parse(frame)).isEqualTo(Malformed.TCP_BAD_DATA_OFFSET);
        frame[34 + 12] = 0x60; // 24 bytes: beyond the 20-byte segment
        assertThat(parse(frame)).isEqualTo(Malformed.TCP_BAD_DATA_OFFSET);
    }

    @Test
    void icmpTruncated() {
        byte[] frame = vm1ToVm2().icmpEcho(true, 1, 1).build();
        for (int payload = 0; payload < 8; payload++) {
            assertThat(parse(ipv4Payload(frame, payload)))
                    .as("%d bytes", payload)
                    .isEqualTo(Malformed.ICMP_TRUNCATED);
        }
    }

    @Test
    void icmpv6Truncated() {
        byte[] frame = Arrays.copyOf(vm1ToVm2V6().icmpEcho(true, 1, 1).build(), 14 + 40 + 7);
        frame[14 + 5] = 7;
        assertThat(parse(frame)).isEqualTo(Malformed.ICMP_TRUNCATED);
        assertThat(parsed.ipProtocol()).isEqualTo(58);
    }

    private static byte[] greFrame(String gre) {
        byte[] frame = vm1ToVm2().payload(hex(gre)).build();
        frame[14 + 9] = 47;
        return fixIpv4Checksum(frame);
    }

    @Test
    void greTruncated() {
        assertThat(parse(greFrame("200065"))).isEqualTo(Malformed.GRE_TRUNCATED);
        assertThat(parsed.ipProtocol()).isEqualTo(47);
        assertThat(parsed.l4Offset()).isEqualTo(-1);
        // K set: 8 bytes needed, 4 present.
        assertThat(parse(greFrame("20006558"))).isEqualTo(Malformed.GRE_TRUNCATED);
        // Enhanced GRE with S: 12 bytes needed, 8 present.
        assertThat(parse(greFrame("3001880b00000007"))).isEqualTo(Malformed.GRE_TRUNCATED);
    }

    @Test
    void greBadVersion() {
        assertThat(parse(greFrame("00026558"))).isEqualTo(Malformed.GRE_BAD_VERSION);
    }

    @Test
    void greReservedBits() {
        assertThat(parse(greFrame("40006558" + "00000000"))).isEqualTo(Malformed.GRE_RESERVED_BITS);
    }

    @Test
    void enhancedGreWithoutItsKey() {
        assertThat(parse(greFrame("0001880b" + "00000007"))).isEqualTo(Malformed.GRE_V1_MALFORMED);
    }

    @Test
    void greUnknownProtocolIsNotTheParsersConcern() {
        assertThat(parse(greFrame("00000800"))).isNull();
        assertThat(parsed.l4Offset()).isEqualTo(34);
        assertThat(parse(greFrame("00001234"))).isNull();
    }
}
