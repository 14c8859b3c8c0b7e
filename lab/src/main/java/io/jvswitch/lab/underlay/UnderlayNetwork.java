package io.jvswitch.lab.underlay;

import io.jvswitch.lab.IpPrefix;
import io.jvswitch.lab.time.Scheduler;
import io.jvswitch.wire.pcap.PcapWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The simulated network tunnels ride on: {@link Segment segments} (links with an MTU, a latency and a loss rate),
 * {@link UnderlayHost hosts} where switches run, and {@link Router routers} with static routes between segments.
 * Hosts on one segment reach each other directly; others through routers, the TTL going down by one per router.
 * Multicast groups reach every member host but the sender. Everything is driven by the lab's {@link Scheduler}, and
 * random loss by the {@code seed}: a scenario runs the same way every time.
 *
 * <pre>{@code
 * UnderlayNetwork network = new UnderlayNetwork(scheduler, 1);
 * network.addSegment("lan").mtu(1500);
 * UnderlayHost host1 = network.addHost("host1");
 * host1.connect("lan", "192.168.1.100/24");
 * network.capture("lan", Path.of("lan.pcap"));
 * }</pre>
 *
 * <p>Captures (pcap files, one per segment) hold every frame put on the segment with its virtual timestamp; {@link
 * #close} flushes and closes them.
 */
public final class UnderlayNetwork implements AutoCloseable {
    private final Scheduler scheduler;
    private final long seed;
    private final Map<String, Segment> segments = new LinkedHashMap<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<Path, PcapWriter> captures = new LinkedHashMap<>();

    public UnderlayNetwork(Scheduler scheduler, long seed) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.seed = seed;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public long seed() {
        return seed;
    }

    /** A seed for one random stream, from the network's seed and a stable name (String.hashCode is specified). */
    long seedFor(String name) {
        long mixed = seed * 0x9e37_79b9_7f4a_7c15L + name.hashCode();
        return mixed ^ (mixed >>> 29);
    }

    public Segment addSegment(String name) {
        checkName("segment", name, segments.containsKey(name));
        Segment segment = new Segment(this, name, seedFor("segment " + name));
        segments.put(name, segment);
        return segment;
    }

    public UnderlayHost addHost(String name) {
        checkName("node", name, nodes.containsKey(name));
        UnderlayHost host = new UnderlayHost(this, name);
        nodes.put(name, host);
        return host;
    }

    public Router addRouter(String name) {
        checkName("node", name, nodes.containsKey(name));
        Router router = new Router(this, name);
        nodes.put(name, router);
        return router;
    }

    private static void checkName(String kind, String name, boolean taken) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a " + kind + " needs a name");
        }
        if (taken) {
            throw new IllegalArgumentException("there is already a " + kind + " named '" + name + "'");
        }
    }

    /** @throws IllegalArgumentException naming the known segments when there is none by that name */
    public Segment segment(String name) {
        Segment segment = segments.get(name);
        if (segment == null) {
            throw new IllegalArgumentException(
                    "no segment named '" + name + "' (segments: " + String.join(", ", segments.keySet()) + ")");
        }
        return segment;
    }

    /** @throws IllegalArgumentException naming the known hosts when there is no host by that name */
    public UnderlayHost host(String name) {
        if (nodes.get(name) instanceof UnderlayHost host) {
            return host;
        }
        throw new IllegalArgumentException("no host named '" + name + "' (hosts: "
                + String.join(", ", hosts().stream().map(Node::name).toList()) + ")");
    }

    /** @throws IllegalArgumentException naming the known routers when there is no router by that name */
    public Router router(String name) {
        if (nodes.get(name) instanceof Router router) {
            return router;
        }
        throw new IllegalArgumentException("no router named '" + name + "' (routers: "
                + String.join(", ", routers().stream().map(Node::name).toList()) + ")");
    }

    public Collection<Segment> segments() {
        return List.copyOf(segments.values());
    }

    public List<UnderlayHost> hosts() {
        List<UnderlayHost> hosts = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node instanceof UnderlayHost host) {
                hosts.add(host);
            }
        }
        return hosts;
    }

    public List<Router> routers() {
        List<Router> routers = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node instanceof Router router) {
                routers.add(router);
            }
        }
        return routers;
    }

    /** The hosts that joined {@code group}, in the order they were added to the network. */
    public Set<UnderlayHost> members(String group) {
        InetAddress address = IpPrefix.parseAddress(group);
        Set<UnderlayHost> members = new LinkedHashSet<>();
        for (UnderlayHost host : hosts()) {
            if (host.groups().contains(address)) {
                members.add(host);
            }
        }
        return members;
    }

    /** The node that has {@code address} on one of its interfaces, or null. */
    Node ownerOf(InetAddress address) {
        for (Node node : nodes.values()) {
            if (node.owns(address)) {
                return node;
            }
        }
        return null;
    }

    /** The interface on {@code segment} that has {@code address}, or null. */
    Nic neighbor(Segment segment, InetAddress address) {
        for (Nic nic : segment.nics()) {
            if (nic.owns(address)) {
                return nic;
            }
        }
        return null;
    }

    /**
     * True when a member of {@code group} is on {@code segment} or behind a router on it that is not in {@code
     * visited} (which this adds to as it walks).
     */
    boolean membersBeyond(InetAddress group, Segment segment, Set<Node> visited) {
        for (Nic nic : segment.nics()) {
            Node node = nic.node();
            if (!visited.add(node)) {
                continue;
            }
            if (node instanceof UnderlayHost host && host.groups().contains(group)) {
                return true;
            }
            if (node instanceof Router) {
                for (Nic other : node.nics()) {
                    if (other != nic && membersBeyond(group, other.segment(), visited)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Writes every frame put on {@code segment} from now on to a pcap file at {@code file}, stamped with virtual time.
     *
     * @throws IOException when the file cannot be created
     */
    public void capture(String segment, Path file) throws IOException {
        Segment captured = segment(segment);
        if (captures.containsKey(file)) {
            throw new IllegalArgumentException(file + " is already a capture");
        }
        PcapWriter writer = PcapWriter.create(file);
        captures.put(file, writer);
        captured.tap(frame -> {
            try {
                writer.write(scheduler.clock().epochNanos(), frame.frame());
            } catch (IOException e) {
                throw new UncheckedIOException("capture of segment " + segment + " to " + file + " failed", e);
            }
        });
    }

    /** The capture files, in the order they were started. */
    public List<Path> captures() {
        return List.copyOf(captures.keySet());
    }

    /** Flushes and closes every capture. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (PcapWriter writer : captures.values()) {
            try {
                writer.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
