package io.jvswitch.agent;

import static io.jvswitch.agent.Fabric.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.PortType;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a desired state may be, the MTUs it gives, and how tunnels are named. */
class HostStateTest {
    @Test
    void segmentationIdsAreValidatedByType() {
        assertThat(Network.vxlan("v", 0xffffff).segmentationId()).isEqualTo(0xffffff);
        assertThat(Network.gre("g", 0xffffffffL).segmentationId()).isEqualTo(0xffffffffL);
        assertThatThrownBy(() -> Network.vxlan("v", 0x1000000))
                .isInstanceOf(HostStateException.class)
                .hasMessage("network v: segmentation ID 16777216 (0x1000000) is out of range: a VXLAN VNI is 24 bits"
                        + " (1 to 16777215)");
        assertThatThrownBy(() -> Network.gre("g", 0x100000000L))
                .hasMessage("network g: segmentation ID 4294967296 (0x100000000) is out of range: a GRE key is 32 bits"
                        + " (1 to 4294967295)");
        assertThatThrownBy(() -> Network.gre("g", 0)).hasMessageContaining("out of range");
    }

    @Test
    void onlyVxlanNetworksHaveAnIpv4MulticastGroup() {
        assertThatThrownBy(() -> new Network("g", NetworkType.GRE, 1, ip("239.1.1.1")))
                .hasMessage("network g: only vxlan networks flood to a multicast group");
        assertThatThrownBy(() -> Network.vxlan("v", 1, ip("10.0.0.1")))
                .hasMessage("network v: 10.0.0.1 is not a multicast group");
        assertThatThrownBy(() -> Network.vxlan("v", 1, ip("ff05::1")))
                .hasMessageStartingWith("network v: group ff05::1 is IPv6");
        assertThatThrownBy(() -> HostState.builder(ip("192.168.1.100"))
                        .layout(Layout.NEUTRON)
                        .network(Network.vxlan("v", 1, ip("239.1.1.1")))
                        .build())
                .hasMessageContaining("the neutron layout floods by l2population instead");
    }

    @Test
    void inconsistentStatesAreRefusedWithWhatIsWrong() {
        HostState.Builder base = HostState.builder(ip("192.168.1.100")).network(Network.gre("net1", 5));
        assertThatThrownBy(() -> HostState.builder(ip("192.168.1.100"))
                        .tunnelTypes(Set.of(NetworkType.GRE))
                        .network(Network.vxlan("v", 5))
                        .build())
                .hasMessage("network v is vxlan but this host offers only [gre]");
        assertThatThrownBy(() -> base.network(Network.gre("net2", 5)).build())
                .hasMessage("networks net1 and net2 both use gre 0x5: a segmentation ID marks one network");
        assertThatThrownBy(() -> HostState.builder(ip("192.168.1.100"))
                        .vm(new Vm("vm1", "nowhere", 1, null))
                        .build())
                .hasMessage("VM port vm1 is on network nowhere, which this host does not have");
        assertThatThrownBy(() -> HostState.builder(ip("192.168.1.100"))
                        .peer(new Peer(ip("2001:db8::1")))
                        .build())
                .hasMessage("peer 2001:db8::1 and local_ip 192.168.1.100 are of different IP versions:"
                        + " no tunnel between them");
        assertThatThrownBy(() -> HostState.builder(ip("192.168.1.100"))
                        .peer(new Peer(ip("192.168.1.101")))
                        .peer(new Peer(ip("192.168.1.101")))
                        .build())
                .hasMessage("peer 192.168.1.101 is given twice");
        assertThatThrownBy(() -> HostState.builder(ip("192.168.1.100"))
                        .peer(new Peer(ip("192.168.1.101"), Set.of(), List.of(new RemoteVm("n", 7, null))))
                        .peer(new Peer(ip("192.168.1.102"), Set.of(), List.of(new RemoteVm("n", 7, null))))
                        .build())
                .hasMessage("MAC 00:00:00:00:00:07 on network n is claimed by peers 192.168.1.101 and 192.168.1.102");
        assertThatThrownBy(() -> base.underlayMtu(100).build())
                .hasMessage("network net1 would have MTU 58: underlay MTU 100 less 42 bytes of gre encapsulation;"
                        + " it needs at least 68");
    }

    @Test
    void portNamesMustNotClash() {
        TunnelAgent agent = new TunnelAgent(new Datapath(new Fabric.Clock(), null));
        assertThatThrownBy(() -> agent.apply(HostState.builder(ip("192.168.1.100"))
                        .network(Network.gre("net1", 5))
                        .vm(new Vm("gre-1", "net1", 1, null))
                        .peer(new Peer(ip("192.168.1.101")))
                        .build()))
                .hasMessage("VM port gre-1 has the name of a tunnel to 192.168.1.101");
        assertThatThrownBy(() -> agent.apply(HostState.builder(ip("192.168.1.100"))
                        .network(Network.gre("net1", 5))
                        .vm(new Vm("patch-tun", "net1", 1, null))
                        .build()))
                .hasMessage("VM port patch-tun has the name of the agent's bridge or patch port");

        Datapath datapath = new Datapath(new Fabric.Clock(), null);
        Bridge other = datapath.addBridge("br-ex");
        other.addPort(new EthernetPort("eth0", PortType.SYSTEM, 0, null));
        assertThatThrownBy(() -> new TunnelAgent(datapath)
                        .apply(HostState.builder(ip("192.168.1.100"))
                                .network(Network.gre("net1", 5))
                                .vm(new Vm("eth0", "net1", 1, null))
                                .build()))
                .hasMessage("the VM port eth0 would clash with port eth0 of bridge br-ex, which the agent does not"
                        + " manage");
        assertThat(datapath.bridges()).extracting(Bridge::name).containsExactly("br-ex");
    }

    @Test
    void networkMtuIsTheUnderlaysLessTheEncapsulation() {
        TunnelAgent v4 = new TunnelAgent(new Datapath(new Fabric.Clock(), null));
        v4.apply(HostState.builder(ip("192.168.1.100"))
                .network(Network.gre("g", 1))
                .network(Network.vxlan("v", 1))
                .vm(new Vm("vm", "v", 1, null))
                .build());
        assertThat(v4.mtu("g")).isEqualTo(1458);
        assertThat(v4.mtu("v")).isEqualTo(1450);
        assertThat(v4.vmMtu("vm")).isEqualTo(1450);

        TunnelAgent v6 = new TunnelAgent(new Datapath(new Fabric.Clock(), null));
        v6.apply(HostState.builder(ip("2001:db8::1"))
                .network(Network.gre("g", 1))
                .network(Network.vxlan("v", 1))
                .underlayMtu(9000)
                .build());
        assertThat(v6.mtu("g")).isEqualTo(8938);
        assertThat(v6.mtu("v")).isEqualTo(8930);
        assertThat(NetworkType.GRE.overhead(true)).isEqualTo(62);
        assertThat(NetworkType.VXLAN.overhead(true)).isEqualTo(70);
        assertThatThrownBy(() -> v6.mtu("nope")).hasMessage("this host has no network nope");
    }

    @Test
    void neutronNamesTunnelsByTheRemoteAddressWithinFifteenCharacters() {
        assertThat(TunnelNaming.neutronName(NetworkType.GRE, ip("192.168.1.101")))
                .isEqualTo("gre-c0a80165");
        assertThat(TunnelNaming.neutronName(NetworkType.VXLAN, ip("10.0.0.1"))).isEqualTo("vxlan-0a000001");
        // lowercase Base32 of SHA-1("2001:db8::1"), cut to fill 15 characters (as Neutron's get_tunnel_hash)
        assertThat(TunnelNaming.neutronName(NetworkType.GRE, ip("2001:db8::1"))).isEqualTo("gre-d3wbibj5tg3");
        assertThat(TunnelNaming.neutronName(NetworkType.VXLAN, ip("2001:db8::1")))
                .isEqualTo("vxlan-d3wbibj5t");
        assertThat(TunnelNaming.neutronName(NetworkType.VXLAN, ip("2001:db8:0:0::2")))
                .isEqualTo("vxlan-pehtjzksi");
        assertThat(TunnelNaming.base32(new byte[] {'f', 'o', 'o', 'b', 'a', 'r'}))
                .isEqualTo("MZXW6YTBOI");
    }
}
