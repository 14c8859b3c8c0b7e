package io.jvswitch.lab.jvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.guest.PingOptions;
import io.jvswitch.lab.guest.PingResult;
import io.jvswitch.lab.topology.TopologyLoader;
import io.jvswitch.lab.underlay.CapturedFrame;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 7, the tutorial's first example: A (192.168.1.1) behind router RA pings B (192.168.2.1) behind router RB;
 * RA (1.1.1.1) and RB (2.2.2.2) are jvswitch with a {@code packet_type=legacy_l3} GRE port each, and between them is
 * a routed internet. The packet between RA and the internet is A's IP packet, one router older, inside IPv4 1.1.1.1
 * -> 2.2.2.2 protocol 47 and a GRE header with flags 0, version 0, protocol 0x0800.
 */
class L3GreScenarioTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The 56 bytes of data a lab guest's ping carries: 0x10, 0x11, ... */
    private static final String PING_DATA = "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
            + "303132333435363738393a3b3c3d3e3f4041424344454647";

    /**
     * A's first echo request on the A-RA link: to RA's MAC (02:00 and 192.168.1.254, learned by ARP) from A's;
     * IPv4 192.168.1.1 > 192.168.2.1, id 1, DF, TTL 64, ICMP echo request id 1 seq 1.
     */
    private static final String LAN_A_ECHO_1 = "0200c0a801fe" + "525400000101" + "0800"
            + "45000054000140004001b655c0a80101c0a80201" + "08003f2900010001" + PING_DATA;

    /**
     * The same request between RA and the internet: to the internet router's MAC (02:00:01:01:01:fe) from RA's;
     * IPv4 1.1.1.1 > 2.2.2.2, length 108, id 0, DF, TTL 64, protocol 47; GRE flags and version 0, protocol 0x0800;
     * then A's IP packet with TTL 63 and its header checksum 0x0100 more. No inner Ethernet header.
     */
    private static final String RA_INTERNET_ECHO_1 = "0200010101fe" + "020001010101" + "0800"
            + "4500006c00004000402f345e0101010102020202" + "00000800"
            + "45000054000140003f01b755c0a80101c0a80201" + "08003f2900010001" + PING_DATA;

    /** What B receives: from RB's MAC (02:00 and 192.168.2.254) to B's, TTL 62 (RA and RB each took one). */
    private static final String LAN_B_ECHO_1 = "525400000201" + "0200c0a802fe" + "0800"
            + "45000054000140003e01b855c0a80101c0a80201" + "08003f2900010001" + PING_DATA;

    private static final PingOptions THREE = new PingOptions(3, Duration.ofSeconds(1), Duration.ofSeconds(1), 56);

    /** Every frame on every link, per link. */
    private record Wires(
            List<CapturedFrame> lanA,
            List<CapturedFrame> raInternet,
            List<CapturedFrame> internetRb,
            List<CapturedFrame> lanB) {
        static Wires watch(Lab lab, GreRouterSwitching routers) {
            Wires wires = new Wires(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            routers.tap("lan-a", wires.lanA::add);
            lab.underlay().segment("ra-internet").tap(wires.raInternet::add);
            lab.underlay().segment("internet-rb").tap(wires.internetRb::add);
            routers.tap("lan-b", wires.lanB::add);
            return wires;
        }
    }

    private static String hex(CapturedFrame frame) {
        return HEX.formatHex(frame.frame());
    }

    private static int u8(byte[] frame, int at) {
        return frame[at] & 0xff;
    }

    private static int u16(byte[] frame, int at) {
        return (u8(frame, at) << 8) | u8(frame, at + 1);
    }

    /** The IPv4 header checksum of the header at {@code at}, computed from scratch (RFC 791), not incrementally. */
    private static int ipv4Checksum(byte[] packet, int at) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += i == 10 ? 0 : u16(packet, at + i);
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    /** {@code ip}, an IPv4 packet, as the next router passes it on: TTL one less, header checksum recomputed. */
    private static byte[] oneHopOlder(byte[] ip) {
        byte[] older = ip.clone();
        older[8]--;
        older[10] = 0;
        older[11] = 0;
        int checksum = ipv4Checksum(older, 0);
        older[10] = (byte) (checksum >>> 8);
        older[11] = (byte) checksum;
        return older;
    }

    /** True for an outer IPv4 GRE packet between {@code source} and {@code destination} carrying bare IPv4. */
    private static boolean greIpv4(byte[] frame, String source, String destination) {
        return u16(frame, 12) == 0x0800
                && u8(frame, 14 + 9) == 47
                && HEX.formatHex(frame, 26, 34).equals(source + destination)
                && u16(frame, 34) == 0x0000 // C, K, S, reserved and version all 0
                && u16(frame, 36) == 0x0800;
    }

    @Test
    void aPingsBThreeTimesInsideL3GreAcrossTheInternet() throws Exception {
        GreRouterSwitching routers = new GreRouterSwitching();
        try (Lab lab = Lab.build(TopologyLoader.l3Gre())) {
            Wires wires = Wires.watch(lab, routers);
            lab.attach(routers);

            PingResult ping = lab.vm("A").ping("192.168.2.1", THREE).await();

            assertThat(ping.summary()).isEqualTo("3 packets transmitted, 3 received, 0% packet loss");
            assertThat(ping.replies())
                    .as("B's replies reach A with TTL 62: RA and RB each took one, the internet none of A's")
                    .allSatisfy(reply -> assertThat(reply.ttl()).isEqualTo(62));

            // Before encapsulation: A asks for its gateway, RA's ARP responder answers, then the echo request.
            assertThat(wires.lanA().subList(0, 3).stream().map(L3GreScenarioTest::hex))
                    .containsExactly(
                            "ffffffffffff" + "525400000101" + "0806" + "0001080006040001" + "525400000101" + "c0a80101"
                                    + "000000000000" + "c0a801fe",
                            "525400000101" + "0200c0a801fe" + "0806" + "0001080006040002" + "0200c0a801fe" + "c0a801fe"
                                    + "525400000101" + "c0a80101",
                            LAN_A_ECHO_1);

            // After encapsulation, between RA and the internet.
            List<CapturedFrame> outside = wires.raInternet();
            assertThat(hex(outside.getFirst())).isEqualTo(RA_INTERNET_ECHO_1);
            byte[] before = wires.lanA().get(2).frame();
            byte[] after = outside.getFirst().frame();
            assertThat(Arrays.copyOfRange(after, 38, after.length))
                    .as("the GRE payload is A's IP packet byte for byte, TTL one less")
                    .isEqualTo(oneHopOlder(Arrays.copyOfRange(before, 14, before.length)));
            assertThat(ipv4Checksum(after, 14)).isEqualTo(u16(after, 24));
            assertThat(u8(after, 14 + 8))
                    .as("outer TTL: the tunnel's default, 64")
                    .isEqualTo(64);

            // Nothing else crosses the internet: the three requests out, the three replies back, all GRE.
            assertThat(outside).hasSize(6);
            for (int i = 0; i < 6; i++) {
                byte[] frame = outside.get(i).frame();
                boolean request = i % 2 == 0;
                assertThat(greIpv4(frame, request ? "01010101" : "02020202", request ? "02020202" : "01010101"))
                        .as("frame %d on ra-internet: %s", i, hex(outside.get(i)))
                        .isTrue();
                assertThat(HEX.formatHex(frame, 38 + 12, 38 + 20))
                        .as("inner %s", request ? "A > B" : "B > A")
                        .isEqualTo(request ? "c0a80101c0a80201" : "c0a80201c0a80101");
                assertThat(u8(frame, 38 + 20))
                        .as("ICMP echo %s", request ? "request" : "reply")
                        .isEqualTo(request ? 8 : 0);
            }
            assertThat(wires.internetRb()).hasSize(6);
            byte[] across = wires.internetRb().getFirst().frame();
            assertThat(u8(across, 14 + 8))
                    .as("the internet router took one from the outer TTL")
                    .isEqualTo(63);
            assertThat(u8(across, 38 + 8)).as("and none from A's").isEqualTo(63);
            assertThat(Arrays.copyOfRange(across, 34, across.length))
                    .isEqualTo(Arrays.copyOfRange(after, 34, after.length));

            // After decapsulation, on B's LAN.
            assertThat(wires.lanB().stream().map(L3GreScenarioTest::hex))
                    .first()
                    .isEqualTo(LAN_B_ECHO_1);
            assertThat(wires.lanA().stream()
                            .filter(f -> u16(f.frame(), 12) == 0x0806)
                            .count())
                    .as("A's ARP stays on A's LAN: asked once, answered once")
                    .isEqualTo(2);

            for (GreRouter router : routers.routers()) {
                assertThat(router.datapath().dropCounters()).as(router.name()).isEmpty();
            }
        }
    }

    @Test
    void eachRouterTakesOneFromTheTtlAndDropsWhatRunsOut() throws Exception {
        GreRouterSwitching routers = new GreRouterSwitching();
        try (Lab lab = Lab.build(TopologyLoader.l3Gre())) {
            Wires wires = Wires.watch(lab, routers);
            lab.attach(routers);
            GreRouter ra = routers.router("RA");
            GreRouter rb = routers.router("RB");
            EthernetPort lan0 = (EthernetPort) ra.bridge().port("lan0");

            for (int ttl : new int[] {1, 2}) {
                byte[] frame = new FrameBuilder()
                        .ethernet(MacAddress.parse("52:54:00:00:01:01"), MacAddress.parse("02:00:c0:a8:01:fe"))
                        .ipv4(0xc0a80101, 0xc0a80201)
                        .ttl(ttl)
                        .icmpEcho(true, 9, ttl)
                        .build();
                ra.datapath().receive(lan0, MemorySegment.ofArray(frame), 0, frame.length);
                lab.scheduler().runFor(Duration.ofMillis(10));
            }

            assertThat(ra.datapath().dropCounters())
                    .as("TTL 1: dec_ttl at RA stops it")
                    .isEqualTo(Map.of("ttl_exceeded", 1L));
            assertThat(wires.raInternet()).as("only the TTL 2 packet crosses").hasSize(1);
            assertThat(u8(wires.raInternet().getFirst().frame(), 38 + 8)).isEqualTo(1);
            assertThat(rb.datapath().dropCounters())
                    .as("TTL 2 arrives with 1: dec_ttl at RB stops it")
                    .isEqualTo(Map.of("ttl_exceeded", 1L));
            assertThat(wires.lanB()).isEmpty();
        }
    }

    @Test
    void theRoutersFlowsAreOvsOfctlText() {
        assertThat(GreRouterSwitching.flows(
                        TopologyLoader.l3Gre(),
                        TopologyLoader.l3Gre().host("RA").orElseThrow()))
                .containsExactly(
                        "table=0,priority=100,arp,in_port=1,arp_tpa=192.168.1.254,arp_op=1"
                                + " actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:02:00:c0:a8:01:fe,"
                                + "load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"
                                + "move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0x200c0a801fe->NXM_NX_ARP_SHA[],"
                                + "load:0xc0a801fe->NXM_OF_ARP_SPA[],in_port",
                        "table=0,priority=50,ip,in_port=1,nw_dst=192.168.2.0/24 actions=dec_ttl,output:2",
                        "table=0,priority=50,ip,in_port=2,nw_dst=192.168.1.1"
                                + " actions=mod_dl_src:02:00:c0:a8:01:fe,mod_dl_dst:52:54:00:00:01:01,dec_ttl,output:1",
                        "table=0,priority=0 actions=drop");
    }

    @Test
    void theTopologysScriptPassesAndAnUnroutedPingNeverLeavesRa() throws Exception {
        GreRouterSwitching routers = new GreRouterSwitching();
        try (Lab lab = Lab.build(TopologyLoader.l3Gre())) {
            Wires wires = Wires.watch(lab, routers);
            lab.attach(routers);

            var report = lab.runScript();

            assertThat(report.lines())
                    .containsExactly(
                            "[   2.000400] ok   ping A -> 192.168.2.1: 3 packets transmitted, 3 received, 0% packet"
                                    + " loss, rtt min/avg/max = 0.400/0.400/0.400 ms",
                            "[   2.000800] ok   ping B -> 192.168.1.1: 1 packets transmitted, 1 received, 0% packet"
                                    + " loss, rtt min/avg/max = 0.400/0.400/0.400 ms",
                            "[   4.000800] ok   ping A -> 192.168.3.1: 1 packets transmitted, 0 received, 100% packet"
                                    + " loss");
            assertThat(wires.raInternet())
                    .as("A to B three times and B to A once, both ways; nothing for 192.168.3.1")
                    .hasSize(8);
            assertThat(routers.router("RA").datapath().dropCounters())
                    .as("RA's last flow drops it")
                    .isEqualTo(Map.of("no_output", 1L));
        }
    }
}
