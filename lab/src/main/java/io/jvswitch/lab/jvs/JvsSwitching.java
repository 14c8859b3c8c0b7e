package io.jvswitch.lab.jvs;

import io.jvswitch.agent.Changes;
import io.jvswitch.agent.HostState;
import io.jvswitch.agent.Layout;
import io.jvswitch.agent.Network;
import io.jvswitch.agent.NetworkType;
import io.jvswitch.agent.Peer;
import io.jvswitch.agent.RemoteVm;
import io.jvswitch.agent.TunnelAgent;
import io.jvswitch.agent.TunnelNaming;
import io.jvswitch.agent.Vm;
import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.FrameSink;
import io.jvswitch.lab.HostSwitch;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.LabHost;
import io.jvswitch.lab.guest.Guest;
import io.jvswitch.lab.time.Scheduler;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.lab.underlay.CapturedFrame;
import io.jvswitch.lab.underlay.UnderlayHost;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Puts jvswitch on every host of a lab: a datapath on the host's underlay NIC, a tunnel agent given the desired state
 * the topology describes (the host's networks and VMs, its peers and what they host), the guests wired to the VM
 * ports the agent made and told their network's MTU, and the switch's timers on the lab's virtual clock (once a virtual second). When the topology
 * changes, {@link #reconfigure} hands each agent its new state, as Neutron's server tells agents of hosts that come
 * and go.
 *
 * <p>The scenarios that run on it (lab's tests, {@code io.jvswitch.lab.jvs}): the tutorial over GRE and VXLAN, two
 * tenants with the same addresses, VXLAN flood-and-learn over a multicast group, learned flows expiring, a peer that
 * leaves, and Neutron's layout with l2population and the ARP responder.
 */
public final class JvsSwitching implements HostSwitch {
    private final Layout layout;
    private final Map<String, JvsHost> hosts = new LinkedHashMap<>();
    private Consumer<CapturedFrame> vmPortTap;
    private final Map<String, Scheduler.Task> timers = new LinkedHashMap<>();

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

    /**
     * Hears every frame that crosses a VM port, either way, as a copy named after the VM ({@code vm1}): what a capture
     * on the VM's tap device would see. Set it before {@link Lab#attach}.
     */
    public JvsSwitching tapVmPorts(Consumer<CapturedFrame> tap) {
        this.vmPortTap = tap;
        return this;
    }

    @Override
    public void attach(Lab lab, LabHost host) {
        Datapath datapath = new Datapath(lab.clock(), host.underlay());
        host.underlay().receiver(datapath::receiveFromUnderlay);
        // A stable identity per host, so that show prints the same UUID every run.
        UUID systemId = UUID.nameUUIDFromBytes(("jvswitch lab " + lab.topology().name() + " " + host.name())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        TunnelAgent agent = new TunnelAgent(datapath, systemId, 0x1000 + hosts.size());
        agent.apply(desiredState(lab.topology(), host.spec()));
        for (Guest guest : host.vms()) {
            EthernetPort port = agent.vmPort(guest.config().name());
            // As Neutron's DHCP tells a VM its network's MTU: the underlay's less the tunnel's headers.
            guest.mtu(agent.vmMtu(guest.name()));
            FrameSink toSwitch = (segment, offset, length) -> datapath.receive(port, segment, offset, length);
            port.attach(tapped(lab, guest.name(), guest));
            guest.connect(tapped(lab, guest.name(), toSwitch));
        }
        timers.put(host.name(), lab.scheduler().every(Duration.ofSeconds(1), datapath::runTimers));
        hosts.put(host.name(), new JvsHost(host, datapath, agent));
    }

    private FrameSink tapped(Lab lab, String vm, FrameSink sink) {
        Consumer<CapturedFrame> tap = vmPortTap;
        if (tap == null) {
            return sink;
        }
        return (segment, offset, length) -> {
            byte[] copy = segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
            tap.accept(new CapturedFrame(vm, lab.clock().epochNanos(), copy));
            sink.deliver(segment, offset, length);
        };
    }

    /**
     * The topology changed (a host left, a peer list changed): each attached host that {@code topology} still has
     * gets its desired state from it, applied by its agent (which changes only what differs); each host it no longer
     * has is switched off — its switch no longer receives from the underlay, its timers stop, it leaves every multicast
     * group it joined — and forgotten.
     * VMs are the lab's: a host keeps the guests it was attached with.
     *
     * @return what each remaining host's agent changed, by host name, in attach order
     */
    public Map<String, Changes> reconfigure(Topology topology) {
        Map<String, Changes> changes = new LinkedHashMap<>();
        for (var it = hosts.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            Topology.Host spec = topology.host(entry.getKey()).orElse(null);
            if (spec == null) {
                UnderlayHost underlay = entry.getValue().host().underlay();
                underlay.receiver(null);
                List.copyOf(underlay.groups()).forEach(underlay::leave);
                timers.remove(entry.getKey()).cancel();
                it.remove();
                continue;
            }
            changes.put(entry.getKey(), entry.getValue().agent().apply(desiredState(topology, spec)));
        }
        return changes;
    }

    /** The agent's view of a host: what the topology says it runs and who its peers are. */
    HostState desiredState(Topology topology, Topology.Host spec) {
        // Each layout names its tunnels as its era did: gre-1 in the tutorial's, gre-c0a80165 in Neutron's.
        HostState.Builder state = HostState.builder(spec.localAddress())
                .layout(layout)
                .naming(layout == Layout.NEUTRON ? TunnelNaming.NEUTRON : TunnelNaming.TUTORIAL);
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
            Topology.Host peer = topology.host(peerName)
                    .orElseThrow(() -> new IllegalArgumentException(
                            spec.name() + "'s peer " + peerName + " is not in topology " + topology.name()));
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
