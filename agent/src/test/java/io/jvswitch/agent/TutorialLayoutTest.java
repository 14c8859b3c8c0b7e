package io.jvswitch.agent;

import static io.jvswitch.agent.Fabric.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.text.RuleFormatter;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The tutorial's first host, built by the agent alone, against the tutorial's own text. */
class TutorialLayoutTest {
    static final long VM1 = 0xfa163e000001L;
    static final long VM2 = 0xfa163e1f1955L;

    /**
     * The tutorial's three hosts on one GRE network with tunnel ID 0x1388: VM1 on 192.168.1.100, VM2 on .101, none on
     * .102. Host .100 lists .102 first: the tutorial's {@code gre-1} goes to .102 and {@code gre-2} to .101, which is
     * the order that host learned of its peers.
     */
    static Fabric.Host[] tutorialHosts(Fabric fabric, NetworkType type) {
        Fabric.Host one = fabric.host("192.168.1.100");
        Fabric.Host two = fabric.host("192.168.1.101");
        Fabric.Host three = fabric.host("192.168.1.102");
        Network net = new Network("net1", type, 0x1388, null);
        one.apply(HostState.builder(one.address)
                .network(net)
                .vm(new Vm("vm1", "net1", VM1, ip("10.0.0.1")))
                .peer(new Peer(three.address))
                .peer(new Peer(two.address))
                .build());
        two.apply(HostState.builder(two.address)
                .network(net)
                .vm(new Vm("vm2", "net1", VM2, ip("10.0.0.2")))
                .peer(new Peer(one.address))
                .peer(new Peer(three.address))
                .build());
        three.apply(HostState.builder(three.address)
                .network(net)
                .peer(new Peer(one.address))
                .peer(new Peer(two.address))
                .build());
        return new Fabric.Host[] {one, two, three};
    }

    static byte[] arpRequest(long from, int fromIp, int toIp) {
        return new FrameBuilder()
                .ethernet(from, MacAddress.BROADCAST)
                .arp(Arp.OP_REQUEST, from, fromIp, 0, toIp)
                .build();
    }

    static byte[] arpReply(long from, int fromIp, long to, int toIp) {
        return new FrameBuilder()
                .ethernet(from, to)
                .arp(Arp.OP_REPLY, from, fromIp, to, toIp)
                .build();
    }

    static List<String> addFlowLines(List<Rule> rules) {
        return rules.stream().map(RuleFormatter::addFlowLine).toList();
    }

    @Test
    void brTunHoldsTheTutorialsFourteenFlowsOnceVm2sReplyIsLearned() {
        Fabric fabric = new Fabric();
        Fabric.Host one = tutorialHosts(fabric, NetworkType.GRE)[0];
        Fabric.Host two = fabric.hosts.get(ip("192.168.1.101"));
        one.vmSends("vm1", arpRequest(VM1, 0x0a000001, 0x0a000002));
        two.vmSends("vm2", arpReply(VM2, 0x0a000002, VM1, 0x0a000001));

        List<String> tutorial = Tutorial.DUMP_FLOWS.stream()
                .map(line ->
                        RuleFormatter.addFlowLine(FlowParser.parseDumped(line).flow()))
                .sorted()
                .toList();
        List<String> ours = addFlowLines(one.agent.tunnelBridge().tables().rules()).stream()
                .sorted()
                .toList();
        assertThat(ours).hasSize(14).isEqualTo(tutorial);
        assertThat(one.agent.tunnelBridge().tables().rules()).allMatch(rule -> rule.cookie() == 0);
    }

    @Test
    void theAgentsFlowsInDumpOrder() {
        Fabric fabric = new Fabric();
        Fabric.Host one = tutorialHosts(fabric, NetworkType.GRE)[0];
        assertThat(addFlowLines(one.agent.tunnelBridge().tables().rules()))
                .containsExactly(
                        "priority=1,in_port=1 actions=resubmit(,1)",
                        "priority=1,in_port=2 actions=resubmit(,2)",
                        "priority=1,in_port=3 actions=resubmit(,2)",
                        "priority=0 actions=drop",
                        "table=1, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
                        "table=1, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)",
                        "table=2, priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
                        "table=2, priority=0 actions=drop",
                        "table=3, priority=0 actions=drop",
                        "table=10, priority=1 actions=learn(table=20,hard_timeout=300,priority=1,"
                                + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
                                + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1",
                        "table=20, priority=0 actions=resubmit(,21)",
                        "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
                        "table=21, priority=0 actions=drop");
    }

    @Test
    void showOfBrTunIsTheTutorialsWithPortsInNameOrder() {
        Fabric fabric = new Fabric();
        Fabric.Host one = fabric.host("192.168.1.100");
        TunnelAgent agent = new TunnelAgent(one.datapath, UUID.fromString("911ff1ca-590a-4efd-a066-568fbac8c6fb"), 0);
        agent.apply(HostState.builder(one.address)
                .network(Network.gre("net1", 0x1388))
                .vm(new Vm("vm1", "net1", VM1, ip("10.0.0.1")))
                .peer(new Peer(ip("192.168.1.102")))
                .peer(new Peer(ip("192.168.1.101")))
                .build());
        String show = agent.show();

        assertThat(show).startsWith("911ff1ca-590a-4efd-a066-568fbac8c6fb\n");
        // ovs-vsctl prints ports in hash order; jvswitch sorts them by name, so the tutorial's are sorted to compare.
        assertThat(Tutorial.bridgeSection(show, "br-tun"))
                .isEqualTo(Tutorial.sortPorts(Tutorial.bridgeSection(Tutorial.SHOW, "br-tun")));
        assertThat(Tutorial.bridgeSection(show, "br-int")).isEqualTo("""
                            Bridge br-int
                                Port br-int
                                    Interface br-int
                                        type: internal
                                Port patch-tun
                                    Interface patch-tun
                                        type: patch
                                        options: {peer=patch-int}
                                Port "vm1"
                                    tag: 1
                                    Interface "vm1"
                        """);
    }

    @Test
    void theFirstNetworkGetsLocalVlan1AndItsVmIsAnAccessPortOfIt() {
        Fabric fabric = new Fabric();
        Fabric.Host one = tutorialHosts(fabric, NetworkType.GRE)[0];
        assertThat(one.agent.localVlan("net1")).isEqualTo(1);
        assertThat(one.agent.vmPort("vm1").tag()).isEqualTo(1);
        assertThat(one.agent.vmPort("vm1").ofport()).isEqualTo(2);
        assertThat(one.agent.integrationBridge().port("patch-tun").ofport()).isEqualTo(1);
        assertThat(one.agent.tunnelBridge().port("patch-int").ofport()).isEqualTo(1);
        assertThat(one.agent.tunnelPorts().keySet()).containsExactly("gre-1", "gre-2");
        assertThat(one.agent.tunnelPorts().get("gre-1").ofport()).isEqualTo(2);
        assertThat(one.agent.tunnelPorts().get("gre-2").ofport()).isEqualTo(3);
        // br-int stays a learning switch; br-tun switches by its flows alone.
        assertThat(addFlowLines(one.agent.integrationBridge().tables().rules()))
                .containsExactly("priority=0 actions=NORMAL");
        assertThat(addFlowLines(one.agent.tunnelBridge().tables().rules())).doesNotContain("priority=0 actions=NORMAL");
    }

    @Test
    void vxlanNetworksMapTheirVniInTable3() {
        Fabric fabric = new Fabric();
        Fabric.Host one = tutorialHosts(fabric, NetworkType.VXLAN)[0];
        assertThat(one.agent.tunnelPorts().keySet()).containsExactly("vxlan-1", "vxlan-2");
        assertThat(addFlowLines(one.agent.tunnelBridge().tables().rules()))
                .contains(
                        "priority=1,in_port=2 actions=resubmit(,3)",
                        "priority=1,in_port=3 actions=resubmit(,3)",
                        "table=2, priority=0 actions=drop",
                        "table=3, priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
                        "table=3, priority=0 actions=drop",
                        "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2");
    }

    @Test
    void aMulticastGroupNetworkFloodsToItsGroupPortAndLearnsTheVtep() {
        Fabric fabric = new Fabric();
        Fabric.Host one = fabric.host("192.168.1.100");
        one.apply(HostState.builder(one.address)
                .network(Network.gre("red", 0x1388))
                .network(Network.vxlan("blue", 5000, ip("239.1.1.1")))
                .peer(new Peer(ip("192.168.1.101")))
                .build());
        assertThat(one.agent.tunnelPorts().keySet()).containsExactly("gre-1", "vxlan-1");
        assertThat(one.agent.tunnelPorts().get("vxlan-1").options())
                .containsEntry("remote_ip", "239.1.1.1")
                .containsEntry("local_ip", "192.168.1.100");
        assertThat(one.groups).containsExactly(ip("239.1.1.1"));
        assertThat(addFlowLines(one.agent.tunnelBridge().tables().rules()))
                .contains(
                        "priority=1,in_port=3 actions=resubmit(,3)",
                        "table=3, priority=1,tun_id=0x1388 actions=mod_vlan_vid:2,resubmit(,10)",
                        "table=10, priority=2,dl_vlan=2 actions=learn(table=20,hard_timeout=300,priority=1,"
                                + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
                                + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],"
                                + "load:NXM_NX_TUN_IPV4_SRC[]->NXM_NX_TUN_IPV4_DST[],output:NXM_OF_IN_PORT[]),output:1",
                        "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:2",
                        "table=21, priority=1,dl_vlan=2 actions=strip_vlan,set_tunnel:0x1388,output:3");
    }
}
