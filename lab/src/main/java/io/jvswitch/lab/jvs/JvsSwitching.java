package io.jvswitch.lab.jvs;

import io.jvswitch.agent.HostState;
import io.jvswitch.agent.Layout;
import io.jvswitch.agent.Network;
import io.jvswitch.agent.NetworkType;
import io.jvswitch.agent.Peer;
import io.jvswitch.agent.RemoteVm;
import io.jvswitch.agent.TunnelAgent;
import io.jvswitch.agent.Vm;
import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.lab.HostSwitch;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.LabHost;
import io.jvswitch.lab.guest.Guest;
import io.jvswitch.lab.topology.Topology;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Puts jvswitch on every host of a lab: a datapath on the host's underlay NIC, a tunnel agent given the desired state
 * the topology describes (the host's networks and VMs, its peers and what they host), the guests wired to the VM
 * ports the agent made, and the switch's timers on the lab's virtual clock (once a virtual second).
 */
public final class JvsSwitching implements HostSwitch {
    private final Layout layout;
    private final Map<String, JvsHost> hosts = new LinkedHashMap<>();

    public JvsSwitching(Layout layout) {
        this.layout = layout;
    }

    /** The jvswitch host named {@code name}, once attached. */
    public JvsHost host(String name) {
        JvsHost host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException(
                    "no host named " + name + " (hosts: " + String.join(", ", hosts.keySet()) + ")");
        }
        return host;
    }

    public List<JvsHost> hosts() {
        return List.copyOf(hosts.values());
    }

    @Override
    public void attach(Lab lab, LabHost host) {
        Datapath datapath = new Datapath(lab.clock(), host.underlay());
        host.underlay().receiver(datapath::receiveFromUnderlay);
        // A stable identity per host, so that show prints the same UUID every run.
        UUID systemId = UUID.nameUUIDFromBytes(("jvswitch lab " + lab.topology().name() + " " + host.name())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        TunnelAgent agent = new TunnelAgent(datapath, systemId, 0x1000 + hosts.size());
        agent.apply(desiredState(lab.topology(), host));
        for (Guest guest : host.vms()) {
            EthernetPort port = agent.vmPort(guest.config().name());
            port.attach(guest);
            guest.connect((segment, offset, length) -> datapath.receive(port, segment, offset, length));
        }
        lab.scheduler().every(Duration.ofSeconds(1), datapath::runTimers);
        hosts.put(host.name(), new JvsHost(host, datapath, agent));
    }

    /** The agent's view of a host: what the topology says it runs and who its peers are. */
    HostState desiredState(Topology topology, LabHost host) {
        Topology.Host spec = host.spec();
        HostState.Builder state = HostState.builder(spec.localAddress()).layout(layout);
        Integer mtu = spec.mtu();
        state.underlayMtu(mtu != null ? mtu : segmentMtu(topology, spec.segment()));
        Set<String> used = new LinkedHashSet<>();
        for (Topology.Vm vm : spec.vms()) {
            used.add(vm.network());
        }
        // A host with no VM of a network still terminates its tunnels (the tutorial's third host), so it carries
        // every network its peers use.
        for (String peerName : spec.peers()) {
            topology.host(peerName).ifPresent(peer -> peer.vms().forEach(vm -> used.add(vm.network())));
        }
        for (String name : used) {
            state.network(network(topology.network(name).orElseThrow()));
        }
        for (Topology.Vm vm : spec.vms()) {
            state.vm(new Vm(
                    vm.name(), vm.network(), vm.macAddress(), vm.ipPrefix().address()));
        }
        for (String peerName : spec.peers()) {
            Topology.Host peer = topology.host(peerName).orElseThrow();
            Set<String> networks = new LinkedHashSet<>();
            List<RemoteVm> remote = new ArrayList<>();
            for (Topology.Vm vm : peer.vms()) {
                networks.add(vm.network());
                remote.add(new RemoteVm(
                        vm.network(), vm.macAddress(), vm.ipPrefix().address()));
            }
            state.peer(new Peer(peer.localAddress(), networks, remote));
        }
        return state.build();
    }

    private static int segmentMtu(Topology topology, String segment) {
        for (Topology.Segment each : topology.segments()) {
            if (each.name().equals(segment) && each.mtu() != null) {
                return each.mtu();
            }
        }
        return 1500;
    }

    private static Network network(Topology.Network network) {
        if (!network.type().tunnelled()) {
            throw new IllegalArgumentException("network " + network.name()
                    + " is local: the tunnel agent carries tunnelled networks (GreRouterSwitching routes local ones)");
        }
        long id = network.segmentationId();
        return switch (network.type()) {
            case GRE -> Network.gre(network.name(), id);
            case VXLAN ->
                network.group() == null
                        ? Network.vxlan(network.name(), id)
                        : Network.vxlan(network.name(), id, InetAddress.ofLiteral(network.group()));
            case LOCAL -> throw new IllegalStateException("a local network has no tunnel"); // refused above
        };
    }

    static NetworkType type(Topology.Network network) {
        return NetworkType.valueOf(network.type().name());
    }
}
