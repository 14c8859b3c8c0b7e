package io.jvswitch.lab;

import io.jvswitch.lab.guest.Guest;
import io.jvswitch.lab.guest.GuestConfig;
import io.jvswitch.lab.script.ScriptReport;
import io.jvswitch.lab.script.ScriptRunner;
import io.jvswitch.lab.time.Scheduler;
import io.jvswitch.lab.time.VirtualClock;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.lab.underlay.Nic;
import io.jvswitch.lab.underlay.Node;
import io.jvswitch.lab.underlay.Router;
import io.jvswitch.lab.underlay.Segment;
import io.jvswitch.lab.underlay.UnderlayHost;
import io.jvswitch.lab.underlay.UnderlayNetwork;
import io.jvswitch.wire.MacAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A topology brought to life in one process: the underlay network, the hosts, the guests, one scheduler for all of
 * them. Switches are not the lab's: {@link #attach} hands each host to a {@link HostSwitch}, which wires one in. Then
 * {@link #runScript} plays the topology's script.
 *
 * <pre>{@code
 * try (Lab lab = Lab.build(TopologyLoader.tutorial())) {
 *     lab.captureAll(Path.of("captures"));
 *     lab.attach(realSwitch);
 *     ScriptReport report = lab.runScript();
 * }
 * }</pre>
 *
 * <p>What the lab does that a switch's agent would otherwise have to ask for: every host joins the multicast groups
 * the topology lists, and the group of every VXLAN network it has a VM on (as a flood-and-learn VTEP joins its
 * group when it starts).
 */
public final class Lab implements AutoCloseable {
    private final Topology topology;
    private final Scheduler scheduler;
    private final UnderlayNetwork underlay;
    private final Map<String, LabHost> hosts = new LinkedHashMap<>();
    private final Map<String, Guest> vms = new LinkedHashMap<>();

    private Lab(Topology topology, Scheduler scheduler) {
        this.topology = topology;
        this.scheduler = scheduler;
        this.underlay = new UnderlayNetwork(scheduler, topology.seed() == null ? 1 : topology.seed());
    }

    /** Builds the topology (which the loader has validated) on a new scheduler. */
    public static Lab build(Topology topology) {
        return build(topology, new Scheduler());
    }

    public static Lab build(Topology topology, Scheduler scheduler) {
        Lab lab = new Lab(Objects.requireNonNull(topology, "topology"), Objects.requireNonNull(scheduler, "scheduler"));
        lab.build();
        return lab;
    }

    private void build() {
        for (Topology.Segment spec : topology.segments()) {
            Segment segment = underlay.addSegment(spec.name());
            if (spec.mtu() != null) {
                segment.mtu(spec.mtu());
            }
            if (spec.latency() != null) {
                segment.latency(spec.latency());
            }
            if (spec.loss() != null) {
                segment.loss(spec.loss());
            }
        }
        for (Topology.Host spec : topology.hosts()) {
            UnderlayHost host = underlay.addHost(spec.name());
            connect(host, spec.segment(), spec.prefixes(), spec.mac(), spec.mtu(), spec.loss());
            for (Topology.Route route : spec.routes()) {
                host.route(route.to(), route.via());
            }
        }
        for (Topology.Router spec : topology.routers()) {
            Router router = underlay.addRouter(spec.name());
            for (Topology.Interface nic : spec.interfaces()) {
                connect(
                        router,
                        nic.segment(),
                        nic.addresses().stream().map(IpPrefix::parse).toList(),
                        nic.mac(),
                        nic.mtu(),
                        nic.loss());
            }
            for (Topology.Route route : spec.routes()) {
                router.route(route.to(), route.via());
            }
        }
        for (Topology.MulticastGroup group : topology.multicastGroups()) {
            for (String member : group.members()) {
                underlay.host(member).join(group.address());
            }
        }
        for (Topology.Host spec : topology.hosts()) {
            UnderlayHost host = underlay.host(spec.name());
            List<Topology.Network> networks = topology.networksOn(spec);
            for (Topology.Network network : networks) {
                if (network.group() != null) {
                    host.join(network.group());
                }
            }
            List<Guest> guests = new ArrayList<>();
            for (Topology.Vm vm : spec.vms()) {
                Guest guest = new Guest(scheduler, guestConfig(vm));
                guests.add(guest);
                vms.put(vm.name(), guest);
            }
            hosts.put(spec.name(), new LabHost(spec, host, guests, networks));
        }
    }

    private void connect(Node node, String segment, List<IpPrefix> prefixes, String mac, Integer mtu, Double loss) {
        Nic nic = node.connect(
                underlay.segment(segment), mac == null ? Node.defaultMac(prefixes) : MacAddress.parse(mac), prefixes);
        if (mtu != null) {
            nic.mtu(mtu);
        }
        if (loss != null) {
            nic.loss(loss);
        }
    }

    /** The stack settings of a topology VM: its addresses, MTU and gateway, Linux's neighbor timers. */
    public static GuestConfig guestConfig(Topology.Vm vm) {
        GuestConfig config = GuestConfig.of(vm.name(), vm.mac(), vm.ip());
        if (vm.mtu() != null) {
            config = config.withMtu(vm.mtu());
        }
        if (vm.gateway() != null) {
            config = config.withGateway(vm.gateway());
        }
        if (vm.ipv6() != null) {
            config = config.withIpv6(vm.ipv6());
        }
        return config;
    }

    public Topology topology() {
        return topology;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public VirtualClock clock() {
        return scheduler.clock();
    }

    public UnderlayNetwork underlay() {
        return underlay;
    }

    /** Every host, in topology order. */
    public List<LabHost> hosts() {
        return List.copyOf(hosts.values());
    }

    /** @throws IllegalArgumentException naming the hosts when there is none by that name */
    public LabHost host(String name) {
        LabHost host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException(
                    "no host named '" + name + "' (hosts: " + String.join(", ", hosts.keySet()) + ")");
        }
        return host;
    }

    /** @throws IllegalArgumentException naming the VMs when there is none by that name */
    public Guest vm(String name) {
        Guest guest = vms.get(name);
        if (guest == null) {
            throw new IllegalArgumentException(
                    "no VM named '" + name + "' (VMs: " + String.join(", ", vms.keySet()) + ")");
        }
        return guest;
    }

    /** Every VM by name, in topology order. */
    public Map<String, Guest> vms() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(vms));
    }

    /** Hands every host, in topology order, to {@code hostSwitch} to put a switch on it. */
    public void attach(HostSwitch hostSwitch) {
        for (LabHost host : hosts.values()) {
            hostSwitch.attach(this, host);
        }
    }

    /** Captures every segment from now on to {@code directory}/SEGMENT.pcap; returns the files. */
    public List<Path> captureAll(Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> files = new ArrayList<>();
        for (Segment segment : underlay.segments()) {
            Path file = directory.resolve(segment.name() + ".pcap");
            underlay.capture(segment.name(), file);
            files.add(file);
        }
        return files;
    }

    /** Plays the topology's script and reports each step. */
    public ScriptReport runScript() {
        return new ScriptRunner(this).run(topology.script());
    }

    /** Closes the captures. */
    @Override
    public void close() throws IOException {
        underlay.close();
    }
}
