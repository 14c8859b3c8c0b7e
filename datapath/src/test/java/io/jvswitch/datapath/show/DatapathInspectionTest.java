package io.jvswitch.datapath.show;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.Underlay;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.PortType;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the tools that look inside the datapath see: dpctl/show, the megaflow dumps and port captures. */
class DatapathInspectionTest {
    private static final long VM1 = 0xfa163e000001L;
    private static final long VM2 = 0xfa163e000002L;

    private long nowMillis = 1_000_000;
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMillis);
    private int underlaySends;

    /** Counts what it is asked to send; its offload counters are whatever the test gives it. */
    private final class CountingUnderlay implements Underlay {
        private final Map<String, Long> offloads;

        CountingUnderlay(Map<String, Long> offloads) {
            this.offloads = offloads;
        }

        @Override
        public void send(MemorySegment segment, long offset, int length) {
            underlaySends++;
        }

        @Override
        public long localMac() {
            return 0x020000000064L;
        }

        @Override
        public long nextHopMac(InetAddress destination) {
            return 0x020000000065L;
        }

        @Override
        public InetAddress localAddress(InetAddress remote) {
            return InetAddress.ofLiteral("192.168.1.100");
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public Map<String, Long> offloadStatistics() {
            return offloads;
        }
    }

    private final Underlay underlay = new CountingUnderlay(Map.of());

    private final Datapath datapath = new Datapath(clock, underlay);
    private final Bridge bridge = datapath.addBridge("br0");
    private final EthernetPort vm1 = (EthernetPort) bridge.addPort(new EthernetPort("vm1", PortType.TAP, 0, ignored()));

    DatapathInspectionTest() {
        bridge.addPort(new EthernetPort("vm2", PortType.SYSTEM, 0, ignored()));
        bridge.addPort(new TunnelPort(
                "vxlan0",
                TunnelConfig.fromOptions(TunnelType.VXLAN, Map.of("remote_ip", "192.168.1.101", "key", "flow"))));
        bridge.tables().apply(FlowParser.parse("", FlowMod.Command.DELETE));
        bridge.tables()
                .applyAll(FlowParser.parseLines(
                        List.of(
                                "priority=10,in_port=1,arp actions=output:2",
                                "priority=5,in_port=1,ip,nw_dst=10.0.0.0/24 actions=set_tunnel:0x1388,output:3",
                                "priority=7,in_port=1,dl_vlan=5 actions=strip_vlan,output:2",
                                "priority=0 actions=drop"),
                        FlowMod.Command.ADD,
                        "br0"));
    }

    private static io.jvswitch.datapath.port.FrameSink ignored() {
        return (segment, offset, length) -> {};
    }

    private void vm1Sends(byte[] frame) {
        datapath.receive(vm1, MemorySegment.ofArray(frame), 0, frame.length);
    }

    @Test
    void dumpFlowsPrintsEachMegaflowInTheDatapathsSyntaxWithItsCounters() {
        byte[] arp = new FrameBuilder()
                .ethernet(VM1, MacAddress.BROADCAST)
                .arp(Arp.OP_REQUEST, VM1, 0x0a000001, 0, 0x0a000002)
                .build();
        byte[] udp = new FrameBuilder()
                .ethernet(VM1, VM2)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(40000, 53)
                .build();
        byte[] tagged = new FrameBuilder()
                .ethernet(VM1, VM2)
                .vlan(5)
                .ipv4(0x0a000001, 0x0a000103)
                .udp(40000, 53)
                .build();
        vm1Sends(arp);
        nowMillis += 250;
        vm1Sends(udp);
        vm1Sends(udp);
        vm1Sends(tagged);
        nowMillis += 1500;

        int vm2 = bridge.datapathPort(2);
        int tunnel = bridge.datapathPort(3);
        int in = bridge.datapathPort(1);
        assertThat(underlaySends)
                .as("the two UDP datagrams went into the tunnel")
                .isEqualTo(2);
        assertThat(DatapathFlows.dumpFlows(datapath, nowMillis))
                .isEqualTo("recirc_id(0),in_port(" + in + "),eth_type(0x0800),ipv4(dst=10.0.0.0/255.255.255.0),"
                        + " packets:2, bytes:84, used:1.500s, actions:set(tunnel(tun_id=0x1388)),"
                        + tunnel + "\n"
                        + "recirc_id(0),in_port(" + in + "),eth_type(0x0806), packets:1, bytes:42, used:1.750s,"
                        + " actions:" + vm2 + "\n"
                        + "recirc_id(0),in_port(" + in + "),eth_type(0x8100),vlan(vid=5,pcp=0),"
                        + "encap(eth_type(0x0800)), packets:1, bytes:46, used:1.500s, actions:pop_vlan," + vm2
                        + "\n");
    }

    @Test
    void showCountsLookupsAndListsEveryPortWithItsTypeAndOptions() {
        byte[] udp = new FrameBuilder()
                .ethernet(VM1, VM2)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(40000, 53)
                .build();
        vm1Sends(udp);
        vm1Sends(udp);
        vm1Sends(udp);

        assertThat(DatapathFlows.show(datapath))
                .isEqualTo("netdev@jvswitch:\n"
                        + "  lookups: hit:2 missed:1 lost:0\n"
                        + "  flows: 1\n"
                        + "  port " + datapath.datapathPort(bridge.port("br0")) + ": br0 (internal)\n"
                        + "  port " + bridge.datapathPort(1) + ": vm1 (tap)\n"
                        + "  port " + bridge.datapathPort(2) + ": vm2\n"
                        + "  port " + bridge.datapathPort(3)
                        + ": vxlan0 (vxlan: key=flow, remote_ip=192.168.1.101)\n");
    }

    @Test
    void aFlowNoPacketHasHitIsNeverUsedAndAnEmptyDatapathDumpsNothing() {
        assertThat(DatapathFlows.dumpFlows(datapath, nowMillis)).isEmpty();
        assertThat(DatapathFlows.dumpFlows(bridge, nowMillis)).isEmpty();
    }

    @Test
    void keysPrintTunnelsMasksIpv6AndTransportAttributes() {
        int in = bridge.datapathPort(1);
        Match ipv6 = Match.builder()
                .set(Field.TUN_ID, 0x1388)
                .set(Field.TUN_SRC, 0xc0a80165L)
                .set(Field.IN_PORT, 1)
                .setMasked(Field.DL_DST, 0x010000000000L, 0x010000000000L)
                .set(Field.DL_TYPE, 0x86dd)
                .setMasked128(Field.IPV6_SRC, 0x20010db800000000L, 1, -1L, -1L)
                .set(Field.NW_PROTO, 6)
                .set(Field.TP_DST, 80)
                .build();
        assertThat(DatapathFlows.key(bridge, ipv6))
                .isEqualTo("recirc_id(0),tunnel(tun_id=0x1388,src=192.168.1.101),in_port(" + in + "),"
                        + "eth(dst=01:00:00:00:00:00/01:00:00:00:00:00),eth_type(0x86dd),"
                        + "ipv6(src=2001:db8::1,proto=6),tcp(dst=80)");

        Match icmp = Match.builder()
                .set(Field.DL_SRC, VM1)
                .set(Field.DL_TYPE, 0x0800)
                .set(Field.NW_PROTO, 1)
                .set(Field.NW_TTL, 64)
                .set(Field.ICMP_TYPE, 8)
                .build();
        assertThat(DatapathFlows.key(bridge, icmp))
                .isEqualTo("recirc_id(0),eth(src=fa:16:3e:00:00:01),eth_type(0x0800),ipv4(proto=1,ttl=64),"
                        + "icmp(type=8)");

        Match arp = Match.builder()
                .set(Field.DL_TYPE, 0x0806)
                .set(Field.ARP_TPA, 0x0a000002)
                .set(Field.ARP_OP, 1)
                .build();
        assertThat(DatapathFlows.key(bridge, arp)).isEqualTo("recirc_id(0),eth_type(0x0806),arp(tip=10.0.0.2,op=1)");
    }

    @Test
    void aCaptureSeesWhatThePortReceivesAndSendsAsTheBridgeSeesIt() {
        record Seen(boolean received, byte[] bytes) {}
        List<Seen> onVm1 = new java.util.ArrayList<>();
        List<Seen> onTunnel = new java.util.ArrayList<>();
        vm1.capture((received, segment, offset, length) -> onVm1.add(
                new Seen(received, segment.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))));
        bridge.port(3)
                .capture((received, segment, offset, length) -> onTunnel.add(new Seen(
                        received, segment.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))));
        byte[] udp = new FrameBuilder()
                .ethernet(VM1, VM2)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(40000, 53)
                .build();
        vm1Sends(udp);

        assertThat(onVm1).hasSize(1);
        assertThat(onVm1.getFirst().received()).isTrue();
        assertThat(onVm1.getFirst().bytes()).isEqualTo(udp);
        assertThat(onTunnel).as("the inner frame, before encapsulation").hasSize(1);
        assertThat(onTunnel.getFirst().received()).isFalse();
        assertThat(onTunnel.getFirst().bytes()).isEqualTo(udp);
        assertThat(underlaySends).isEqualTo(1);

        vm1.capture(null);
        bridge.port(3).capture(null);
        vm1Sends(udp);
        assertThat(onVm1).as("nothing once the capture ends").hasSize(1);
        assertThat(onTunnel).hasSize(1);
        assertThat(underlaySends).isEqualTo(2);
    }

    @Test
    void showPrintsTheUnderlaysOffloadCountersWhenItHasAny() {
        Map<String, Long> counters = new java.util.LinkedHashMap<>();
        counters.put("gso_sends", 2294L);
        counters.put("gso_segments", 77881L);
        Underlay offloading = new CountingUnderlay(counters);
        assertThat(DatapathFlows.show(new Datapath(clock, offloading)))
                .isEqualTo("netdev@jvswitch:\n"
                        + "  lookups: hit:0 missed:0 lost:0\n"
                        + "  flows: 0\n"
                        + "  udp offloads: gso_sends:2294 gso_segments:77881\n");
    }
}
