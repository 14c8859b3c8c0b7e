package io.jvswitch.agent;

import static io.jvswitch.agent.Fabric.ip;
import static io.jvswitch.agent.TutorialLayoutTest.VM1;
import static io.jvswitch.agent.TutorialLayoutTest.VM2;
import static io.jvswitch.agent.TutorialLayoutTest.arpReply;
import static io.jvswitch.agent.TutorialLayoutTest.arpRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.RuleFormatter;
import io.jvswitch.wire.build.FrameBuilder;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's walk-through on datapaths joined by an in-memory underlay, every host configured by {@link
 * TunnelAgent#apply} alone: the ARP request floods into every tunnel, the reply is learned in table 20, and unicast
 * then takes one tunnel.
 */
class EndToEndTest {
    static byte[] ping(long from, int fromIp, long to, int toIp) {
        return new FrameBuilder()
                .ethernet(from, to)
                .ipv4(fromIp, toIp)
                .icmpEcho(true, 1, 1)
                .build();
    }

    static List<InetAddress> destinations(List<byte[]> frames) {
        return frames.stream().map(Fabric::outerDestination).toList();
    }

    static List<String> learned(Fabric.Host host) {
        return host.agent.tunnelBridge().tables().rules().stream()
                .filter(rule -> rule.table() == 20 && rule.hardTimeout() != Rule.PERMANENT)
                .map(RuleFormatter::addFlowLine)
                .toList();
    }

    private static String hex(byte[] frame, int from, int to) {
        return HexFormat.of().formatHex(frame, from, to);
    }

    private void walkThrough(NetworkType type) {
        Fabric fabric = new Fabric();
        Fabric.Host[] hosts = TutorialLayoutTest.tutorialHosts(fabric, type);
        Fabric.Host one = hosts[0];
        Fabric.Host two = hosts[1];
        Fabric.Host three = hosts[2];

        byte[] request = arpRequest(VM1, 0x0a000001, 0x0a000002);
        one.vmSends("vm1", request);
        assertThat(destinations(one.sent))
                .as("one copy into each tunnel")
                .containsExactlyInAnyOrder(ip("192.168.1.101"), ip("192.168.1.102"));
        for (byte[] frame : one.sent) {
            if (type == NetworkType.GRE) {
                assertThat(hex(frame, 23, 24)).as("IP protocol GRE").isEqualTo("2f");
                assertThat(hex(frame, 34, 42))
                        .as("GRE with key 0x1388, Ethernet inside")
                        .isEqualTo("2000655800001388");
            } else {
                assertThat(hex(frame, 23, 24)).as("IP protocol UDP").isEqualTo("11");
                assertThat(hex(frame, 36, 38)).as("UDP port 4789").isEqualTo("12b5");
                assertThat(hex(frame, 42, 50)).as("VXLAN VNI 0x1388").isEqualTo("0800000000138800");
            }
        }
        assertThat(two.received("vm2")).containsExactly(request);
        assertThat(three.received).isEmpty();

        byte[] reply = arpReply(VM2, 0x0a000002, VM1, 0x0a000001);
        two.vmSends("vm2", reply);
        assertThat(destinations(two.sent))
                .as("host 2 learned VM1 from the request")
                .containsExactly(one.address);
        assertThat(one.received("vm1")).containsExactly(reply);
        String tunnel = type.ovsName() + "-2";
        assertThat(one.agent.tunnelPorts().get(tunnel).ofport()).isEqualTo(3);
        assertThat(learned(one))
                .containsExactly(
                        "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3");

        byte[] echo = ping(VM1, 0x0a000001, VM2, 0x0a000002);
        one.vmSends("vm1", echo);
        assertThat(destinations(one.sent.subList(2, one.sent.size())))
                .as("unicast takes the one tunnel VM2 is behind")
                .containsExactly(ip("192.168.1.101"));
        assertThat(two.received("vm2")).containsExactly(request, echo);
        for (Fabric.Host host : hosts) {
            assertThat(host.datapath.dropCounters()).isEmpty();
        }
    }

    @Test
    void theTutorialOverGre() {
        walkThrough(NetworkType.GRE);
    }

    @Test
    void theTutorialOverVxlan() {
        walkThrough(NetworkType.VXLAN);
    }

    @Test
    void vxlanFloodsToItsMulticastGroupAndThenUnicastsToTheLearnedVtep() {
        Fabric fabric = new Fabric();
        InetAddress group = ip("239.1.1.1");
        Network net = Network.vxlan("net1", 0x1388, group);
        Fabric.Host one = fabric.host("192.168.1.100");
        Fabric.Host two = fabric.host("192.168.1.101");
        Fabric.Host three = fabric.host("192.168.1.102");
        // RFC 7348 flood and learn: no peer lists, only the group.
        one.apply(HostState.builder(one.address)
                .network(net)
                .vm(new Vm("vm1", "net1", VM1, ip("10.0.0.1")))
                .build());
        two.apply(HostState.builder(two.address)
                .network(net)
                .vm(new Vm("vm2", "net1", VM2, ip("10.0.0.2")))
                .build());
        three.apply(HostState.builder(three.address).network(net).build());
        for (Fabric.Host host : List.of(one, two, three)) {
            assertThat(host.groups).containsExactly(group);
            assertThat(host.agent.tunnelPorts().keySet()).containsExactly("vxlan-1");
        }

        byte[] request = arpRequest(VM1, 0x0a000001, 0x0a000002);
        one.vmSends("vm1", request);
        assertThat(destinations(one.sent)).as("one copy, to the group").containsExactly(group);
        assertThat(two.received("vm2")).containsExactly(request);
        assertThat(learned(three))
                .as("every VTEP of the group learns where VM1 is")
                .containsExactly(
                        "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:00:00:01"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],"
                                + "load:0xc0a80164->NXM_NX_TUN_IPV4_DST[],output:2");

        byte[] reply = arpReply(VM2, 0x0a000002, VM1, 0x0a000001);
        two.vmSends("vm2", reply);
        assertThat(destinations(two.sent))
                .as("the reply goes to VM1's VTEP alone")
                .containsExactly(one.address);
        assertThat(one.received("vm1")).containsExactly(reply);
        assertThat(learned(one))
                .containsExactly(
                        "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],"
                                + "load:0xc0a80165->NXM_NX_TUN_IPV4_DST[],output:2");

        byte[] echo = ping(VM1, 0x0a000001, VM2, 0x0a000002);
        one.vmSends("vm1", echo);
        assertThat(destinations(one.sent)).containsExactly(group, two.address);
        assertThat(two.received("vm2")).containsExactly(request, echo);
        for (Fabric.Host host : List.of(one, two, three)) {
            assertThat(host.datapath.dropCounters()).isEmpty();
        }
    }

    @Test
    void twoTenantsWithTheSameAddressesNeverSeeEachOthersFrames() {
        Fabric fabric = new Fabric();
        Fabric.Host one = fabric.host("192.168.1.100");
        Fabric.Host two = fabric.host("192.168.1.101");
        Network red = Network.gre("red", 0x1388);
        Network blue = Network.gre("blue", 0x1389);
        // The same MACs and IPs in both tenants: only the segmentation ID and the local VLAN tell them apart.
        one.apply(HostState.builder(one.address)
                .network(red)
                .network(blue)
                .vm(new Vm("red1", "red", VM1, ip("10.0.0.1")))
                .vm(new Vm("blue1", "blue", VM1, ip("10.0.0.1")))
                .peer(new Peer(two.address))
                .build());
        two.apply(HostState.builder(two.address)
                .network(blue) // another order: blue gets VLAN 1 here, red VLAN 2
                .network(red)
                .vm(new Vm("red2", "red", VM2, ip("10.0.0.2")))
                .vm(new Vm("blue2", "blue", VM2, ip("10.0.0.2")))
                .peer(new Peer(one.address))
                .build());
        assertThat(one.agent.localVlan("red")).isEqualTo(two.agent.localVlan("blue"));

        byte[] request = arpRequest(VM1, 0x0a000001, 0x0a000002);
        byte[] reply = arpReply(VM2, 0x0a000002, VM1, 0x0a000001);
        byte[] echo = ping(VM1, 0x0a000001, VM2, 0x0a000002);
        one.vmSends("red1", request);
        two.vmSends("red2", reply);
        one.vmSends("red1", echo);
        assertThat(two.received("red2")).containsExactly(request, echo);
        assertThat(one.received("red1")).containsExactly(reply);
        assertThat(two.received("blue2")).isEmpty();
        assertThat(one.received("blue1")).isEmpty();

        one.vmSends("blue1", request);
        two.vmSends("blue2", reply);
        one.vmSends("blue1", echo);
        assertThat(two.received("blue2")).containsExactly(request, echo);
        assertThat(one.received("blue1")).containsExactly(reply);
        assertThat(two.received("red2")).containsExactly(request, echo);
        assertThat(one.received("red1")).containsExactly(reply);
        assertThat(learned(one))
                .containsExactlyInAnyOrder(
                        "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:2",
                        "table=20, hard_timeout=300, priority=1,vlan_tci=0x0002/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1389->NXM_NX_TUN_ID[],output:2");
    }

    @Test
    void overAnIpv6UnderlayWithNeutronsTunnelNames() {
        Fabric fabric = new Fabric();
        Fabric.Host one = fabric.host("2001:db8::1");
        Fabric.Host two = fabric.host("2001:db8::2");
        for (Fabric.Host host : List.of(one, two)) {
            host.apply(HostState.builder(host.address)
                    .naming(TunnelNaming.NEUTRON)
                    .network(Network.vxlan("net1", 0x1388))
                    .vm(new Vm(host == one ? "vm1" : "vm2", "net1", host == one ? VM1 : VM2, null))
                    .peer(new Peer(host == one ? two.address : one.address))
                    .build());
        }
        assertThat(one.agent.tunnelPorts()).containsOnlyKeys("vxlan-pehtjzksi");
        assertThat(one.agent.tunnelPorts().get("vxlan-pehtjzksi").options())
                .containsEntry("local_ip", "2001:db8::1")
                .containsEntry("remote_ip", "2001:db8::2");
        assertThat(one.agent.mtu("net1")).isEqualTo(1430);

        byte[] request = arpRequest(VM1, 0x0a000001, 0x0a000002);
        one.vmSends("vm1", request);
        assertThat(destinations(one.sent)).containsExactly(two.address);
        assertThat(hex(one.sent.getFirst(), 12, 14)).as("an IPv6 underlay").isEqualTo("86dd");
        assertThat(two.received("vm2")).containsExactly(request);
        byte[] reply = arpReply(VM2, 0x0a000002, VM1, 0x0a000001);
        two.vmSends("vm2", reply);
        assertThat(one.received("vm1")).containsExactly(reply);
        assertThat(learned(one))
                .containsExactly(
                        "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                                + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:2");
        assertThat(one.datapath.dropCounters()).isEmpty();
        assertThat(two.datapath.dropCounters()).isEmpty();
    }

    @Test
    void framesBiggerThanTheNetworkMtuAllowsAreDroppedAtTheTunnel() {
        Fabric fabric = new Fabric();
        Fabric.Host one = fabric.host("192.168.1.100");
        Fabric.Host two = fabric.host("192.168.1.101");
        for (Fabric.Host host : List.of(one, two)) {
            Fabric.Host other = host == one ? two : one;
            host.apply(HostState.builder(host.address)
                    .network(Network.gre("net1", 0x1388))
                    .vm(new Vm("vm-" + host.address.getHostAddress(), "net1", host == one ? VM1 : VM2, null))
                    .peer(new Peer(other.address))
                    .build());
        }
        int mtu = one.agent.vmMtu("vm-192.168.1.100");
        assertThat(mtu).isEqualTo(1458);
        byte[] fits = udp(mtu);
        byte[] tooBig = udp(mtu + 1);
        one.vmSends("vm-192.168.1.100", fits);
        assertThat(two.received("vm-192.168.1.101")).containsExactly(fits);
        one.vmSends("vm-192.168.1.100", tooBig);
        assertThat(two.received("vm-192.168.1.101")).containsExactly(fits);
        assertThat(one.datapath.dropCounters()).containsEntry("tunnel_mtu_exceeded", 1L);
    }

    /** A broadcast UDP datagram whose IPv4 packet is {@code ipLength} bytes. */
    private static byte[] udp(int ipLength) {
        return new FrameBuilder()
                .ethernet(VM1, 0xffffffffffffL)
                .ipv4(0x0a000001, 0x0affffff)
                .udp(5000, 5000)
                .payload(new byte[ipLength - 28])
                .build();
    }
}
