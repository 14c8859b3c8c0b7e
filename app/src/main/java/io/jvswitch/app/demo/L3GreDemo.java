package io.jvswitch.app.demo;

import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.lab.IpPrefix;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.guest.PingOptions;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.jvs.GreRouter;
import io.jvswitch.lab.jvs.GreRouterSwitching;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.lab.topology.TopologyLoader;
import io.jvswitch.lab.underlay.CapturedFrame;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.wire.pcap.PcapWriter;
import io.jvswitch.wire.text.Dissector;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code jvs demo l3-gre}: the tutorial's first example, live. Host A (192.168.1.1) behind router RA pings host B
 * (192.168.2.1) behind router RB; RA and RB are jvswitch, each with a GRE port carrying bare IP ({@code
 * packet_type=legacy_l3}) to the other across a routed internet. It prints the topology, RA's {@code ovs-vsctl show},
 * both routers' {@code ovs-ofctl dump-flows}, then A's ping of B with its first echo request as it is on the A-RA link
 * and between RA and the internet, layer by layer: the packet before and after encapsulation, as the tutorial draws
 * it. With a directory, it writes one pcap per link there.
 */
final class L3GreDemo {
    /** Echo requests A sends when the command line does not say. */
    static final int COUNT = 3;

    private static final int SIZE = 56;

    private L3GreDemo() {}

    /** One link of the example, in the order a packet from A crosses them, and what was seen on it. */
    private record Link(String name, String label, List<CapturedFrame> frames) {}

    /**
     * Runs the example.
     *
     * @param out where the demo prints
     * @param count echo requests A sends to B, one a second
     * @param pcapDirOrNull a directory (made if missing) for one pcap per link, or null for none
     * @return 0 when A's pings were all answered, 1 when not
     * @throws UncheckedIOException (cause {@link IOException}) when a pcap cannot be written
     */
    static int run(PrintWriter out, int count, Path pcapDirOrNull) {
        Topology topology = TopologyLoader.l3Gre();
        Topology.Host ra = topology.hosts().get(0);
        Topology.Host rb = topology.hosts().get(1);
        Topology.Vm a = ra.vms().getFirst();
        Topology.Vm b = rb.vms().getFirst();
        Topology.Router internet = topology.routers().getFirst();
        GreRouterSwitching routers = new GreRouterSwitching();
        List<PcapWriter> writers = new ArrayList<>();
        try (Lab lab = Lab.build(topology)) {
            Map<String, Link> links = new LinkedHashMap<>();
            links.put(a.network(), new Link(a.network(), a.name() + "-" + ra.name(), new ArrayList<>()));
            links.put(ra.segment(), new Link(ra.segment(), ra.name() + "-" + internet.name(), new ArrayList<>()));
            links.put(rb.segment(), new Link(rb.segment(), internet.name() + "-" + rb.name(), new ArrayList<>()));
            links.put(b.network(), new Link(b.network(), rb.name() + "-" + b.name(), new ArrayList<>()));
            for (Link link : links.values()) {
                Consumer<CapturedFrame> tap = link.frames()::add;
                if (pcapDirOrNull != null) {
                    PcapWriter writer = PcapWriter.create(file(pcapDirOrNull, link));
                    writers.add(writer);
                    tap = tap.andThen(frame -> write(writer, lab, frame));
                }
                if (lab.topology().network(link.name()).isPresent()) {
                    routers.tap(link.name(), tap);
                } else {
                    lab.underlay().segment(link.name()).tap(tap);
                }
            }
            lab.attach(routers);
            GreRouter routerA = routers.router(ra.name());
            GreRouter routerB = routers.router(rb.name());

            out.println("The tutorial's first example: A pings B through a GRE tunnel between two routers.");
            out.println();
            out.printf(
                    "%s %s -- %s [%s | %s] -- %s [%s] -- [%s | %s] %s -- %s %s%n",
                    a.name(),
                    a.ip(),
                    ra.name(),
                    gateway(topology, a),
                    address(ra.addresses().getFirst()),
                    internet.name(),
                    String.join(
                            " | ",
                            internet.interfaces().stream()
                                    .flatMap(nic -> nic.addresses().stream())
                                    .map(L3GreDemo::address)
                                    .toList()),
                    address(rb.addresses().getFirst()),
                    gateway(topology, b),
                    rb.name(),
                    b.name(),
                    b.ip());
            out.printf(
                    "%s: gre0 %s, %s through it; %s: gre0 %s, %s through it%n",
                    ra.name(),
                    tunnelText(routerA),
                    subnet(topology, b),
                    rb.name(),
                    tunnelText(routerB),
                    subnet(topology, a));
            out.printf(
                    "%s and %s are jvswitch; their gre0 has packet_type=legacy_l3: GRE carries the IP packet, no"
                            + " Ethernet header%n",
                    ra.name(), rb.name());
            out.println();
            out.printf("%s$ ovs-vsctl show%n", ra.name());
            out.print(routerA.show());
            for (GreRouter router : List.of(routerA, routerB)) {
                out.printf("%s$ ovs-ofctl dump-flows %s%n", router.name(), GreRouterSwitching.BRIDGE);
                router.dumpFlows().forEach(out::println);
            }
            out.println();

            String target = b.ipPrefix().address().getHostAddress();
            out.printf("%s$ ping -c %d %s%n", a.name(), count, target);
            PingResult ping = lab.vm(a.name())
                    .ping(target, new PingOptions(count, Duration.ofSeconds(1), Duration.ofSeconds(1), SIZE))
                    .await();
            for (PingResult.Reply reply : ping.replies()) {
                out.printf(
                        "%d bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms%n",
                        SIZE + 8, target, reply.sequence(), reply.ttl(), reply.rttNanos() / 1e6);
            }
            out.printf("--- %s ping statistics ---%n%s%n", target, ping.summary());
            out.println();

            Link lan = links.get(a.network());
            Link wan = links.get(ra.segment());
            byte[] before = firstEchoRequest(lan.frames(), 14);
            byte[] after = firstEchoRequest(wan.frames(), 38);
            if (before != null) {
                out.printf(
                        "The first echo request on the %s link (%s), before encapsulation (%d bytes):%n",
                        lan.label(), lan.name(), before.length);
                Dissector.describe(before).forEach(line -> out.println("  " + line));
            }
            if (after != null) {
                out.printf(
                        "%nOn the %s link (%s), after encapsulation (%d bytes, %d of them outer headers):%n",
                        wan.label(), wan.name(), after.length, 14 + (after[14] & 0x0f) * 4 + 4);
                Dissector.describe(after).forEach(line -> out.println("  " + line));
            }
            out.println();
            out.printf("All that crossed %s: %s%n", wan.name(), crossing(wan.frames(), ra.localIp(), rb.localIp()));

            if (pcapDirOrNull != null) {
                for (PcapWriter writer : writers) {
                    writer.close();
                }
                writers.clear();
                List<String> files = new ArrayList<>();
                for (Link link : links.values()) {
                    files.add(file(pcapDirOrNull, link).getFileName() + " ("
                            + link.frames().size() + ")");
                }
                out.printf("Wrote one pcap per link to %s: %s%n", pcapDirOrNull, String.join(", ", files));
            }
            out.flush();
            return ping.success() ? 0 : 1;
        } catch (IOException e) {
            throw new UncheckedIOException("l3-gre demo: " + e.getMessage(), e);
        } finally {
            for (PcapWriter writer : writers) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // the demo failed already: that failure is the one to report
                }
            }
        }
    }

    private static Path file(Path directory, Link link) throws IOException {
        Files.createDirectories(directory);
        return directory.resolve(link.name() + ".pcap");
    }

    private static void write(PcapWriter writer, Lab lab, CapturedFrame frame) {
        try {
            writer.write(lab.clock().epochNanos(), frame.frame());
        } catch (IOException e) {
            throw new UncheckedIOException("capture of " + frame.segment() + " failed", e);
        }
    }

    /** An address without its prefix length. */
    private static String address(String prefix) {
        return IpPrefix.format(IpPrefix.parse(prefix).address());
    }

    private static String subnet(Topology topology, Topology.Vm vm) {
        return topology.network(vm.network()).orElseThrow().cidr();
    }

    private static String gateway(Topology topology, Topology.Vm vm) {
        return topology.network(vm.network()).orElseThrow().gateway();
    }

    private static String tunnelText(GreRouter router) {
        TunnelConfig config = ((TunnelPort) router.bridge().port("gre0")).config();
        return TunnelConfig.addressText(config.localIp()) + " -> " + TunnelConfig.addressText(config.remoteIp());
    }

    /**
     * The first frame whose IPv4 packet at {@code ipOffset} is an ICMP echo request (type 8): at 14 on a LAN, at 38
     * (Ethernet, IPv4, GRE) inside the tunnel.
     */
    private static byte[] firstEchoRequest(List<CapturedFrame> frames, int ipOffset) {
        for (CapturedFrame captured : frames) {
            byte[] frame = captured.frame();
            if (frame.length > ipOffset + 20
                    && (frame[ipOffset] & 0xf0) == 0x40
                    && frame[ipOffset + 9] == 1
                    && frame.length > ipOffset + (frame[ipOffset] & 0x0f) * 4
                    && frame[ipOffset + (frame[ipOffset] & 0x0f) * 4] == 8) {
                return frame;
            }
        }
        return null;
    }

    /**
     * What crossed a WAN link, by direction: {@code 3 GRE packets 1.1.1.1 > 2.2.2.2, 3 GRE packets 2.2.2.2 > 1.1.1.1,
     * nothing else}.
     */
    private static String crossing(List<CapturedFrame> frames, String local, String remote) {
        int out = 0;
        int back = 0;
        int other = 0;
        String there = hex(local) + hex(remote);
        String here = hex(remote) + hex(local);
        for (CapturedFrame captured : frames) {
            byte[] frame = captured.frame();
            boolean gre = frame.length >= 34 && frame[12] == 0x08 && frame[13] == 0 && frame[23] == 47;
            String addresses = gre ? HexFormat.of().formatHex(frame, 26, 34) : "";
            if (gre && addresses.equals(there)) {
                out++;
            } else if (gre && addresses.equals(here)) {
                back++;
            } else {
                other++;
            }
        }
        return out + " GRE packets " + local + " > " + remote + ", " + back + " GRE packets " + remote + " > " + local
                + ", " + (other == 0 ? "nothing else" : other + " other frames");
    }

    private static String hex(String ipv4) {
        StringBuilder hex = new StringBuilder();
        for (String part : ipv4.split("\\.")) {
            hex.append(String.format("%02x", Integer.parseInt(part)));
        }
        return hex.toString();
    }
}
