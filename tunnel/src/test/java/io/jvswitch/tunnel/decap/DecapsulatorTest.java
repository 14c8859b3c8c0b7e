package io.jvswitch.tunnel.decap;

import static io.jvswitch.tunnel.Vectors.ARP_REQUEST;
import static io.jvswitch.tunnel.Vectors.bytes;
import static io.jvswitch.tunnel.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelMetadata;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.tunnel.Vectors;
import io.jvswitch.tunnel.encap.Encapsulator;
import io.jvswitch.tunnel.encap.HeaderTemplate;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.build.FrameBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DecapsulatorTest {
    private final Arena arena = Arena.ofConfined();
    private final Decapsulator decapsulator = new Decapsulator();
    private final TunnelMetadata metadata = new TunnelMetadata();

    @AfterEach
    void close() {
        arena.close();
    }

    private Malformed decapsulate(String hex) {
        return decapsulate(bytes(hex));
    }

    private Malformed decapsulate(byte[] frame) {
        return decapsulator.decapsulate(MemorySegment.ofArray(frame), 0, frame.length, metadata);
    }

    @Test
    void vxlanYieldsTheInnerFrameAndTheTunnelMetadata() {
        PacketBuffer packet = PacketBuffer.of(arena, bytes(Vectors.VXLAN_IPV4));
        assertThat(decapsulator.decapsulate(packet, metadata)).isNull();
        assertThat(hex(packet.toByteArray())).isEqualTo(ARP_REQUEST);
        assertThat(metadata.toString())
                .isEqualTo("vxlan: tun_id=0x1388,tun_src=192.168.1.100,tun_dst=192.168.1.101,tun_tos=0,tun_ttl=64,"
                        + "tp_src=49152,tp_dst=4789,tun_flags=+df+key");
        assertThat(metadata.innerProtocol()).isEqualTo(0x6558);
    }

    @Test
    void greYieldsKeyAndFlags() {
        assertThat(decapsulate(Vectors.GRE_IPV4_CHECKSUM_KEY_SEQUENCE)).isNull();
        assertThat(metadata.toString())
                .isEqualTo("gre: tun_id=0x1388,tun_src=192.168.1.100,tun_dst=192.168.1.101,tun_tos=0,tun_ttl=64,"
                        + "seq=0,tun_flags=+df+csum+key+seq");
        assertThat(metadata.innerOffset()).isEqualTo(14 + 20 + 16);
        assertThat(metadata.innerLength()).isEqualTo(42);
    }

    @Test
    void greInUdpAndL3GreDecapsulate() {
        assertThat(decapsulate(Vectors.GRE_UDP_IPV4)).isNull();
        assertThat(metadata.type()).isEqualTo(TunnelType.GRE_UDP);
        assertThat(metadata.key()).isEqualTo(0x1388);
        assertThat(decapsulate(Vectors.ROUTER_GRE)).isNull();
        assertThat(metadata.innerProtocol()).isEqualTo(0x0800);
        assertThat(metadata.sourceText()).isEqualTo("1.1.1.1");
        assertThat(metadata.destinationText()).isEqualTo("2.2.2.2");
        assertThat(metadata.has(TunnelMetadata.FLAG_KEY)).isFalse();
    }

    @Test
    void ethernetPaddingAfterTheOuterPacketIsNotPartOfTheInnerFrame() {
        PacketBuffer packet = PacketBuffer.of(arena, bytes(Vectors.GRE_IPV4_KEY + "0000000000"));
        assertThat(decapsulator.decapsulate(packet, metadata)).isNull();
        assertThat(hex(packet.toByteArray())).isEqualTo(ARP_REQUEST);
    }

    @Test
    void everyKindRoundTripsOverIpv4AndIpv6() {
        String[][] underlays = {{"192.168.1.100", "192.168.1.101"}, {"2001:db8::100", "2001:db8::101"}};
        byte[] inner = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .tos(0x02) // ECT(0)
                .udp(5000, 53)
                .payload(new byte[100])
                .build();
        for (TunnelType type : TunnelType.values()) {
            for (String[] underlay : underlays) {
                for (String csum : new String[] {"true", "false"}) {
                    Map<String, String> options = new HashMap<>(
                            Map.of("local_ip", underlay[0], "remote_ip", underlay[1], "key", "77", "csum", csum));
                    if (type.isGre()) {
                        options.put("seq", "true");
                    }
                    TunnelConfig config = TunnelConfig.fromOptions(type, options);
                    Encapsulator encapsulator =
                            new Encapsulator(new HeaderTemplate(config, config.localIp(), config.remoteIp(), 1, 2));
                    PacketBuffer packet = PacketBuffer.of(arena, inner);
                    assertThat(encapsulator.encapsulate(packet, 0)).isNull();
                    String what = type + " over " + underlay[0] + " csum=" + csum;
                    assertThat(decapsulator.decapsulate(packet, metadata))
                            .as(what)
                            .isNull();
                    assertThat(packet.toByteArray()).as(what).isEqualTo(inner);
                    assertThat(metadata.type()).as(what).isEqualTo(type);
                    assertThat(metadata.key()).as(what).isEqualTo(77);
                    assertThat(metadata.sourceText()).as(what).isEqualTo(underlay[0]);
                    assertThat(metadata.destinationText()).as(what).isEqualTo(underlay[1]);
                    assertThat(metadata.tos())
                            .as("outer ECN copied from inner: " + what)
                            .isEqualTo(0x02);
                    assertThat(metadata.has(TunnelMetadata.FLAG_CHECKSUM))
                            .as(what)
                            .isEqualTo(csum.equals("true"));
                }
            }
        }
    }

    private byte[] mutated(String hex, int offset, int value) {
        byte[] frame = bytes(hex);
        frame[offset] = (byte) value;
        return frame;
    }

    /** Rewrites the outer IPv4 header checksum so that a deliberate change elsewhere is what gets caught. */
    private static byte[] fixIpv4Checksum(byte[] frame) {
        MemorySegment segment = MemorySegment.ofArray(frame);
        Bytes.u16(segment, 24, 0);
        Bytes.u16(segment, 24, Checksum.compute(segment, 14, 20));
        return frame;
    }

    @Test
    void everyOuterProblemIsDroppedWithItsReasonAndCounted() {
        assertThat(decapsulate("00")).isEqualTo(Malformed.ETHERNET_TRUNCATED);
        assertThat(decapsulate(Vectors.VXLAN_IPV4.substring(0, 2 * 40))).isEqualTo(Malformed.IPV4_BAD_TOTAL_LENGTH);
        assertThat(decapsulate(mutated(Vectors.VXLAN_IPV4, 24, 0))).isEqualTo(Malformed.IPV4_BAD_CHECKSUM);
        assertThat(decapsulate(bytes(ARP_REQUEST))).isEqualTo(Malformed.NOT_A_TUNNEL);
        // More fragments set.
        assertThat(decapsulate(fixIpv4Checksum(mutated(Vectors.GRE_IPV4_KEY, 20, 0x60))))
                .isEqualTo(Malformed.IP_FRAGMENT);
        // The first fragment of a VXLAN packet the underlay split: 32 of its 58 UDP bytes, More fragments set. It is
        // dropped as a fragment, not as a UDP length that overruns the packet.
        byte[] firstFragment = Arrays.copyOf(bytes(Vectors.VXLAN_IPV4), 14 + 20 + 32);
        firstFragment[17] = 20 + 32;
        firstFragment[20] = 0x20;
        assertThat(decapsulate(fixIpv4Checksum(firstFragment))).isEqualTo(Malformed.IP_FRAGMENT);
        // UDP to port 4790 is not a tunnel.
        assertThat(decapsulate(mutated(Vectors.VXLAN_IPV4, 37, 0xb6))).isEqualTo(Malformed.NOT_A_TUNNEL);
        // One bit of the ARP payload flipped under a UDP checksum.
        assertThat(decapsulate(mutated(Vectors.VXLAN_IPV4_CHECKSUM, 91, 0x03))).isEqualTo(Malformed.UDP_BAD_CHECKSUM);
        // ... and under a GRE checksum.
        assertThat(decapsulate(mutated(Vectors.GRE_IPV4_CHECKSUM_KEY_SEQUENCE, 91, 0x03)))
                .isEqualTo(Malformed.GRE_BAD_CHECKSUM);
        // VXLAN flags 0x00: no I flag.
        assertThat(decapsulate(mutated(Vectors.VXLAN_IPV4, 42, 0x00))).isEqualTo(Malformed.VXLAN_NO_VNI_FLAG);
        // GRE routing bit.
        assertThat(decapsulate(mutated(Vectors.GRE_IPV4_KEY, 34, 0x60))).isEqualTo(Malformed.GRE_RESERVED_BITS);
        // GRE version 2.
        assertThat(decapsulate(mutated(Vectors.GRE_IPV4_KEY, 35, 0x02))).isEqualTo(Malformed.GRE_BAD_VERSION);
        // GRE protocol 0x880b (PPP) in version 0.
        byte[] ppp = mutated(Vectors.GRE_IPV4_KEY, 36, 0x88);
        ppp[37] = 0x0b;
        assertThat(decapsulate(ppp)).isEqualTo(Malformed.GRE_UNKNOWN_PROTOCOL);

        assertThat(decapsulator.dropped(Malformed.NOT_A_TUNNEL)).isEqualTo(2);
        assertThat(decapsulator.dropped(Malformed.IPV4_BAD_CHECKSUM)).isEqualTo(1);
        assertThat(decapsulator.dropped(Malformed.GRE_BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void enhancedGreIsRecognisedAndNotTakenForATunnel() {
        // PPTP: GRE version 1, K and S set, protocol PPP, payload length 4, call id 7, seq 1; then 4 bytes of PPP.
        String pptp = "3001880b00040007" + "00000001" + "ff030021";
        int totalLength = 20 + pptp.length() / 2;
        byte[] frame = bytes(Vectors.OUTER_ETHERNET + "4500" + String.format("%04x", totalLength)
                + "00004000402f0000c0a80164c0a80165" + pptp);
        fixIpv4Checksum(frame);
        assertThat(decapsulate(frame)).isEqualTo(Malformed.GRE_V1_NOT_TUNNELED);
    }

    @Test
    void vxlanReservedBitsAreIgnoredAndCountedUnlessStrict() {
        byte[] frame = mutated(Vectors.VXLAN_IPV4, 42, 0x0c); // I plus a reserved flag bit
        assertThat(decapsulate(frame)).isNull();
        assertThat(metadata.has(TunnelMetadata.FLAG_VXLAN_RESERVED)).isTrue();
        assertThat(decapsulator.vxlanReservedBitsIgnored()).isEqualTo(1);

        Decapsulator strict = new Decapsulator(new int[] {4789}, new int[] {4754}, true);
        assertThat(strict.decapsulate(MemorySegment.ofArray(frame), 0, frame.length, metadata))
                .isEqualTo(Malformed.VXLAN_RESERVED_BITS);
        assertThat(strict.dropped(Malformed.VXLAN_RESERVED_BITS)).isEqualTo(1);
    }

    @Test
    void vxlanOnAnotherConfiguredPort() {
        Decapsulator linux = new Decapsulator(new int[] {8472}, new int[0], false);
        byte[] frame = mutated(Vectors.VXLAN_IPV4, 36, 0x21); // dst port 0x2118 = 8472
        frame[37] = 0x18;
        assertThat(linux.decapsulate(MemorySegment.ofArray(frame), 0, frame.length, metadata))
                .isNull();
        assertThat(metadata.destinationPort()).isEqualTo(8472);
        assertThat(decapsulate(frame)).isEqualTo(Malformed.NOT_A_TUNNEL);
    }

    /** GRE over IPv4 around an inner IPv4 packet with ECN field {@code innerEcn}, outer ECN {@code outerEcn}. */
    private byte[] greWithEcn(int innerEcn, int outerEcn) {
        TunnelConfig config =
                TunnelConfig.fromOptions(TunnelType.GRE, Map.of("local_ip", "198.18.0.1", "remote_ip", "198.18.0.2"));
        byte[] inner = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .tos(0xb8 | innerEcn)
                .icmpEcho(true, 1, 1)
                .build();
        PacketBuffer packet = PacketBuffer.of(arena, inner);
        new Encapsulator(new HeaderTemplate(config, config.localIp(), config.remoteIp(), 1, 2)).encapsulate(packet, 0);
        byte[] frame = packet.toByteArray();
        frame[15] = (byte) ((frame[15] & 0xfc) | outerEcn); // a router on the way marks the outer header
        return fixIpv4Checksum(frame);
    }

    @Test
    void congestionMarkedOnTheOuterHeaderReachesTheInnerPacket() {
        PacketBuffer packet = PacketBuffer.of(arena, greWithEcn(2, 3)); // inner ECT(0), outer CE
        assertThat(decapsulator.decapsulate(packet, metadata)).isNull();
        MemorySegment segment = packet.memory();
        int ip = packet.start() + 14;
        assertThat(Bytes.u8(segment, ip + 1)).as("inner becomes CE, DSCP kept").isEqualTo(0xb8 | 3);
        assertThat(Checksum.verifies(segment, ip, 20, 0))
                .as("inner IPv4 checksum updated")
                .isTrue();
    }

    @Test
    void ceOverNotEctIsDroppedAndUnusedCombinationsAreCounted() {
        assertThat(decapsulate(greWithEcn(0, 3))).isEqualTo(Malformed.ECN_CE_ON_NOT_ECT);
        assertThat(decapsulator.ecnUnexpected()).isEqualTo(1);
        assertThat(decapsulate(greWithEcn(0, 2))).isNull(); // Not-ECT(!!!): forwarded as Not-ECT, counted
        assertThat(decapsulator.ecnUnexpected()).isEqualTo(2);
        assertThat(decapsulate(greWithEcn(2, 2))).isNull();
        assertThat(decapsulator.ecnUnexpected()).isEqualTo(2);
    }
}
