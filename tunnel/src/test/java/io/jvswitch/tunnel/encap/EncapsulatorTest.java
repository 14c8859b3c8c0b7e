package io.jvswitch.tunnel.encap;

import static io.jvswitch.tunnel.Vectors.ARP_REQUEST;
import static io.jvswitch.tunnel.Vectors.bytes;
import static io.jvswitch.tunnel.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelDrop;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.tunnel.Vectors;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.build.FrameBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EncapsulatorTest {
    private static final long HOST_100_MAC = MacAddress.parse("02:00:c0:a8:01:64");
    private static final long HOST_101_MAC = MacAddress.parse("02:00:c0:a8:01:65");

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    private static Encapsulator encapsulator(TunnelType type, Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(Vectors.HOST_100_TO_101);
        options.putAll(extra);
        TunnelConfig config = TunnelConfig.fromOptions(type, options);
        return new Encapsulator(
                new HeaderTemplate(config, config.localIp(), config.remoteIp(), HOST_100_MAC, HOST_101_MAC));
    }

    private String encapsulate(Encapsulator encapsulator, String inner) {
        PacketBuffer packet = PacketBuffer.of(arena, bytes(inner));
        assertThat(encapsulator.encapsulate(packet, 0)).isNull();
        return hex(packet.toByteArray());
    }

    @Test
    void vxlanOverIpv4MatchesTheIndependentVector() {
        Encapsulator vxlan = encapsulator(TunnelType.VXLAN, Map.of("src_port_range", "49152-49152"));
        assertThat(encapsulate(vxlan, ARP_REQUEST)).isEqualTo(Vectors.VXLAN_IPV4);
        assertThat(vxlan.template().length()).isEqualTo(50);
        assertThat(vxlan.template().overhead()).isEqualTo(36);
    }

    @Test
    void vxlanWithChecksumFillsTheUdpChecksum() {
        Encapsulator vxlan = encapsulator(TunnelType.VXLAN, Map.of("src_port_range", "49152-49152", "csum", "true"));
        assertThat(encapsulate(vxlan, ARP_REQUEST)).isEqualTo(Vectors.VXLAN_IPV4_CHECKSUM);
    }

    @Test
    void greWithKeyMatchesTheIndependentVector() {
        Encapsulator gre = encapsulator(TunnelType.GRE, Map.of());
        assertThat(encapsulate(gre, ARP_REQUEST)).isEqualTo(Vectors.GRE_IPV4_KEY);
        assertThat(gre.template().length()).isEqualTo(42);
    }

    @Test
    void greWithChecksumKeyAndSequence() {
        Encapsulator gre = encapsulator(TunnelType.GRE, Map.of("csum", "true", "seq", "true"));
        assertThat(encapsulate(gre, ARP_REQUEST)).isEqualTo(Vectors.GRE_IPV4_CHECKSUM_KEY_SEQUENCE);
    }

    @Test
    void greSequenceNumbersCountUpAcrossPacketsAndSharedCounters() {
        Map<String, String> options = new HashMap<>(Vectors.HOST_100_TO_101);
        options.put("seq", "true");
        TunnelConfig config = TunnelConfig.fromOptions(TunnelType.GRE, options);
        HeaderTemplate template =
                new HeaderTemplate(config, config.localIp(), config.remoteIp(), HOST_100_MAC, HOST_101_MAC);
        AtomicInteger shared = new AtomicInteger(41);
        Encapsulator first = new Encapsulator(template, shared);
        Encapsulator second = new Encapsulator(template, shared);
        int[] seen = new int[3];
        Encapsulator[] order = {first, second, first};
        for (int i = 0; i < 3; i++) {
            PacketBuffer packet = PacketBuffer.of(arena, bytes(ARP_REQUEST));
            order[i].encapsulate(packet, 0);
            seen[i] = Bytes.u32(packet.memory(), packet.start() + template.sequenceOffset());
        }
        assertThat(seen).containsExactly(41, 42, 43);
    }

    @Test
    void greInUdpMatchesTheIndependentVector() {
        Encapsulator greUdp = encapsulator(TunnelType.GRE_UDP, Map.of("src_port_range", "49152-49152"));
        assertThat(encapsulate(greUdp, ARP_REQUEST)).isEqualTo(Vectors.GRE_UDP_IPV4);
    }

    @Test
    void l3GreCarriesTheRoutersIpPacket() {
        TunnelConfig config = TunnelConfig.fromOptions(
                TunnelType.GRE, Map.of("local_ip", "1.1.1.1", "remote_ip", "2.2.2.2", "packet_type", "legacy_l3"));
        Encapsulator gre = new Encapsulator(new HeaderTemplate(
                config,
                config.localIp(),
                config.remoteIp(),
                MacAddress.parse("02:00:01:01:01:01"),
                MacAddress.parse("02:00:02:02:02:02")));
        assertThat(encapsulate(gre, Vectors.ROUTER_ICMP)).isEqualTo(Vectors.ROUTER_GRE);
    }

    @Test
    void l3GreWritesTheStrippedEthertypeAsItsProtocolType() {
        TunnelConfig config = TunnelConfig.fromOptions(
                TunnelType.GRE, Map.of("local_ip", "1.1.1.1", "remote_ip", "2.2.2.2", "packet_type", "legacy_l3"));
        Encapsulator gre = new Encapsulator(new HeaderTemplate(
                config,
                config.localIp(),
                config.remoteIp(),
                MacAddress.parse("02:00:01:01:01:01"),
                MacAddress.parse("02:00:02:02:02:02")));
        PacketBuffer ipv4 = PacketBuffer.of(arena, bytes(Vectors.ROUTER_ICMP));
        assertThat(gre.encapsulate(ipv4, 0, 0x0800)).isNull();
        assertThat(hex(ipv4.toByteArray())).isEqualTo(Vectors.ROUTER_GRE);

        // Open vSwitch writes the flow's dl_type, whatever the version nibble says: so does jvswitch.
        PacketBuffer labelledIpv6 = PacketBuffer.of(arena, bytes(Vectors.ROUTER_ICMP));
        assertThat(gre.encapsulate(labelledIpv6, 0, 0x86dd)).isNull();
        assertThat(hex(labelledIpv6.toByteArray()).substring(2 * 34, 2 * 38)).isEqualTo("000086dd");

        PacketBuffer arp = PacketBuffer.of(arena, bytes(Vectors.ROUTER_ICMP));
        assertThat(gre.encapsulate(arp, 0, 0x0806)).isEqualTo(TunnelDrop.L3_TUNNEL_NON_IP);
        assertThat(hex(arp.toByteArray())).isEqualTo(Vectors.ROUTER_ICMP);
    }

    @Test
    void l3TunnelRefusesAnEthernetFrameThatIsNotIp() {
        TunnelConfig config = TunnelConfig.fromOptions(
                TunnelType.GRE, Map.of("local_ip", "1.1.1.1", "remote_ip", "2.2.2.2", "packet_type", "legacy_l3"));
        Encapsulator gre = new Encapsulator(new HeaderTemplate(config, config.localIp(), config.remoteIp(), 1, 2));
        PacketBuffer packet = PacketBuffer.of(arena, new byte[] {0x00, 0x01, 0x02});
        assertThat(gre.encapsulate(packet, 0)).isEqualTo(TunnelDrop.L3_TUNNEL_NON_IP);
        assertThat(packet.length()).isEqualTo(3);
    }

    @Test
    void flowKeyIsTakenPerPacketWhenOutKeyIsFlow() {
        Encapsulator vxlan = encapsulator(TunnelType.VXLAN, Map.of("key", "flow"));
        PacketBuffer packet = PacketBuffer.of(arena, bytes(ARP_REQUEST));
        vxlan.encapsulate(packet, 0xabcdef);
        assertThat(Bytes.u32(packet.memory(), packet.start() + 46)).isEqualTo(0xabcdef00);
    }

    @Test
    void ipIdentificationAdvancesPerPacket() {
        Encapsulator gre = encapsulator(TunnelType.GRE, Map.of("df_default", "false"));
        int[] ids = new int[2];
        for (int i = 0; i < 2; i++) {
            PacketBuffer packet = PacketBuffer.of(arena, bytes(ARP_REQUEST));
            gre.encapsulate(packet, 0);
            ids[i] = Bytes.u16(packet.memory(), packet.start() + 18);
            assertThat(Bytes.u16(packet.memory(), packet.start() + 20))
                    .as("DF clear")
                    .isZero();
        }
        assertThat(ids[1]).isEqualTo(ids[0] + 1);
    }

    private static byte[] icmp(int tos, int ttl) {
        return new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .tos(tos)
                .ttl(ttl)
                .icmpEcho(true, 1, 1)
                .build();
    }

    @Test
    void innerEcnIsCopiedToTheOuterHeaderAndDscpIsConfiguredOrInherited() {
        // Inner: DSCP 46 (EF), ECN CE. RFC 6040 normal mode copies CE; tos=0x20 sets DSCP 8 outside.
        byte[] inner = icmp(0xb8 | 0x3, 17);
        Encapsulator fixed = encapsulator(TunnelType.GRE, Map.of("tos", "0x20"));
        PacketBuffer packet = PacketBuffer.of(arena, inner);
        fixed.encapsulate(packet, 0);
        MemorySegment segment = packet.memory();
        assertThat(Bytes.u8(segment, packet.start() + 15)).isEqualTo(0x20 | 0x3);
        assertThat(Bytes.u8(segment, packet.start() + 22)).as("default ttl").isEqualTo(64);

        Encapsulator inherit = encapsulator(TunnelType.GRE, Map.of("tos", "inherit", "ttl", "inherit"));
        packet = PacketBuffer.of(arena, inner);
        inherit.encapsulate(packet, 0);
        assertThat(Bytes.u8(segment = packet.memory(), packet.start() + 15)).isEqualTo(0xb8 | 0x3);
        assertThat(Bytes.u8(segment, packet.start() + 22)).isEqualTo(17);
    }

    @Test
    void outerIpv4ChecksumIsRightWhateverChangesPerPacket() {
        Encapsulator gre = encapsulator(TunnelType.GRE, Map.of("tos", "inherit", "ttl", "inherit"));
        for (int tos = 0; tos < 256; tos += 7) {
            PacketBuffer packet = PacketBuffer.of(arena, icmp(tos, 1 + tos % 255));
            gre.encapsulate(packet, 0);
            assertThat(io.jvswitch.wire.Checksum.verifies(packet.memory(), packet.start() + 14, 20, 0))
                    .as("tos %d", tos)
                    .isTrue();
        }
    }

    @Test
    void sameInnerFlowGetsTheSameSourcePortAndOthersSpreadOverTheRange() {
        Encapsulator vxlan = encapsulator(TunnelType.VXLAN, Map.of());
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (int port = 1000; port < 1200; port++) {
            byte[] frame = new FrameBuilder()
                    .ethernet(0xfa163e000001L, 0xfa163e000002L)
                    .ipv4(0x0a000001, 0x0a000002)
                    .udp(port, 53)
                    .build();
            int first = sourcePort(vxlan, frame);
            assertThat(sourcePort(vxlan, frame)).isEqualTo(first);
            assertThat(first).isBetween(49152, 65535);
            ports.add(first);
        }
        assertThat(ports).as("200 flows over 16384 ports").hasSizeGreaterThan(190);
    }

    private int sourcePort(Encapsulator encapsulator, byte[] frame) {
        PacketBuffer packet = PacketBuffer.of(arena, frame);
        encapsulator.encapsulate(packet, 0);
        return Bytes.u16(packet.memory(), packet.start() + 34);
    }

    @Test
    void ipv6UnderlayWritesPayloadLengthFlowLabelAndAUdpChecksumByDefault() {
        TunnelConfig config = TunnelConfig.fromOptions(
                TunnelType.VXLAN, Map.of("local_ip", "2001:db8::100", "remote_ip", "2001:db8::101", "key", "5000"));
        assertThat(config.checksum()).as("UDP checksum on by default over IPv6").isTrue();
        HeaderTemplate template =
                new HeaderTemplate(config, config.localIp(), config.remoteIp(), HOST_100_MAC, HOST_101_MAC);
        assertThat(template.length()).isEqualTo(14 + 40 + 8 + 8);
        Encapsulator vxlan = new Encapsulator(template);
        PacketBuffer packet = PacketBuffer.of(arena, bytes(ARP_REQUEST));
        vxlan.encapsulate(packet, 0);
        MemorySegment segment = packet.memory();
        int ip = packet.start() + 14;
        assertThat(Bytes.u16(segment, ip - 2)).isEqualTo(0x86dd);
        assertThat(Bytes.u8(segment, ip) >>> 4).isEqualTo(6);
        assertThat(Bytes.u16(segment, ip + 4)).as("payload length").isEqualTo(8 + 8 + 42);
        assertThat(Bytes.u8(segment, ip + 6)).as("next header").isEqualTo(17);
        assertThat(Bytes.u8(segment, ip + 7)).as("hop limit").isEqualTo(64);
        int flowLabel = Bytes.u32(segment, ip) & 0xfffff;
        long pseudo = io.jvswitch.wire.Checksum.ipv6PseudoHeader(segment, ip + 8, ip + 24, 17, 58);
        assertThat(io.jvswitch.wire.Checksum.verifies(segment, ip + 40, 58, pseudo))
                .isTrue();

        PacketBuffer again = PacketBuffer.of(arena, bytes(ARP_REQUEST));
        vxlan.encapsulate(again, 0);
        assertThat(Bytes.u32(again.memory(), again.start() + 14) & 0xfffff)
                .as("one flow, one label (RFC 6438)")
                .isEqualTo(flowLabel);
    }

    @Test
    void aGivenFlowHashPicksTheSourcePortAndFlowLabelInsteadOfTheInnerHeaders() {
        Encapsulator vxlan = encapsulator(TunnelType.VXLAN, Map.of());
        byte[] one = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(1000, 53)
                .build();
        byte[] other = new FrameBuilder()
                .ethernet(0xfa163e000003L, 0xfa163e000004L)
                .ipv4(0x0a000003, 0x0a000004)
                .udp(2000, 53)
                .build();
        for (int hash : new int[] {0, 1, 0x7fffffff, 0x80000000, 0xdeadbeef, -1}) {
            int expected = sourcePortInTheDefaultRange(hash);
            for (byte[] frame : new byte[][] {one, other}) {
                PacketBuffer packet = PacketBuffer.of(arena, frame);
                assertThat(vxlan.encapsulate(packet, 0, 0, hash)).isNull();
                assertThat(Bytes.u16(packet.memory(), packet.start() + 34))
                        .as("hash %08x", hash)
                        .isEqualTo(expected);
            }
        }

        TunnelConfig config = TunnelConfig.fromOptions(
                TunnelType.VXLAN, Map.of("local_ip", "2001:db8::100", "remote_ip", "2001:db8::101", "key", "5000"));
        Encapsulator overIpv6 = new Encapsulator(
                new HeaderTemplate(config, config.localIp(), config.remoteIp(), HOST_100_MAC, HOST_101_MAC));
        PacketBuffer packet = PacketBuffer.of(arena, one);
        overIpv6.encapsulate(packet, 0, 0, 0x12345678);
        assertThat(Bytes.u32(packet.memory(), packet.start() + 14) & 0xfffff)
                .as("flow label")
                .isEqualTo(0x45678);
    }

    /** A hash mapped onto 49152-65535, the range RFC 7348 recommends, by multiply-shift: worked out independently. */
    private static int sourcePortInTheDefaultRange(int hash) {
        return 49152 + (int) ((Integer.toUnsignedLong(hash) * 16384) >>> 32);
    }

    @Test
    void ipIdentificationsAndLengthsWithTheirTopBitSetStayInTheirFields() {
        // Per-packet fields are packed into 64-bit words; a 16-bit value with its top bit set must not spill over.
        Encapsulator vxlan = encapsulator(TunnelType.VXLAN, Map.of("df_default", "false"));
        byte[] small = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(1000, 53)
                .build();
        for (int i = 0; i < 0x8000; i++) {
            vxlan.encapsulate(PacketBuffer.of(arena, small), 0);
        }
        byte[] big = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(1000, 53)
                .payload(new byte[40000 - 42])
                .build();
        PacketBuffer packet = new PacketBuffer(arena.allocate(128 + big.length), 128);
        packet.append(big);
        assertThat(vxlan.encapsulate(packet, 0)).isNull();
        MemorySegment segment = packet.memory();
        int ip = packet.start() + 14;
        assertThat(Bytes.u16(segment, ip)).as("version, IHL, ToS").isEqualTo(0x4500);
        assertThat(Bytes.u16(segment, ip + 2)).as("total length").isEqualTo(20 + 8 + 8 + 40000);
        assertThat(Bytes.u16(segment, ip + 4)).as("ID").isEqualTo(0x8000);
        assertThat(Bytes.u16(segment, ip + 6)).as("flags: DF clear").isZero();
        assertThat(io.jvswitch.wire.Checksum.verifies(segment, ip, 20, 0)).isTrue();
        int udp = ip + 20;
        assertThat(Bytes.u16(segment, udp + 2)).as("destination port").isEqualTo(4789);
        assertThat(Bytes.u16(segment, udp + 4)).as("UDP length").isEqualTo(8 + 8 + 40000);
        assertThat(Bytes.u16(segment, udp + 6)).as("no UDP checksum over IPv4").isZero();
    }
}
