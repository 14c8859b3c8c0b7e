package io.jvswitch.agent;

import static io.jvswitch.agent.EndToEndTest.learned;
import static io.jvswitch.agent.Fabric.ip;
import static io.jvswitch.agent.TutorialLayoutTest.VM1;
import static io.jvswitch.agent.TutorialLayoutTest.VM2;
import static io.jvswitch.agent.TutorialLayoutTest.addFlowLines;
import static io.jvswitch.agent.TutorialLayoutTest.arpReply;
import static io.jvswitch.agent.TutorialLayoutTest.arpRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.RuleFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Applying is reconciling: only what differs changes, and what the agent did not install is left alone. */
class ReconcileTest {
    static final long VM3 = 0xfa163e000003L;

    private static HostState hostOne(Peer... peers) {
        HostState.Builder builder = HostState.builder(ip("192.168.1.100"))
                .network(Network.gre("net1", 0x1388))
                .vm(new Vm("vm1", "net1", VM1, ip("10.0.0.1")));
        for (Peer peer : peers) {
            builder.peer(peer);
        }
        return builder.build();
    }

    /** The tutorial's three hosts, VM3 on .102; VM1's ARP answered by VM2, VM3's broadcast seen: two learned flows. */
    private static Fabric.Host[] withTraffic(Fabric fabric) {
        Fabric.Host[] hosts = TutorialLayoutTest.tutorialHosts(fabric, NetworkType.GRE);
        hosts[2].apply(HostState.builder(hosts[2].address)
                .network(Network.gre("net1", 0x1388))
                .vm(new Vm("vm3", "net1", VM3, ip("10.0.0.3")))
                .peer(new Peer(hosts[0].address))
                .peer(new Peer(hosts[1].address))
                .build());
        hosts[0].vmSends("vm1", arpRequest(VM1, 0x0a000001, 0x0a000002));
        hosts[1].vmSends("vm2", arpReply(VM2, 0x0a000002, VM1, 0x0a000001));
        hosts[2].vmSends("vm3", arpRequest(VM3, 0x0a000003, 0x0a000009));
        for (Fabric.Host host : hosts) {
            host.datapath.runTimers(); // the flows' counters catch up with the cached megaflows
        }
        return hosts;
    }

    private record Snapshot(Rule rule, long packets, long bytes, long created, long modified) {}

    private static List<Snapshot> snapshot(Fabric.Host host) {
        List<Snapshot> snapshots = new ArrayList<>();
        for (Rule rule : host.agent.tunnelBridge().tables().rules()) {
            snapshots.add(
                    new Snapshot(rule, rule.packets(), rule.bytes(), rule.createdMillis(), rule.modifiedMillis()));
        }
        return snapshots;
    }

    private static Rule rule(Fabric.Host host, String addFlowLine) {
        return host.agent.tunnelBridge().tables().rules().stream()
                .filter(rule -> RuleFormatter.addFlowLine(rule).equals(addFlowLine))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no flow " + addFlowLine));
    }

    @Test
    void applyingTheSameStateAgainTouchesNothing() {
        Fabric fabric = new Fabric();
        Fabric.Host one = withTraffic(fabric)[0];
        List<Snapshot> before = snapshot(one);
        assertThat(before).anyMatch(s -> s.packets() > 0);
        Map<String, Port> ports = Map.copyOf(one.agent.tunnelPorts());
        Port vmPort = one.agent.vmPort("vm1");
        AtomicInteger changes = new AtomicInteger();
        one.agent.tunnelBridge().tables().addListener((table, match) -> changes.incrementAndGet());
        one.agent.integrationBridge().tables().addListener((table, match) -> changes.incrementAndGet());
        fabric.clock.millis += 10_000;

        // An equal state built anew, not the same object.
        HostState again = HostState.builder(one.address)
                .network(Network.gre("net1", 0x1388))
                .vm(new Vm("vm1", "net1", VM1, ip("10.0.0.1")))
                .peer(new Peer(ip("192.168.1.102")))
                .peer(new Peer(ip("192.168.1.101")))
                .build();
        assertThat(again).isEqualTo(one.agent.state());
        Changes result = one.agent.apply(again);

        assertThat(result.isEmpty()).as(result.toString()).isTrue();
        assertThat(changes).as("no FlowChangeListener call").hasValue(0);
        assertThat(snapshot(one)).isEqualTo(before);
        assertThat(one.agent.tunnelPorts()).isEqualTo(ports);
        assertThat(one.agent.vmPort("vm1")).isSameAs(vmPort);
    }

    @Test
    void aPeerThatLeavesTakesItsTunnelAndEveryFlowMentioningItLearnedOnesIncluded() {
        Fabric fabric = new Fabric();
        Fabric.Host one = withTraffic(fabric)[0];
        assertThat(learned(one))
                .containsExactlyInAnyOrder(
                        "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3",
                        "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:00:00:03"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:2");
        String flood = "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2";
        Rule floodRule = rule(one, flood);
        long floodPackets = floodRule.packets();
        assertThat(floodPackets).isPositive();
        Rule keptLearned = rule(
                one,
                "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:00:00:03"
                        + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:2");
        Port gre1 = one.agent.tunnelPorts().get("gre-1");

        Changes result = one.agent.apply(hostOne(new Peer(ip("192.168.1.102"))));

        assertThat(result)
                .isEqualTo(new Changes(List.of(), List.of("gre-2"), 0, 1, 1, 1))
                .as("the flood flow changed in place, in_port=3 deleted, the learned flow to gre-2 deleted");
        assertThat(one.agent.tunnelPorts()).containsOnlyKeys("gre-1");
        assertThat(one.agent.tunnelPorts().get("gre-1")).isSameAs(gre1);
        assertThat(one.agent.tunnelBridge().port(3)).isNull();
        assertThat(one.agent.show()).doesNotContain("gre-2").doesNotContain("192.168.1.101");
        List<String> flows = addFlowLines(one.agent.tunnelBridge().tables().rules());
        assertThat(flows).noneMatch(line -> line.contains("in_port=3") || line.contains("output:3"));
        Rule newFlood = rule(one, "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:2");
        assertThat(newFlood).as("modified in place").isSameAs(floodRule);
        assertThat(newFlood.packets()).as("counters kept").isEqualTo(floodPackets);
        assertThat(rule(one, RuleFormatter.addFlowLine(keptLearned))).isSameAs(keptLearned);
        assertThat(learned(one)).hasSize(1);
    }

    @Test
    void aNetworkThatLeavesTakesItsFlowsItsVlanItsLearnedFlowsAndTunnelsNoLongerUsed() {
        Fabric fabric = new Fabric();
        Fabric.Host one = fabric.host("192.168.1.100");
        Fabric.Host two = fabric.host("192.168.1.101");
        Network red = Network.gre("red", 0x1388);
        Network blue = Network.vxlan("blue", 0x2000);
        for (Fabric.Host host : List.of(one, two)) {
            String suffix = host == one ? "1" : "2";
            host.apply(HostState.builder(host.address)
                    .network(red)
                    .network(blue)
                    .vm(new Vm("red" + suffix, "red", host == one ? VM1 : VM2, null))
                    .vm(new Vm("blue" + suffix, "blue", host == one ? VM1 : VM2, null))
                    .peer(new Peer(host == one ? two.address : one.address))
                    .build());
        }
        for (String tenant : List.of("red", "blue")) {
            one.vmSends(tenant + "1", arpRequest(VM1, 0x0a000001, 0x0a000002));
            two.vmSends(tenant + "2", arpReply(VM2, 0x0a000002, VM1, 0x0a000001));
        }
        assertThat(one.agent.tunnelPorts()).containsOnlyKeys("gre-1", "vxlan-1");
        assertThat(learned(one)).hasSize(2);
        Rule redLearned = rule(
                one,
                learned(one).stream()
                        .filter(l -> l.contains("0x1388"))
                        .findFirst()
                        .orElseThrow());

        Changes result = one.agent.apply(HostState.builder(one.address)
                .network(red)
                .vm(new Vm("red1", "red", VM1, null))
                .peer(new Peer(two.address))
                .build());

        assertThat(result.portsRemoved()).containsExactlyInAnyOrder("blue1", "vxlan-1");
        assertThat(result.learnedFlowsDeleted()).isEqualTo(1);
        assertThat(addFlowLines(one.agent.tunnelBridge().tables().rules()))
                .containsExactly(
                        "priority=1,in_port=1 actions=resubmit(,1)",
                        "priority=1,in_port=2 actions=resubmit(,2)",
                        "priority=0 actions=drop",
                        "table=1, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
                        "table=1, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)",
                        "table=2, priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
                        "table=2, priority=0 actions=drop",
                        "table=3, priority=0 actions=drop",
                        "table=10, priority=1 actions=learn(table=20,hard_timeout=300,priority=1,"
                                + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
                                + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1",
                        "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:2",
                        "table=20, priority=0 actions=resubmit(,21)",
                        "table=21, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:2",
                        "table=21, priority=0 actions=drop");
        assertThat(rule(one, RuleFormatter.addFlowLine(redLearned))).isSameAs(redLearned);
        assertThatThrownBy(() -> one.agent.localVlan("blue")).hasMessage("this host has no network blue");

        one.agent.apply(HostState.builder(one.address)
                .network(red)
                .network(Network.vxlan("green", 0x3000))
                .peer(new Peer(two.address))
                .build());
        assertThat(one.agent.localVlan("green")).as("blue's VLAN, freed").isEqualTo(2);
        assertThat(one.agent.vmPort("red1")).isNull();
    }

    @Test
    void aVmThatLeavesTakesItsPortAndNothingElse() {
        Fabric fabric = new Fabric();
        Fabric.Host one = withTraffic(fabric)[0];
        List<Snapshot> flows = snapshot(one);
        Changes result = one.agent.apply(HostState.builder(one.address)
                .network(Network.gre("net1", 0x1388))
                .peer(new Peer(ip("192.168.1.102")))
                .peer(new Peer(ip("192.168.1.101")))
                .build());
        assertThat(result).isEqualTo(new Changes(List.of(), List.of("vm1"), 0, 0, 0, 0));
        assertThat(one.agent.vmPort("vm1")).isNull();
        assertThat(one.agent.integrationBridge().port("vm1")).isNull();
        assertThat(one.datapath.findPort("vm1")).isNull();
        assertThat(one.agent.show()).doesNotContain("vm1");
        assertThat(snapshot(one)).isEqualTo(flows);
    }

    @Test
    void localVlansStayWithTheirNetworksAndFreedOnesAreReused() {
        Datapath datapath = new Datapath(new Fabric.Clock(), null);
        TunnelAgent agent = new TunnelAgent(datapath);
        agent.apply(state("a", "b", "c"));
        assertThat(List.of(agent.localVlan("a"), agent.localVlan("b"), agent.localVlan("c")))
                .containsExactly(1, 2, 3);
        agent.apply(state("c", "a"));
        assertThat(List.of(agent.localVlan("c"), agent.localVlan("a"))).containsExactly(3, 1);
        agent.apply(state("c", "a", "d", "e"));
        assertThat(List.of(agent.localVlan("d"), agent.localVlan("e"))).containsExactly(2, 4);
    }

    private static HostState state(String... networks) {
        HostState.Builder builder = HostState.builder(ip("192.168.1.100"));
        int key = 100;
        for (String network : networks) {
            builder.network(Network.gre(network, key + network.charAt(0)));
        }
        return builder.build();
    }

    @Test
    void the4095thNetworkIsRefusedByNameAndNothingChanges() {
        Datapath datapath = new Datapath(new Fabric.Clock(), null);
        TunnelAgent agent = new TunnelAgent(datapath);
        HostState.Builder most = HostState.builder(ip("192.168.1.100"));
        HostState.Builder tooMany = HostState.builder(ip("192.168.1.100"));
        for (int i = 1; i <= 4095; i++) {
            Network network = Network.vxlan("net-" + i, i);
            if (i <= 4094) {
                most.network(network);
            }
            tooMany.network(network);
        }
        agent.apply(most.build());
        assertThat(agent.localVlan("net-4094")).isEqualTo(4094);
        int flows = agent.tunnelBridge().tables().size();
        AtomicInteger changes = new AtomicInteger();
        agent.tunnelBridge().tables().addListener((table, match) -> changes.incrementAndGet());

        assertThatThrownBy(() -> agent.apply(tooMany.build()))
                .isInstanceOf(HostStateException.class)
                .hasMessage("network net-4095 gets no local VLAN: this host's other 4094 networks hold every VLAN"
                        + " from 1 to 4094 (one per network on br-int)");
        assertThat(changes).hasValue(0);
        assertThat(agent.tunnelBridge().tables().size()).isEqualTo(flows);
        assertThatThrownBy(() -> agent.localVlan("net-4095")).isInstanceOf(IllegalArgumentException.class);

        Datapath fresh = new Datapath(new Fabric.Clock(), null);
        assertThatThrownBy(() -> new TunnelAgent(fresh).apply(tooMany.build()))
                .hasMessageStartingWith("network net-4095 gets no local VLAN");
        assertThat(fresh.bridges()).as("refused before anything was made").isEmpty();
    }

    @Test
    void tunnelsKeepTheirNamesAndANewPeerTakesTheLowestFreeNumber() {
        Datapath datapath = new Datapath(new Fabric.Clock(), null);
        TunnelAgent agent = new TunnelAgent(datapath);
        agent.apply(hostOne(new Peer(ip("192.168.1.102")), new Peer(ip("192.168.1.101"))));
        assertThat(agent.tunnelPorts().get("gre-1").options()).containsEntry("remote_ip", "192.168.1.102");
        assertThat(agent.tunnelPorts().get("gre-2").options()).containsEntry("remote_ip", "192.168.1.101");
        agent.apply(hostOne(new Peer(ip("192.168.1.101"))));
        assertThat(agent.tunnelPorts()).containsOnlyKeys("gre-2");
        agent.apply(hostOne(new Peer(ip("192.168.1.101")), new Peer(ip("192.168.1.103"))));
        assertThat(agent.tunnelPorts().get("gre-1").options()).containsEntry("remote_ip", "192.168.1.103");
        assertThat(agent.tunnelPorts().get("gre-1").ofport())
                .as("the lowest free port number")
                .isEqualTo(2);
        assertThat(agent.tunnelPorts().get("gre-2").options()).containsEntry("remote_ip", "192.168.1.101");
    }

    @Test
    void aRestartedAgentTakesOverWithoutChangingAnything() {
        Fabric fabric = new Fabric();
        Fabric.Host one = withTraffic(fabric)[0];
        List<Snapshot> flows = snapshot(one);
        TunnelAgent restarted = new TunnelAgent(one.datapath, UUID.randomUUID(), 0);
        Changes result = restarted.apply(one.agent.state());
        assertThat(result.isEmpty()).as(result.toString()).isTrue();
        assertThat(snapshot(one)).isEqualTo(flows);
        assertThat(restarted.localVlan("net1")).isEqualTo(1);
        assertThat(restarted.vmPort("vm1")).isSameAs(one.agent.vmPort("vm1"));
        assertThat(restarted.tunnelPorts()).isEqualTo(one.agent.tunnelPorts());
    }
}
