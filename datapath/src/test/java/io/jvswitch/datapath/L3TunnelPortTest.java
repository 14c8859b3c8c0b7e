package io.jvswitch.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.PortType;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GRE ports with {@code packet_type=legacy_l3}, as Open vSwitch's layer-3 tunnel ports behave: what leaves by one
 * loses its Ethernet header and tags, the Ethertype becoming the GRE protocol type ({@code pop_eth}, then {@code
 * netdev_gre_build_header}); what arrives enters the bridge behind an Ethernet header of zeroes whose type is the GRE
 * protocol type ({@code xlate_actions}); the packet type is part of the tunnel lookup ({@code tnl_find}), so a payload
 * of the other kind finds no port and is dropped, counted by name; NORMAL does not flood into such a port
 * ({@code bundle_update}). Two routers, RA (1.1.1.1) and RB (2.2.2.2), joined back to back.
 */
class L3TunnelPortTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final long HOST_A = MacAddress.parse("fa:16:3e:0a:00:01");
    private static final long RA_LAN = MacAddress.parse("02:00:c0:a8:01:fe");

    /** The tutorial's first example: A (192.168.1.1) pings B (192.168.2.1); its IP packet, TTL 64. */
    private static final String A_TO_B = "45000054000040004001b656c0a80101c0a80201" + "080000eb00010001"
            + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
            + "202122232425262728292a2b2c2d2e2f3031323334353637";
    /** The same packet one router later: TTL 63, the header checksum 0x0100 more (RFC 1624). */
    private static final String A_TO_B_TTL_63 = "45000054000040003f01b756c0a80101c0a80201" + A_TO_B.substring(40);
    /** RA to RB: outer Ethernet, IPv4 1.1.1.1 > 2.2.2.2 protocol 47 (ttl 64, DF), GRE flags 0 protocol 0x0800. */
    private static final String RA_TO_RB_HEADERS =
            "020002020202" + "020001010101" + "0800" + "4500006c00004000402f345e0101010102020202" + "00000800";

    private static final Map<String, String> L3 = Map.of("packet_type", "legacy_l3");
    private static final Map<String, String> L2 = Map.of();

    /** A router: one datapath, bridge br0, its underlay a cable to the peer's. */
    private static final class Router implements Underlay {
        final InetAddress address;
        final Datapath datapath;
        final Bridge bridge;
        final List<byte[]> sent = new ArrayList<>();
        final Map<String, List<byte[]>> lanReceived = new HashMap<>();
        Router peer;

        Router(String address) throws Exception {
            this.address = InetAddress.getByName(address);
            this.datapath = new Datapath(new TwoHostDatapathTest.Clock(), this);
            this.bridge = datapath.addBridge("br0");
        }

        EthernetPort lan(String name) {
            List<byte[]> received = new ArrayList<>();
            lanReceived.put(name, received);
            return (EthernetPort) bridge.addPort(new EthernetPort(
                    name,
                    PortType.SYSTEM,
                    0,
                    (segment, offset, length) ->
                            received.add(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE))));
        }

        void gre(String name, String remote, Map<String, String> extra) {
            Map<String, String> options = new HashMap<>(extra);
            options.put("remote_ip", remote);
            options.put("local_ip", address.getHostAddress());
            bridge.addPort(new TunnelPort(name, TunnelConfig.fromOptions(TunnelType.GRE, options)));
        }

        void flows(String... lines) {
            bridge.tables().apply(FlowParser.parse("", FlowMod.Command.DELETE));
            bridge.tables().applyAll(FlowParser.parseLines(List.of(lines), FlowMod.Command.ADD, "br0"));
        }

        void receive(String port, byte[] frame) {
            datapath.receive((EthernetPort) bridge.port(port), MemorySegment.ofArray(frame), 0, frame.length);
        }

        List<String> lanHex(String name) {
            return lanReceived.get(name).stream().map(HEX::formatHex).toList();
        }

        List<String> sentHex() {
            return sent.stream().map(HEX::formatHex).toList();
        }

        @Override
        public void send(MemorySegment segment, long offset, int length) {
            byte[] frame = segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
            sent.add(frame);
            if (peer != null) {
                peer.datapath.receiveFromUnderlay(MemorySegment.ofArray(frame), 0, frame.length);
            }
        }

        @Override
        public long localMac() {
            byte[] b = address.getAddress();
            return 0x020000000000L
                    | Integer.toUnsignedLong(
                            ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        }

        @Override
        public long nextHopMac(InetAddress destination) {
            return peer.localMac();
        }

        @Override
        public InetAddress localAddress(InetAddress remote) {
            return address;
        }

        @Override
        public int mtu() {
            return 1500;
        }
    }

    private static Router[] routers(Map<String, String> raGre, Map<String, String> rbGre) throws Exception {
        Router ra = new Router("1.1.1.1");
        Router rb = new Router("2.2.2.2");
        ra.peer = rb;
        rb.peer = ra;
        ra.lan("lan0"); // 1
        ra.gre("gre0", "2.2.2.2", raGre); // 2
        rb.lan("lan0"); // 1
        rb.gre("gre0", "1.1.1.1", rbGre); // 2
        return new Router[] {ra, rb};
    }

    private static byte[] fromA(String ipPacket) {
        return HEX.parseHex(MacAddress.format(RA_LAN).replace(":", "")
                + MacAddress.format(HOST_A).replace(":", "") + "0800" + ipPacket);
    }

    @Test
    void anIpPacketLeavesWithoutItsEthernetHeaderAndArrivesBehindOneOfZeroes() throws Exception {
        Router[] pair = routers(L3, L3);
        Router ra = pair[0];
        Router rb = pair[1];
        ra.flows("priority=10,ip,in_port=1,nw_dst=192.168.2.0/24 actions=dec_ttl,output:2");
        rb.flows("priority=10,in_port=2 actions=output:1");

        ra.receive("lan0", fromA(A_TO_B));

        assertThat(ra.sentHex())
                .as("A's IP packet, TTL 63, in GRE protocol 0x0800: no inner Ethernet header")
                .containsExactly(RA_TO_RB_HEADERS + A_TO_B_TTL_63);
        assertThat(rb.lanHex("lan0"))
                .as("RB's bridge saw dl_src and dl_dst zero, dl_type 0x0800: what it output untouched shows it")
                .containsExactly("000000000000" + "000000000000" + "0800" + A_TO_B_TTL_63);
        assertThat(ra.datapath.dropCounters()).isEmpty();
        assertThat(rb.datapath.dropCounters()).isEmpty();
        assertThat(ra.bridge.port("gre0").counters().txPackets()).isEqualTo(1);
        assertThat(rb.bridge.port("gre0").counters().rxPackets()).isEqualTo(1);
        assertThat(rb.bridge.port("gre0").counters().rxBytes())
                .as("the IP packet's 84 bytes")
                .isEqualTo(84);
    }

    @Test
    void theZeroHeaderMatchesAsEthernetAndTakesTheRoutersAddresses() throws Exception {
        Router[] pair = routers(L3, L3);
        Router ra = pair[0];
        Router rb = pair[1];
        long hostB = MacAddress.parse("fa:16:3e:0b:00:01");
        long rbLan = MacAddress.parse("02:00:c0:a8:02:fe");
        ra.flows("priority=10,ip,in_port=1 actions=output:2");
        rb.flows(
                "priority=10,in_port=2,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,ip,nw_dst=192.168.2.1"
                        + " actions=mod_dl_src:02:00:c0:a8:02:fe,mod_dl_dst:fa:16:3e:0b:00:01,dec_ttl,output:1",
                "priority=0 actions=drop");

        ra.receive("lan0", fromA(A_TO_B));

        assertThat(rb.lanHex("lan0"))
                .containsExactly(MacAddress.format(hostB).replace(":", "")
                        + MacAddress.format(rbLan).replace(":", "") + "0800" + A_TO_B_TTL_63);
    }

    @Test
    void tagsGoWithTheEthernetHeader() throws Exception {
        Router[] pair = routers(L3, L3);
        Router ra = pair[0];
        ra.flows("priority=10,in_port=1 actions=output:2");
        String macs = MacAddress.format(RA_LAN).replace(":", "")
                + MacAddress.format(HOST_A).replace(":", "");

        ra.receive("lan0", HEX.parseHex(macs + "8100" + "0005" + "0800" + A_TO_B)); // 802.1Q, VLAN 5
        ra.receive("lan0", HEX.parseHex(macs + "88a8" + "0064" + "8100" + "0005" + "0800" + A_TO_B)); // 802.1ad

        assertThat(ra.sentHex())
                .containsExactly(
                        RA_TO_RB_HEADERS + A_TO_B,
                        // the outer IPv4 identification advances: 1, and the checksum one less
                        RA_TO_RB_HEADERS.replace("00004000402f345e", "00014000402f345d") + A_TO_B);
    }

    @Test
    void ipv6TravelsAsGreProtocol86ddAndEntersAsDlType86dd() throws Exception {
        Router[] pair = routers(L3, L3);
        Router ra = pair[0];
        Router rb = pair[1];
        ra.flows("priority=10,in_port=1 actions=output:2");
        rb.flows("priority=10,in_port=2 actions=output:1");
        byte[] v6 = new FrameBuilder()
                .ethernet(HOST_A, RA_LAN)
                .ipv6(
                        InetAddress.getByName("2001:db8:1::1").getAddress(),
                        InetAddress.getByName("2001:db8:2::1").getAddress())
                .icmpEcho(true, 7, 1)
                .build();
        String packet = HEX.formatHex(v6).substring(28);

        ra.receive("lan0", v6);

        String outer = HEX.formatHex(ra.sent.getFirst());
        assertThat(outer.substring(68, 76)).as("GRE flags 0, protocol 0x86dd").isEqualTo("000086dd");
        assertThat(outer.substring(76)).isEqualTo(packet);
        assertThat(rb.lanHex("lan0")).containsExactly("000000000000" + "000000000000" + "86dd" + packet);
    }

    @Test
    void whatIsNotIpIsDroppedAtTheL3PortAndCounted() throws Exception {
        Router[] pair = routers(L3, L3);
        Router ra = pair[0];
        ra.flows("priority=10,in_port=1 actions=output:2");
        byte[] arp = new FrameBuilder()
                .ethernet(HOST_A, MacAddress.BROADCAST)
                .arp(Arp.OP_REQUEST, HOST_A, 0xc0a80101, 0, 0xc0a801fe)
                .build();

        ra.receive("lan0", arp);

        assertThat(ra.sent).isEmpty();
        assertThat(ra.datapath.dropCounters()).isEqualTo(Map.of("l3_tunnel_non_ip", 1L));
        assertThat(ra.bridge.port("gre0").counters().txDropped()).isEqualTo(1);
    }

    @Test
    void normalFloodsEverywhereButIntoAnL3Tunnel() throws Exception {
        Router ra = new Router("1.1.1.1");
        ra.peer = new Router("2.2.2.2");
        ra.lan("lan0");
        ra.gre("gre0", "2.2.2.2", L3);
        ra.lan("lan1"); // the bridge keeps its first flow, priority=0 actions=NORMAL
        byte[] arp = new FrameBuilder()
                .ethernet(HOST_A, MacAddress.BROADCAST)
                .arp(Arp.OP_REQUEST, HOST_A, 0xc0a80101, 0, 0xc0a801fe)
                .build();

        ra.receive("lan0", arp);

        assertThat(ra.lanHex("lan1")).containsExactly(HEX.formatHex(arp));
        assertThat(ra.sent)
                .as("Open vSwitch's NORMAL does not flood to a legacy_l3 port")
                .isEmpty();
        assertThat(ra.datapath.dropCounters()).isEmpty();
    }

    @Test
    void anIpPayloadOnlyAnL2PortWouldTakeIsDroppedByName() throws Exception {
        Router[] pair = routers(L3, L2);
        Router ra = pair[0];
        Router rb = pair[1];
        ra.flows("priority=10,in_port=1 actions=output:2");
        rb.flows("priority=10,in_port=2 actions=output:1");

        ra.receive("lan0", fromA(A_TO_B));

        assertThat(ra.sent).hasSize(1);
        assertThat(rb.lanHex("lan0")).isEmpty();
        assertThat(rb.datapath.dropCounters()).isEqualTo(Map.of("tunnel_l3_payload_on_l2_port", 1L));
        assertThat(rb.bridge.port("gre0").counters().rxPackets()).isZero();
    }

    @Test
    void anEthernetPayloadOnlyAnL3PortWouldTakeIsDroppedByName() throws Exception {
        Router[] pair = routers(L2, L3);
        Router ra = pair[0];
        Router rb = pair[1];
        ra.flows("priority=10,in_port=1 actions=output:2");
        rb.flows("priority=10,in_port=2 actions=output:1");
        byte[] frame = fromA(A_TO_B);

        ra.receive("lan0", frame);

        assertThat(HEX.formatHex(ra.sent.getFirst()))
                .as("the legacy_l2 port sends the whole frame, GRE protocol 0x6558")
                .isEqualTo(RA_TO_RB_HEADERS
                                .replace("4500006c00004000402f345e", "4500007a00004000402f3450")
                                .replace("00000800", "00006558")
                        + HEX.formatHex(frame));
        assertThat(rb.lanHex("lan0")).isEmpty();
        assertThat(rb.datapath.dropCounters()).isEqualTo(Map.of("tunnel_l2_payload_on_l3_port", 1L));
    }

    @Test
    void anL2AndAnL3PortShareOneTunnelEachTakingItsKind() throws Exception {
        Router ra = new Router("1.1.1.1");
        Router rb = new Router("2.2.2.2");
        ra.peer = rb;
        rb.peer = ra;
        ra.lan("lan0"); // 1
        ra.gre("gre-l2", "2.2.2.2", L2); // 2
        ra.gre("gre-l3", "2.2.2.2", L3); // 3
        rb.lan("lan0"); // 1
        rb.gre("gre-l2", "1.1.1.1", L2); // 2
        rb.gre("gre-l3", "1.1.1.1", L3); // 3
        rb.lan("lan1"); // 4
        ra.flows("priority=10,in_port=1,arp actions=output:2", "priority=10,in_port=1,ip actions=output:3");
        rb.flows("priority=10,in_port=2 actions=output:1", "priority=10,in_port=3 actions=output:4");
        byte[] arp = new FrameBuilder()
                .ethernet(HOST_A, MacAddress.BROADCAST)
                .arp(Arp.OP_REQUEST, HOST_A, 0xc0a80101, 0, 0xc0a80201)
                .build();

        ra.receive("lan0", arp);
        ra.receive("lan0", fromA(A_TO_B));

        assertThat(rb.lanHex("lan0")).as("the Ethernet frame, by gre-l2").containsExactly(HEX.formatHex(arp));
        assertThat(rb.lanHex("lan1"))
                .as("the IP packet, by gre-l3")
                .containsExactly("000000000000" + "000000000000" + "0800" + A_TO_B);
        assertThat(rb.datapath.dropCounters()).isEmpty();
    }
}
