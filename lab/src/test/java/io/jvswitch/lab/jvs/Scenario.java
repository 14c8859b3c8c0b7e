package io.jvswitch.lab.jvs;

import io.jvswitch.agent.Layout;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.guest.Guest;
import io.jvswitch.lab.guest.PingOptions;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.topology.NetworkType;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.lab.topology.TopologyException;
import io.jvswitch.lab.topology.TopologyLoader;
import io.jvswitch.lab.underlay.CapturedFrame;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.RuleFormatter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lab topology running jvswitch on every host, watched: every frame put on the underlay (as {@link OnWire}), every
 * frame each guest's switch port hands its guest, and each host's br-tun flows as add-flow lines. The scenario tests
 * share it so that each states only what it asserts.
 */
final class Scenario implements AutoCloseable {
    /** One echo request, a second apart, as {@code ping -c 1}. */
    static final PingOptions ONCE = PingOptions.DEFAULT;

    final Lab lab;
    final JvsSwitching switching;
    private final List<CapturedFrame> wire = new ArrayList<>();
    private final Map<String, List<byte[]>> delivered = new LinkedHashMap<>();

    private Scenario(Topology topology, Layout layout) {
        this.lab = Lab.build(topology);
        this.switching = new JvsSwitching(layout);
        lab.underlay().segment("underlay").tap(wire::add);
        lab.attach(switching);
        // Between each VM's port and the VM: write down what the switch delivers, then hand it on.
        for (JvsHost host : switching.hosts()) {
            for (Guest guest : host.host().vms()) {
                List<byte[]> frames = new ArrayList<>();
                delivered.put(guest.name(), frames);
                EthernetPort port = host.agent().vmPort(guest.name());
                port.attach((segment, offset, length) -> {
                    frames.add(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
                    guest.deliver(segment, offset, length);
                });
            }
        }
    }

    /** Builds {@code topology}, puts jvswitch with {@code layout} on every host and starts watching. */
    static Scenario start(Topology topology, Layout layout) {
        return new Scenario(topology, layout);
    }

    /** The tutorial's topology with its one network over {@code type} (the bundled file says GRE). */
    static Topology tutorial(NetworkType type) {
        Topology tutorial = TopologyLoader.tutorial();
        Topology.Network net1 = tutorial.network("net1").orElseThrow();
        return withNetwork(tutorial, net1.name(), type, net1.segmentationId());
    }

    /** {@code topology} with the network {@code name} made {@code type} with {@code segmentationId}. */
    static Topology withNetwork(Topology topology, String name, NetworkType type, long segmentationId) {
        List<Topology.Network> networks = topology.networks().stream()
                .map(n -> n.name().equals(name) ? n.withTunnel(type, segmentationId, n.group()) : n)
                .toList();
        return new Topology(
                topology.name(),
                topology.seed(),
                topology.segments(),
                topology.routers(),
                topology.multicastGroups(),
                networks,
                topology.hosts(),
                topology.script());
    }

    /** {@code topology} without the host {@code name}: gone from the hosts, and from every host's peers. */
    static Topology without(Topology topology, String name) {
        List<Topology.Host> hosts = topology.hosts().stream()
                .filter(host -> !host.name().equals(name))
                .map(host -> new Topology.Host(
                        host.name(),
                        host.segment(),
                        host.addresses(),
                        host.mac(),
                        host.mtu(),
                        host.loss(),
                        host.routes(),
                        host.localIp(),
                        host.peers().stream().filter(peer -> !peer.equals(name)).toList(),
                        host.vms()))
                .toList();
        return new Topology(
                topology.name(),
                topology.seed(),
                topology.segments(),
                topology.routers(),
                topology.multicastGroups(),
                topology.networks(),
                hosts,
                topology.script());
    }

    /** A topology file next to this class on the test class path. */
    static Topology topology(String fileName) {
        try (InputStream in = Scenario.class.getResourceAsStream(fileName)) {
            if (in == null) {
                throw new IllegalStateException(fileName + " is not on the class path next to " + Scenario.class);
            }
            return TopologyLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), fileName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TopologyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    JvsHost host(String name) {
        return switching.host(name);
    }

    /** {@code count} pings from {@code vm} to {@code address}, a second apart, run to the end. */
    PingResult ping(String vm, String address, int count) {
        return lab.vm(vm).ping(address, ONCE.withCount(count)).await();
    }

    /** Every frame put on the underlay since the start or the last {@link #clearWire}, in order. */
    List<OnWire> wire() {
        return wire.stream().map(OnWire::of).toList();
    }

    /** {@link #wire()} as lines ({@link OnWire#toString}), for exact comparisons. */
    List<String> wireLines() {
        return wire().stream().map(OnWire::toString).toList();
    }

    void clearWire() {
        wire.clear();
    }

    /** The frames {@code vm}'s port has handed it since the start or the last {@link #clearDelivered}. */
    List<byte[]> delivered(String vm) {
        List<byte[]> frames = delivered.get(vm);
        if (frames == null) {
            throw new IllegalArgumentException("no VM " + vm + " (VMs: " + delivered.keySet() + ")");
        }
        return List.copyOf(frames);
    }

    /** {@link #delivered} as lines: the MACs and what the frame is ({@link OnWire#inner}). */
    List<String> deliveredLines(String vm) {
        return delivered(vm).stream().map(frame -> OnWire.inner(frame, 0)).toList();
    }

    void clearDelivered() {
        delivered.values().forEach(List::clear);
    }

    /** Every flow of {@code host}'s br-tun, in dump-flows order, as add-flow lines. */
    List<String> flows(String host) {
        return rules(host).stream().map(RuleFormatter::addFlowLine).toList();
    }

    /** {@code ovs-ofctl dump-flows br-tun} on {@code host} now: counters, ages, in dump order. */
    List<String> dumpFlows(String host) {
        long now = lab.clock().millis();
        return rules(host).stream()
                .map(rule -> RuleFormatter.dumpLine(rule, now))
                .toList();
    }

    /** The flows of one table of {@code host}'s br-tun, as add-flow lines. */
    List<String> flows(String host, int table) {
        return rules(host).stream()
                .filter(rule -> rule.table() == table)
                .map(RuleFormatter::addFlowLine)
                .toList();
    }

    /** The flows table 10's learn wrote into table 20 of {@code host}'s br-tun (those with a hard timeout). */
    List<String> learned(String host) {
        return rules(host).stream()
                .filter(rule -> rule.table() == 20 && rule.hardTimeout() != Rule.PERMANENT)
                .map(RuleFormatter::addFlowLine)
                .toList();
    }

    List<Rule> rules(String host) {
        return host(host).datapath().bridge("br-tun").tables().rules();
    }

    /** The OpenFlow number of {@code port} on {@code host}'s br-tun. */
    int ofport(String host, String port) {
        return host(host).datapath().bridge("br-tun").port(port).ofport();
    }

    /**
     * Hands {@code frame} to the switch as if {@code vm} had sent it (a guest whose ARP entry is stale still sends to
     * the MAC it has, as Linux does while it re-probes).
     */
    void send(String vm, byte[] frame) {
        Guest guest = lab.vm(vm);
        for (JvsHost host : switching.hosts()) {
            EthernetPort port = host.agent().vmPort(vm);
            if (port != null && host.host().vms().contains(guest)) {
                host.datapath().receive(port, MemorySegment.ofArray(frame), 0, frame.length);
                return;
            }
        }
        throw new IllegalArgumentException("no VM " + vm + " on any host");
    }

    /** Runs virtual time until {@code nanos} since the start. */
    void runUntil(long nanos) {
        lab.scheduler().runUntil(nanos);
    }

    void runFor(Duration duration) {
        lab.scheduler().runFor(duration);
    }

    long now() {
        return lab.scheduler().now();
    }

    @Override
    public void close() throws IOException {
        lab.close();
    }
}
