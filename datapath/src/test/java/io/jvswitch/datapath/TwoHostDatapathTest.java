package io.jvswitch.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.PatchPort;
import io.jvswitch.datapath.port.PortType;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.text.RuleFormatter;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two hosts' switches, each with br-int and br-tun as the tutorial lays them out, joined by an in-memory underlay:
 * VM1's ARP request floods through br-int and br-tun into the tunnel and reaches VM2 untagged; VM2's reply teaches
 * host 1's table 20 the tutorial's learned flow; after that, unicast goes straight to the one tunnel.
 */
class TwoHostDatapathTest {
    private static final long VM1 = 0xfa163e000001L;
    private static final long VM2 = 0xfa163e1f1955L;

    private final Clock clock = new Clock();

    /** One host: its datapath, its VM's port, and what the VM received. */
    private static final class Host implements Underlay {
        final InetAddress address;
        final Datapath datapath;
        final List<byte[]> vmReceived = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();
        Host peer;
        EthernetPort vmPort;

        Host(String address, InstantSource clock) throws Exception {
            this.address = InetAddress.getByName(address);
            this.datapath = new Datapath(clock, this);
        }

        @Override
        public void send(MemorySegment segment, long offset, int length) {
            byte[] frame = segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
            sent.add(frame);
            peer.datapath.receiveFromUnderlay(MemorySegment.ofArray(frame), 0, frame.length);
        }

        @Override
        public long localMac() {
            return 0x020000000000L | (address.getAddress()[3] & 0xff);
        }

        @Override
        public long nextHopMac(InetAddress destination) {
            return 0x020000000000L | (destination.getAddress()[3] & 0xff);
        }

        @Override
        public InetAddress localAddress(InetAddress remote) {
            return address;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        /** br-int with the VM on VLAN 1, br-tun with the tutorial's flows for one peer on GRE key 0x1388. */
        void build(String remote) {
            Bridge brInt = datapath.addBridge("br-int");
            vmPort = (EthernetPort) brInt.addPort(new EthernetPort(
                    "vm",
                    PortType.SYSTEM,
                    1,
                    (segment, offset, length) ->
                            vmReceived.add(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE))));
            brInt.addPort(new PatchPort("patch-tun", "patch-int"));
            Bridge brTun = datapath.addBridge("br-tun");
            brTun.addPort(new PatchPort("patch-int", "patch-tun")); // 1
            brTun.addPort(new TunnelPort(
                    "gre-1",
                    TunnelConfig.fromOptions(
                            TunnelType.GRE,
                            Map.of(
                                    "remote_ip",
                                    remote,
                                    "local_ip",
                                    address.getHostAddress(),
                                    "in_key",
                                    "flow",
                                    "out_key",
                                    "flow")))); // 2
            brTun.tables().apply(FlowParser.parse("", FlowMod.Command.DELETE)); // as Neutron empties br-tun
            brTun.tables()
                    .applyAll(FlowParser.parseLines(
                            List.of(
                                    "table=0,priority=1,in_port=1 actions=resubmit(,1)",
                                    "table=0,priority=1,in_port=2 actions=resubmit(,2)",
                                    "table=0,priority=0 actions=drop",
                                    "table=1,priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
                                    "table=1,priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)",
                                    "table=2,priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
                                    "table=2,priority=0 actions=drop",
                                    "table=10,priority=1 actions=learn(table=20,hard_timeout=300,priority=1,"
                                            + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
                                            + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1",
                                    "table=20,priority=0 actions=resubmit(,21)",
                                    "table=21,priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:2",
                                    "table=21,priority=0 actions=drop"),
                            FlowMod.Command.ADD,
                            "br-tun"));
        }

        void vmSends(byte[] frame) {
            datapath.receive(vmPort, MemorySegment.ofArray(frame), 0, frame.length);
        }
    }

    @Test
    void theTutorialsWalkThroughAcrossTwoRealDatapaths() throws Exception {
        Host one = new Host("192.168.1.100", clock);
        Host two = new Host("192.168.1.101", clock);
        one.peer = two;
        two.peer = one;
        one.build("192.168.1.101");
        two.build("192.168.1.100");

        byte[] request = new FrameBuilder()
                .ethernet(VM1, MacAddress.BROADCAST)
                .arp(Arp.OP_REQUEST, VM1, 0x0a000001, 0, 0x0a000002)
                .build();
        one.vmSends(request);
        assertThat(one.sent).hasSize(1);
        assertThat(HexFormat.of().formatHex(one.sent.getFirst()).substring(0, 2 * 42))
                .as("outer Ethernet, IPv4 192.168.1.100 -> .101 proto 47, GRE key 0x1388")
                .contains("c0a80164c0a80165")
                .endsWith("2000655800001388");
        assertThat(two.vmReceived).hasSize(1);
        assertThat(two.vmReceived.getFirst())
                .as("VM2 gets VM1's request untagged, unchanged")
                .isEqualTo(request);

        byte[] reply = new FrameBuilder()
                .ethernet(VM2, VM1)
                .arp(Arp.OP_REPLY, VM2, 0x0a000002, VM1, 0x0a000001)
                .build();
        two.vmSends(reply);
        assertThat(one.vmReceived).containsExactly(reply);
        Rule learned = one.datapath.bridge("br-tun").tables().rules().stream()
                .filter(rule -> rule.table() == 20 && rule.priority() == 1)
                .findFirst()
                .orElseThrow();
        assertThat(RuleFormatter.addFlowLine(learned))
                .isEqualTo("table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                        + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:2");

        byte[] ping = new FrameBuilder()
                .ethernet(VM1, VM2)
                .ipv4(0x0a000001, 0x0a000002)
                .icmpEcho(true, 1, 1)
                .build();
        one.vmSends(ping);
        assertThat(two.vmReceived).hasSize(2);
        assertThat(two.vmReceived.get(1)).isEqualTo(ping);
        assertThat(one.sent).hasSize(2);
        assertThat(one.datapath.dropCounters()).isEmpty();
        assertThat(two.datapath.dropCounters()).isEmpty();
    }

    static final class Clock implements InstantSource {
        long millis = 1_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }
}
