package io.jvswitch.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyLoaderTest {
    /** A small valid topology; the tests below break one thing each. */
    private static final String BASE = """
            segments:
              - name: lan
            networks:
              - name: net1
                type: vxlan
                segmentation_id: 100
                cidr: 10.0.0.0/24
            hosts:
              - name: host1
                segment: lan
                addresses: [198.18.0.1/24]
                vms:
                  - name: vm1
                    network: net1
                    mac: fa:16:3e:00:00:01
                    ip: 10.0.0.1
              - name: host2
                segment: lan
                addresses: [198.18.0.2/24]
            """;

    private static List<String> problems(String yaml) {
        try {
            TopologyLoader.parse(yaml, "t.yaml");
        } catch (TopologyException e) {
            return e.problems();
        }
        throw new AssertionError("no problem found in:\n" + yaml);
    }

    @Test
    void theTutorialLoadsToTheExpectedRecords() {
        Topology tutorial = TopologyLoader.tutorial();

        Topology.Network net1 = new Topology.Network("net1", NetworkType.GRE, 0x1388L, "10.0.0.0/24", null, null);
        assertThat(tutorial)
                .isEqualTo(new Topology(
                        "tutorial",
                        1L,
                        List.of(new Topology.Segment("underlay", 1500, Duration.ofNanos(100_000), 0.0)),
                        List.of(),
                        List.of(),
                        List.of(net1),
                        List.of(
                                new Topology.Host(
                                        "host1",
                                        "underlay",
                                        List.of("192.168.1.100/24"),
                                        null,
                                        1500,
                                        0.0,
                                        List.of(),
                                        "192.168.1.100",
                                        List.of("host3", "host2"),
                                        List.of(new Topology.Vm(
                                                "vm1", "net1", "fa:16:3e:00:00:01", "10.0.0.1/24", null, 1500, null))),
                                new Topology.Host(
                                        "host2",
                                        "underlay",
                                        List.of("192.168.1.101/24"),
                                        null,
                                        1500,
                                        0.0,
                                        List.of(),
                                        "192.168.1.101",
                                        List.of("host1", "host3"),
                                        List.of(new Topology.Vm(
                                                "vm2", "net1", "fa:16:3e:1f:19:55", "10.0.0.2/24", null, 1500, null))),
                                new Topology.Host(
                                        "host3",
                                        "underlay",
                                        List.of("192.168.1.102/24"),
                                        null,
                                        1500,
                                        0.0,
                                        List.of(),
                                        "192.168.1.102",
                                        List.of("host1", "host2"),
                                        List.of())),
                        List.of(
                                new Step.Ping(
                                        "vm1",
                                        "10.0.0.2",
                                        3,
                                        Duration.ofSeconds(1),
                                        Duration.ofSeconds(1),
                                        56,
                                        Step.PingExpectation.SUCCESS),
                                new Step.ExpectNeighbor("vm1", "10.0.0.2", "fa:16:3e:1f:19:55", true),
                                new Step.Advance(Duration.ofSeconds(300)),
                                new Step.ExpectNeighbor("vm1", "10.0.0.2", null, false),
                                new Step.Ping(
                                        "vm1",
                                        "10.0.0.2",
                                        1,
                                        Duration.ofSeconds(1),
                                        Duration.ofSeconds(1),
                                        56,
                                        Step.PingExpectation.SUCCESS),
                                new Step.Ping(
                                        "vm1",
                                        "10.0.0.3",
                                        1,
                                        Duration.ofSeconds(1),
                                        Duration.ofSeconds(2),
                                        56,
                                        Step.PingExpectation.FAILURE))));
        Topology.Host host1 = tutorial.host("host1").orElseThrow();
        assertThat(tutorial.networksOn(host1)).containsExactly(net1);
        assertThat(tutorial.networksOn(tutorial.host("host3").orElseThrow())).isEmpty();
        assertThat(tutorial.vmHosts()).containsOnlyKeys("vm1", "vm2");
        assertThat(host1.localAddress().getHostAddress()).isEqualTo("192.168.1.100");
        assertThat(host1.vms().getFirst().macAddress()).isEqualTo(0xfa163e000001L);
    }

    @Test
    void defaultsAreFilledIn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("small.yaml");
        Files.writeString(file, BASE);

        Topology topology = TopologyLoader.load(file);

        assertThat(topology.name()).isEqualTo("small");
        assertThat(topology.seed()).isEqualTo(1L);
        assertThat(topology.segments())
                .containsExactly(new Topology.Segment("lan", 1500, Duration.ofNanos(100_000), 0.0));
        assertThat(topology.hosts().get(0).peers()).containsExactly("host2");
        assertThat(topology.hosts().get(1).peers()).containsExactly("host1");
        assertThat(topology.hosts().get(1).localIp()).isEqualTo("198.18.0.2");
        assertThat(topology.script()).isEmpty();
    }

    @Test
    void aFullTopologyWithRoutersGroupsAndEveryStepKind() throws Exception {
        Topology topology = TopologyLoader.parse("""
                name: routed
                seed: 7
                segments:
                  - {name: a, mtu: 9000, latency: 1ms, loss: 0.01}
                  - {name: b}
                routers:
                  - name: r1
                    interfaces:
                      - {segment: a, addresses: [198.18.0.1/24]}
                      - {segment: b, addresses: [198.19.0.1/24, "2001:db8::1/64"], mtu: 1400}
                multicast_groups:
                  - {address: 239.1.1.1, members: [h1, h2]}
                networks:
                  - {name: blue, type: vxlan, segmentation_id: 5000, group: 239.1.1.1}
                hosts:
                  - name: h1
                    segment: a
                    addresses: [198.18.0.10/24]
                    routes: [{to: 0.0.0.0/0, via: 198.18.0.1}]
                    vms:
                      - {name: v1, network: blue, mac: "fa:16:3e:00:00:01", ip: 10.1.0.1/16, ipv6: "2001:db8:1::1/64",
                         mtu: 1450, gateway: 10.1.0.254}
                  - name: h2
                    segment: b
                    addresses: [198.19.0.10/24]
                    mac: 02:00:00:00:00:aa
                    mtu: 1400
                    loss: 0.5
                    routes: [{to: 0.0.0.0/0, via: 198.19.0.1}]
                script:
                  - udp_echo: {vm: v1, port: 7}
                  - udp: {from: v1, to: 10.1.0.2, port: 7, payload: hi}
                  - advance: 1.5
                  - join: {host: h2, group: 239.1.1.2}
                  - leave: {host: h2, group: 239.1.1.1}
                  - expect_udp: {vm: v1, count: 0, port: 40000, from: 10.1.0.2}
                  - ping: {from: v1, to: "2001:db8:1::2", interval: 200ms, size: 1000}
                """, "routed.yaml");

        assertThat(topology.name()).isEqualTo("routed");
        assertThat(topology.seed()).isEqualTo(7L);
        assertThat(topology.routers().getFirst().interfaces().get(1))
                .isEqualTo(new Topology.Interface("b", List.of("198.19.0.1/24", "2001:db8::1/64"), null, 1400, 0.0));
        assertThat(topology.multicastGroups())
                .containsExactly(new Topology.MulticastGroup("239.1.1.1", List.of("h1", "h2")));
        assertThat(topology.hosts().get(1).mac()).isEqualTo("02:00:00:00:00:aa");
        assertThat(topology.hosts().get(0).vms().getFirst())
                .isEqualTo(new Topology.Vm(
                        "v1", "blue", "fa:16:3e:00:00:01", "10.1.0.1/16", "2001:db8:1::1/64", 1450, "10.1.0.254"));
        assertThat(topology.script())
                .containsExactly(
                        new Step.UdpEcho("v1", 7),
                        new Step.Udp("v1", "10.1.0.2", 7, 40000, "hi"),
                        new Step.Advance(Duration.ofMillis(1500)),
                        new Step.Join("h2", "239.1.1.2"),
                        new Step.Leave("h2", "239.1.1.1"),
                        new Step.ExpectUdp("v1", 0, 40000, "10.1.0.2"),
                        new Step.Ping(
                                "v1", "2001:db8:1::2", 1, Duration.ofMillis(200), Duration.ofSeconds(1), 1000, null));
    }

    @Test
    void unknownKeysAreRefusedWithTheirPathAndLine() {
        assertThat(problems(BASE.replace("    mac: fa:16:3e:00:00:01", "    macc: fa:16:3e:00:00:01")))
                .containsExactly("t.yaml:15:9: hosts[0].vms[0].macc: unknown key 'macc'"
                        + " (expected one of: gateway, ip, ipv6, mac, mtu, name, network)");
        assertThat(problems("colour: blue\n" + BASE))
                .containsExactly("t.yaml:1:1: colour: unknown key 'colour' (expected one of: hosts, multicast_groups,"
                        + " name, networks, routers, script, seed, segments)");
        assertThat(problems(BASE + "script:\n  - ping: {from: vm1, to: 10.0.0.2, cuont: 3}\n"))
                .containsExactly("t.yaml:21:37: script[0].ping.cuont: unknown key 'cuont'"
                        + " (expected one of: count, expect, from, interval, size, timeout, to)");
    }

    @Test
    void malformedFilesAreRefusedWithTheirLine() {
        assertThat(problems(BASE + "script:\n  - pong: {from: vm1}\n"))
                .containsExactly("t.yaml:21:5: script[0]: unknown step 'pong' (expected one of: advance,"
                        + " expect_neighbor, expect_udp, join, leave, ping, udp, udp_echo)");
        assertThat(problems(BASE.replace("type: vxlan", "type: geneve")))
                .containsExactly("t.yaml:5:5: networks[0].type: 'geneve' is not one of: gre, vxlan, local");
        assertThat(problems(BASE.replace("segmentation_id: 100", "segmentation_id: lots")))
                .containsExactly("t.yaml:6:5: networks[0].segmentation_id: 'lots' is not a whole number");
        assertThat(problems(BASE + "script:\n  - advance: soon\n"))
                .containsExactly("t.yaml:21:5: script[0]: 'soon' is not a duration"
                        + " (a number and a unit: ns, us, ms, s, m or h, as in 300s)");
        assertThat(problems(BASE.replace("  - name: lan", "  - name: lan\n    name: wan")))
                .containsExactly("t.yaml:3:9: segments[0]: duplicate key 'name'");
        assertThat(problems(BASE.replace("addresses: [198.18.0.1/24]", "addresses: 198.18.0.1/24")))
                .containsExactly("t.yaml:11:5: hosts[0].addresses: expected a list");
        assertThat(problems("segments: [\n"))
                .containsExactly("t.yaml:2:1: not valid YAML: expected the node content, but found '<stream end>'");
        assertThat(problems("segments:\n  - name: a\n - name: b\n"))
                .containsExactly(
                        "t.yaml:3:2: not valid YAML: expected <block end>, but found '<block sequence start>'");
        assertThat(problems("")).containsExactly("t.yaml: the file holds no topology");
    }

    @Test
    void referencesAreChecked() {
        assertThat(problems(BASE.replace("    network: net1", "    network: net9")))
                .containsExactly("t.yaml:14:9: hosts[0].vms[0].network: unknown network 'net9' (networks: net1)");
        assertThat(problems(BASE.replace(
                        "segment: lan\n    addresses: [198.18.0.2/24]",
                        "segment: wan\n    addresses: [198.18.0.2/24]")))
                .containsExactly("t.yaml:18:5: hosts[1].segment: unknown segment 'wan' (segments: lan)");
        assertThat(problems(BASE + "    peers: [host1, host3, host2]\n"))
                .containsExactly(
                        "t.yaml:20:20: hosts[1].peers[1]: unknown host 'host3' (hosts: host1, host2)",
                        "t.yaml:20:27: hosts[1].peers[2]: host2 cannot be its own peer");
        assertThat(problems(BASE + "script:\n  - ping: {from: vm7, to: 10.0.0.2}\n"))
                .containsExactly("t.yaml:21:12: script[0].ping.from: unknown VM 'vm7' (VMs: vm1)");
        assertThat(problems(BASE + "multicast_groups:\n  - {address: 239.1.1.1, members: [host1, hostX]}\n"))
                .containsExactly(
                        "t.yaml:21:43: multicast_groups[0].members[1]: unknown host 'hostX' (hosts: host1, host2)");
    }

    @Test
    void addressesAndValuesAreChecked() {
        assertThat(problems(BASE.replace("ip: 10.0.0.1", "ip: 10.0.1.1")))
                .containsExactly(
                        "t.yaml:16:9: hosts[0].vms[0].ip: 10.0.1.1/24 is not in network net1's cidr 10.0.0.0/24");
        assertThat(problems(BASE.replace("    cidr: 10.0.0.0/24\n", "")))
                .containsExactly("t.yaml:15:9: hosts[0].vms[0].ip: '10.0.0.1' needs a prefix length (as 10.0.0.1/24):"
                        + " network net1 has no cidr");
        assertThat(problems(BASE.replace("mac: fa:16:3e:00:00:01", "mac: ff:16:3e:00:00:01")))
                .containsExactly("t.yaml:15:9: hosts[0].vms[0].mac: ff:16:3e:00:00:01 is not a unicast MAC");
        assertThat(problems(BASE.replace("addresses: [198.18.0.2/24]", "addresses: [198.18.0.1/24]")))
                .containsExactly("t.yaml:19:17: hosts[1].addresses[0]: 198.18.0.1 is already the address of host1"
                        + " (hosts[0].addresses[0])");
        assertThat(problems(BASE.replace("addresses: [198.18.0.2/24]", "addresses: [198.18.0.2]")))
                .containsExactly("t.yaml:19:17: hosts[1].addresses[0]: '198.18.0.2' needs a prefix length"
                        + " (as 198.18.0.2/24)");
        assertThat(problems(BASE.replace("segmentation_id: 100", "segmentation_id: 16777216")))
                .containsExactly(
                        "t.yaml:6:5: networks[0].segmentation_id: 16777216 is not a vxlan VNI (0 to 16777215)");
        assertThat(problems(BASE + "    local_ip: 198.18.0.9\n"))
                .containsExactly(
                        "t.yaml:20:5: hosts[1].local_ip: 198.18.0.9 is not one of host2's addresses" + " (198.18.0.2)");
        assertThat(problems(BASE + "    routes: [{to: 0.0.0.0/0, via: 198.19.0.1}]\n"))
                .containsExactly("t.yaml:20:30: hosts[1].routes[0].via: 198.19.0.1 is on no subnet of host2"
                        + " (198.18.0.0/24)");
        assertThat(problems(BASE.replace("  - name: host2", "  - name: host1")))
                .containsExactly("t.yaml:17:5: hosts[1].name: duplicate name 'host1' (also hosts[0]: hosts and"
                        + " routers share names)");
        assertThat(problems(BASE.replace("                  - name: host2", "  - segment: lan")
                        .replace("  - name: host2\n    segment: lan\n", "  - segment: lan\n")))
                .containsExactly("t.yaml:17:5: hosts[1]: missing key 'name'");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(problems(BASE.replace("network: net1", "network: net2").replace("ip: 10.0.0.1", "ip: 10.0.0.300")))
                .containsExactly(
                        "t.yaml:14:9: hosts[0].vms[0].network: unknown network 'net2' (networks: net1)",
                        "t.yaml:16:9: hosts[0].vms[0].ip: '10.0.0.300' is not an IP address");
    }

    /** A router's LAN, as the L3 GRE example has them: local, with a gateway. */
    private static final String LOCAL = BASE.replace("""
                type: vxlan
                segmentation_id: 100
                cidr: 10.0.0.0/24
            """, """
                type: local
                cidr: 10.0.0.0/24
                gateway: 10.0.0.254
            """);

    @Test
    void theL3GreExampleLoadsWithLocalNetworksAndGateways() {
        Topology l3 = TopologyLoader.l3Gre();

        assertThat(l3.name()).isEqualTo("l3-gre");
        assertThat(l3.networks())
                .containsExactly(
                        new Topology.Network("lan-a", NetworkType.LOCAL, null, "192.168.1.0/24", null, "192.168.1.254"),
                        new Topology.Network(
                                "lan-b", NetworkType.LOCAL, null, "192.168.2.0/24", null, "192.168.2.254"));
        assertThat(l3.host("RA").orElseThrow().vms())
                .as("A's gateway is its network's")
                .containsExactly(new Topology.Vm(
                        "A", "lan-a", "52:54:00:00:01:01", "192.168.1.1/24", null, 1500, "192.168.1.254"));
        assertThat(l3.host("RB").orElseThrow().peers()).containsExactly("RA");
        assertThat(l3.routers().getFirst().interfaces().stream()
                        .map(Topology.Interface::segment)
                        .toList())
                .containsExactly("ra-internet", "internet-rb");
        assertThat(l3.network("lan-a")
                        .orElseThrow()
                        .gatewayAddress()
                        .orElseThrow()
                        .getHostAddress())
                .isEqualTo("192.168.1.254");
    }

    @Test
    void aLocalNetworkHasNoSegmentationIdAndItsGatewayIsOnItsSubnet() throws Exception {
        Topology topology = TopologyLoader.parse(LOCAL, "t.yaml");
        assertThat(topology.networks().getFirst())
                .isEqualTo(new Topology.Network("net1", NetworkType.LOCAL, null, "10.0.0.0/24", null, "10.0.0.254"));
        assertThat(topology.hosts().getFirst().vms().getFirst().gateway()).isEqualTo("10.0.0.254");
        Topology own = TopologyLoader.parse(
                LOCAL.replace("    ip: 10.0.0.1", "    ip: 10.0.0.1\n        gateway: 10.0.0.253"), "t.yaml");
        assertThat(own.hosts().getFirst().vms().getFirst().gateway())
                .as("a VM's own gateway wins")
                .isEqualTo("10.0.0.253");

        assertThat(problems(LOCAL.replace("type: local", "type: local\n    segmentation_id: 7")))
                .containsExactly("t.yaml:6:5: networks[0].segmentation_id: a local network has no segmentation_id:"
                        + " nothing tunnels it (it is reached by routing)");
        assertThat(problems(LOCAL.replace("type: local", "type: local\n    group: 239.1.1.1")))
                .containsExactly("t.yaml:6:5: networks[0].group: only a vxlan network floods to a multicast group");
        assertThat(problems(LOCAL.replace("gateway: 10.0.0.254", "gateway: 10.0.9.254")))
                .containsExactly(
                        "t.yaml:7:5: networks[0].gateway: 10.0.9.254 is not in network net1's cidr 10.0.0.0/24");
        assertThat(problems(LOCAL.replace("    cidr: 10.0.0.0/24\n", "").replace("ip: 10.0.0.1", "ip: 10.0.0.1/24")))
                .containsExactly(
                        "t.yaml:6:5: networks[0].gateway: a gateway needs the network's cidr (the subnet it is on)");
        assertThat(problems(LOCAL.replace("gateway: 10.0.0.254", "gateway: ten")))
                .containsExactly("t.yaml:7:5: networks[0].gateway: 'ten' is not an IP address");
        assertThat(problems(LOCAL.replace("ip: 10.0.0.1", "ip: 10.0.0.254")))
                .containsExactly(
                        "t.yaml:16:9: hosts[0].vms[0].ip: 10.0.0.254 is network net1's gateway (its router's)");
        assertThat(problems(LOCAL.replace("    type: local\n", "")))
                .containsExactly("t.yaml:4:5: networks[0]: missing key 'type' (gre, vxlan or local)");
        assertThat(problems(BASE.replace("    segmentation_id: 100\n", "")))
                .as("a tunnelled network still needs its key or VNI")
                .containsExactly("t.yaml:4:5: networks[0]: missing key 'segmentation_id' (the GRE key or VXLAN VNI)");
    }

    @Test
    void durationsReadTheirUnits() {
        assertThat(Durations.parse("300s")).isEqualTo(Duration.ofSeconds(300));
        assertThat(Durations.parse("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.format(Duration.ofNanos(100_000))).isEqualTo("100us");
        assertThat(Durations.format(Duration.ofSeconds(300))).isEqualTo("300s");
        assertThatThrownBy(() -> Durations.parse("5 fortnights"))
                .hasMessage(
                        "'5 fortnights' is not a duration (a number and a unit: ns, us, ms, s, m or h, as in 300s)");
    }
}
