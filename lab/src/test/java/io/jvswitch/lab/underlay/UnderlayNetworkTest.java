package io.jvswitch.lab.underlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvswitch.lab.IpPrefix;
import io.jvswitch.lab.time.Scheduler;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l3.Ipv4;
import io.jvswitch.wire.pcap.PcapReader;
import io.jvswitch.wire.pcap.PcapRecord;
import java.io.File;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnderlayNetworkTest {
    private static final long US = 1_000L;

    private final Scheduler scheduler = new Scheduler();
    private final UnderlayNetwork network = new UnderlayNetwork(scheduler, 42);

    /** What a host's receiver got: virtual time and bytes. */
    private record Received(long time, byte[] frame) {}

    private List<Received> receiverOf(UnderlayHost host) {
        List<Received> got = new ArrayList<>();
        host.receiver((segment, offset, length) -> got.add(
                new Received(scheduler.now(), segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE))));
        return got;
    }

    private static InetAddress ip(String text) {
        return IpPrefix.parseAddress(text);
    }

    /** A VXLAN-looking UDP datagram from {@code from} to {@code to}, addressed as a switch would address it. */
    private static byte[] udpFrame(UnderlayHost from, String to, int ttl, int payloadLength) {
        InetAddress destination = ip(to);
        return new FrameBuilder()
                .ethernet(from.localMac(), from.nextHopMac(destination))
                .ipv4(IpPrefix.ipv4(from.localAddress(destination)), IpPrefix.ipv4(destination))
                .ttl(ttl)
                .udp(49152, 4789)
                .payload(new byte[payloadLength])
                .build();
    }

    private static void send(UnderlayHost from, byte[] frame) {
        from.send(MemorySegment.ofArray(frame), 0, frame.length);
    }

    private UnderlayHost tutorialHost(String name, String address) {
        UnderlayHost host = network.addHost(name);
        host.connect("lan", address + "/24");
        return host;
    }

    @Test
    void hostsOnOneSegmentReachEachOtherDirectly() {
        network.addSegment("lan");
        UnderlayHost host1 = tutorialHost("host1", "192.168.1.100");
        UnderlayHost host2 = tutorialHost("host2", "192.168.1.101");
        UnderlayHost host3 = tutorialHost("host3", "192.168.1.102");
        List<Received> at2 = receiverOf(host2);
        List<Received> at3 = receiverOf(host3);

        assertThat(MacAddress.format(host1.localMac())).isEqualTo("02:00:c0:a8:01:64");
        assertThat(MacAddress.format(host1.nextHopMac(ip("192.168.1.101")))).isEqualTo("02:00:c0:a8:01:65");
        assertThat(host1.localAddress(ip("192.168.1.101"))).isEqualTo(ip("192.168.1.100"));
        assertThat(host1.mtu()).isEqualTo(1500);

        byte[] frame = udpFrame(host1, "192.168.1.101", 64, 50);
        send(host1, frame);
        assertThat(at2).isEmpty(); // delivery takes the segment's latency, on the scheduler
        scheduler.runUntilIdle();

        assertThat(at2).singleElement().satisfies(r -> {
            assertThat(r.time()).isEqualTo(100 * US);
            assertThat(r.frame()).isEqualTo(frame);
        });
        assertThat(at3).isEmpty();
        assertThat(network.segment("lan").counters().frames()).isEqualTo(1);
        assertThat(network.segment("lan").counters().bytes()).isEqualTo(frame.length);
        assertThat(host1.counters().frames()).isEqualTo(1);
        assertThat(host2.received()).isEqualTo(1);
        assertThat(host3.received()).isZero();
    }

    @Test
    void framesForUnknownMacsAddressesAndHostsWithoutASwitchAreCounted() {
        network.addSegment("lan");
        UnderlayHost host1 = tutorialHost("host1", "192.168.1.100");
        UnderlayHost host2 = tutorialHost("host2", "192.168.1.101");

        assertThat(host1.nextHopMac(ip("192.168.1.50"))).isZero(); // on-link, but nobody has it
        assertThat(host1.nextHopMac(ip("10.9.9.9"))).isZero(); // no route
        send(host1, udpFrame(host1, "192.168.1.50", 64, 0));
        send(host1, udpFrame(host1, "192.168.1.101", 64, 0)); // host2 has no receiver yet
        byte[] wrongIp = udpFrame(host1, "192.168.1.101", 64, 0);
        wrongIp[14 + 19] = 99; // to 192.168.1.99, at host2's MAC
        send(host1, wrongIp);
        send(
                host1,
                new FrameBuilder()
                        .ethernet(host1.localMac(), host2.localMac())
                        .ipv4(0xc0a80164, 0x0a000001)
                        .udp(1, 2)
                        .build());
        scheduler.runUntilIdle();

        assertThat(network.segment("lan").counters().drops()).containsExactly(Map.entry(UnderlayDrop.NO_SUCH_MAC, 1L));
        assertThat(host2.counters().drops())
                .containsExactly(Map.entry(UnderlayDrop.NOT_FOR_HOST, 1L), Map.entry(UnderlayDrop.NO_RECEIVER, 1L));
        assertThat(host1.counters().drops()).containsExactly(Map.entry(UnderlayDrop.NO_ROUTE, 1L));
        assertThatThrownBy(() -> host1.localAddress(ip("2001:db8::1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("host1 has no IPv6 address to reach 2001:db8::1 from");
    }

    /** 198.18.0.0/24 — r1 — 198.18.1.0/24 — r2 — 198.18.2.0/24 */
    private void routedTopology() {
        network.addSegment("a");
        network.addSegment("b");
        network.addSegment("c");
        network.addHost("ha").connect("a", "198.18.0.10/24");
        network.host("ha").route("0.0.0.0/0", "198.18.0.1");
        network.addHost("hb").connect("b", "198.18.1.10/24");
        network.host("hb").route("0.0.0.0/0", "198.18.1.1");
        network.addHost("hc").connect("c", "198.18.2.10/24");
        network.host("hc").route("0.0.0.0/0", "198.18.2.1");
        Router r1 = network.addRouter("r1");
        r1.connect("a", "198.18.0.1/24");
        r1.connect("b", "198.18.1.1/24");
        r1.route("198.18.2.0/24", "198.18.1.2");
        Router r2 = network.addRouter("r2");
        r2.connect("b", "198.18.1.2/24");
        r2.connect("c", "198.18.2.1/24");
        r2.route("0.0.0.0/0", "198.18.1.1");
    }

    @Test
    void routersForwardWithTheTtlDecrementedAndTheChecksumRight() {
        routedTopology();
        UnderlayHost ha = network.host("ha");
        List<Received> atB = receiverOf(network.host("hb"));
        List<Received> atC = receiverOf(network.host("hc"));

        assertThat(MacAddress.format(ha.nextHopMac(ip("198.18.2.10")))).isEqualTo("02:00:c6:12:00:01"); // r1 on a
        byte[] sent = udpFrame(ha, "198.18.2.10", 64, 20);
        send(ha, sent);
        byte[] toB = udpFrame(ha, "198.18.1.10", 64, 20);
        send(ha, toB);
        scheduler.runUntilIdle();

        assertThat(atB).singleElement().satisfies(r -> {
            assertThat(r.time()).isEqualTo(200 * US);
            assertThat(ttl(r.frame())).isEqualTo(63);
        });
        assertThat(atC).singleElement().satisfies(r -> {
            assertThat(r.time()).isEqualTo(300 * US);
            byte[] got = r.frame();
            assertThat(ttl(got)).isEqualTo(62);
            assertThat(new Ipv4().wrap(MemorySegment.ofArray(got), 14).checksumValid())
                    .isTrue();
            assertThat(MacAddress.format(mac(got, 0))).isEqualTo("02:00:c6:12:02:0a"); // hc
            assertThat(MacAddress.format(mac(got, 6))).isEqualTo("02:00:c6:12:02:01"); // r2 on c
            // Apart from the MACs, the TTL and the header checksum, the bytes are the ones sent.
            byte[] expected = sent.clone();
            System.arraycopy(got, 0, expected, 0, 12);
            expected[14 + 8] = 62;
            expected[14 + 10] = got[14 + 10];
            expected[14 + 11] = got[14 + 11];
            assertThat(got).isEqualTo(expected);
        });
        assertThat(network.router("r1").counters().frames()).isEqualTo(2);
        assertThat(network.router("r2").counters().frames()).isEqualTo(1);
        assertThat(network.host("hc").localAddress(ip("198.18.0.10"))).isEqualTo(ip("198.18.2.10"));
    }

    @Test
    void aPacketWhoseTtlRunsOutIsDroppedAtTheRouter() {
        routedTopology();
        UnderlayHost ha = network.host("ha");
        List<Received> atC = receiverOf(network.host("hc"));
        List<Received> atB = receiverOf(network.host("hb"));

        send(ha, udpFrame(ha, "198.18.2.10", 1, 0)); // dies at r1
        send(ha, udpFrame(ha, "198.18.2.10", 2, 0)); // dies at r2
        send(ha, udpFrame(ha, "198.18.1.10", 2, 0)); // arrives with TTL 1
        send(ha, udpFrame(ha, "203.0.113.1", 64, 0)); // r1 has no route
        scheduler.runUntilIdle();

        assertThat(atC).isEmpty();
        assertThat(atB)
                .singleElement()
                .satisfies(r -> assertThat(ttl(r.frame())).isEqualTo(1));
        assertThat(network.router("r1").counters().drops())
                .containsExactly(Map.entry(UnderlayDrop.NO_ROUTE, 1L), Map.entry(UnderlayDrop.TTL_EXPIRED, 1L));
        assertThat(network.router("r2").counters().drops()).containsExactly(Map.entry(UnderlayDrop.TTL_EXPIRED, 1L));
    }

    @Test
    void ipv6IsRoutedWithTheHopLimitDecremented() {
        network.addSegment("a");
        network.addSegment("b");
        network.addHost("ha").connect("a", "198.18.0.10/24", "2001:db8:a::10/64");
        network.host("ha").route("::/0", "2001:db8:a::1");
        network.addHost("hb").connect("b", "2001:db8:b::10/64");
        network.host("hb").route("::/0", "2001:db8:b::1");
        Router r = network.addRouter("r");
        r.connect("a", "2001:db8:a::1/64");
        r.connect("b", "2001:db8:b::1/64");
        UnderlayHost ha = network.host("ha");
        List<Received> atB = receiverOf(network.host("hb"));
        InetAddress destination = ip("2001:db8:b::10");
        assertThat(ha.localAddress(destination)).isEqualTo(ip("2001:db8:a::10"));
        assertThat(MacAddress.format(network.host("hb").localMac())).isEqualTo("02:00:00:00:00:10");

        byte[] frame = new FrameBuilder()
                .ethernet(ha.localMac(), ha.nextHopMac(destination))
                .ipv6(ha.localAddress(destination).getAddress(), destination.getAddress())
                .ttl(64)
                .udp(49152, 4789)
                .build();
        send(ha, frame);
        scheduler.runUntilIdle();

        assertThat(atB)
                .singleElement()
                .satisfies(got -> assertThat(got.frame()[14 + 7]).isEqualTo((byte) 63));
    }

    @Test
    void aGroupReachesItsMembersButTheSenderAndStopsReachingOneThatLeft() {
        routedTopology();
        network.addHost("ha2").connect("a", "198.18.0.11/24");
        network.addHost("ha3").connect("a", "198.18.0.12/24");
        UnderlayHost ha = network.host("ha");
        UnderlayHost ha2 = network.host("ha2");
        UnderlayHost ha3 = network.host("ha3");
        UnderlayHost hc = network.host("hc");
        List<Received> at1 = receiverOf(ha);
        List<Received> at2 = receiverOf(ha2);
        List<Received> at3 = receiverOf(ha3);
        List<Received> atB = receiverOf(network.host("hb"));
        List<Received> atC = receiverOf(hc);
        for (UnderlayHost member : List.of(ha, ha2, ha3, hc)) {
            member.join("239.1.1.1");
        }
        assertThat(network.members("239.1.1.1"))
                .containsExactly(ha, hc, ha2, ha3); // in the order they joined the network
        assertThat(MacAddress.format(ha.nextHopMac(ip("239.1.1.1")))).isEqualTo("01:00:5e:01:01:01");

        send(ha, udpFrame(ha, "239.1.1.1", 8, 10));
        scheduler.runUntilIdle();
        assertThat(at1).isEmpty();
        assertThat(at2).hasSize(1);
        assertThat(at3).hasSize(1);
        assertThat(atB).isEmpty();
        assertThat(atC).singleElement().satisfies(r -> {
            assertThat(r.time()).isEqualTo(300 * US);
            assertThat(ttl(r.frame())).isEqualTo(6);
            assertThat(MacAddress.format(mac(r.frame(), 6))).isEqualTo("02:00:c6:12:02:01");
        });

        ha3.leave("239.1.1.1");
        send(ha, udpFrame(ha, "239.1.1.1", 8, 10));
        scheduler.runUntilIdle();
        assertThat(at2).hasSize(2);
        assertThat(at3).hasSize(1);
        assertThat(atC).hasSize(2);
        assertThat(ha3.counters().drops(UnderlayDrop.NOT_FOR_HOST)).isEqualTo(1);
        // hb is not a member: the group's packets cross segment b (towards hc) but are not for hb.
        assertThat(network.host("hb").counters().drops(UnderlayDrop.NOT_FOR_HOST))
                .isEqualTo(2);

        hc.leave("239.1.1.1");
        send(ha, udpFrame(ha, "239.1.1.1", 8, 10));
        scheduler.runUntilIdle();
        assertThat(network.segment("b").counters().frames()).isEqualTo(2); // pruned: no member behind r1 any more
        assertThat(at2).hasSize(3);
    }

    @Test
    void framesBiggerThanTheMtuAreDroppedAndCountedPerLink() {
        network.addSegment("lan").mtu(1400);
        UnderlayHost host1 = tutorialHost("host1", "192.168.1.100");
        UnderlayHost host2 = tutorialHost("host2", "192.168.1.101");
        List<Received> at2 = receiverOf(host2);
        assertThat(host1.mtu()).isEqualTo(1400);

        send(host1, udpFrame(host1, "192.168.1.101", 64, 1400 - 28)); // a 1400-byte packet: fits
        send(host1, udpFrame(host1, "192.168.1.101", 64, 1401 - 28));
        host1.nics().getFirst().mtu(9000); // the host thinks it may send jumbo frames; the link does not carry them
        send(host1, udpFrame(host1, "192.168.1.101", 64, 1500 - 28));
        host1.nics().getFirst().mtu(1400);
        host2.nics().getFirst().mtu(1300); // the receiver's card takes less than the link carries
        send(host1, udpFrame(host1, "192.168.1.101", 64, 1301 - 28));
        scheduler.runUntilIdle();

        assertThat(at2).hasSize(1);
        assertThat(network.segment("lan").counters().drops(UnderlayDrop.MTU_EXCEEDED))
                .isEqualTo(3);
        assertThat(network.segment("lan").counters().frames()).isEqualTo(2);
    }

    @Test
    void lossFromASeedLosesTheSameFramesEveryTime() {
        assertThat(lostOutOf1000(42, 0.25)).isEqualTo(256);
        assertThat(lostOutOf1000(42, 0.25)).isEqualTo(256);
        assertThat(lostOutOf1000(7, 0.25)).isEqualTo(245);
        assertThat(lostOutOf1000(42, 0)).isZero();
        assertThat(lostOutOf1000(42, 1)).isEqualTo(1000);

        // The same count, from the seed the segment's stream is documented to use.
        UnderlayNetwork reference = new UnderlayNetwork(new Scheduler(), 42);
        Random random = new Random(reference.seedFor("segment lan"));
        int expected = 0;
        for (int i = 0; i < 1000; i++) {
            expected += random.nextDouble() < 0.25 ? 1 : 0;
        }
        assertThat(expected).isEqualTo(256);
    }

    private static long lostOutOf1000(long seed, double loss) {
        Scheduler scheduler = new Scheduler();
        UnderlayNetwork network = new UnderlayNetwork(scheduler, seed);
        network.addSegment("lan").loss(loss);
        UnderlayHost host1 = network.addHost("host1");
        host1.connect("lan", "192.168.1.100/24");
        UnderlayHost host2 = network.addHost("host2");
        host2.connect("lan", "192.168.1.101/24");
        int[] received = new int[1];
        host2.receiver((segment, offset, length) -> received[0]++);
        for (int i = 0; i < 1000; i++) {
            send(host1, udpFrame(host1, "192.168.1.101", 64, 10));
        }
        scheduler.runUntilIdle();
        long lost = network.segment("lan").counters().drops(UnderlayDrop.LOST);
        assertThat(lost + received[0]).isEqualTo(1000);
        return lost;
    }

    @Test
    void capturesHoldEveryFrameOnTheSegmentInVirtualTime(@TempDir Path dir) throws Exception {
        routedTopology();
        UnderlayHost ha = network.host("ha");
        receiverOf(network.host("hc"));
        Path onA = dir.resolve("a.pcap");
        Path onC = dir.resolve("c.pcap");
        network.capture("a", onA);
        network.capture("c", onC);
        network.segment("a").latency(Duration.ofMillis(1));

        byte[] inner = new FrameBuilder()
                .ethernet(0xfa163e000001L, MacAddress.BROADCAST)
                .arp(1, 0xfa163e000001L, 0x0a000001, 0, 0x0a000002)
                .build();
        byte[] vxlan = new byte[8 + inner.length];
        vxlan[0] = 0x08;
        vxlan[5] = 0x13; // VNI 5000, bytes 4 to 6
        vxlan[6] = (byte) 0x88;
        System.arraycopy(inner, 0, vxlan, 8, inner.length);
        InetAddress destination = ip("198.18.2.10");
        byte[] first = new FrameBuilder()
                .ethernet(ha.localMac(), ha.nextHopMac(destination))
                .ipv4(IpPrefix.ipv4(ha.localAddress(destination)), IpPrefix.ipv4(destination))
                .udp(50000, 4789)
                .payload(vxlan)
                .build();
        send(ha, first);
        scheduler.runFor(Duration.ofSeconds(1));
        byte[] second = new FrameBuilder()
                .ethernet(ha.localMac(), ha.nextHopMac(destination))
                .ipv4(IpPrefix.ipv4(ha.localAddress(destination)), IpPrefix.ipv4(destination))
                .icmpEcho(true, 1, 1)
                .payload("jvswitch".getBytes(StandardCharsets.US_ASCII))
                .build();
        send(ha, second);
        scheduler.runUntilIdle();
        network.close();

        long start = scheduler.clock().epochNanos() - scheduler.now();
        List<PcapRecord> a = read(onA);
        assertThat(a).extracting(PcapRecord::timestampNanos).containsExactly(start, start + 1_000_000_000L);
        assertThat(a.get(0).data()).isEqualTo(first);
        assertThat(a.get(1).data()).isEqualTo(second);
        List<PcapRecord> c = read(onC);
        // Two router hops later: 1 ms across a, 100 us across b.
        assertThat(c)
                .extracting(PcapRecord::timestampNanos)
                .containsExactly(start + 1_100_000L, start + 1_001_100_000L);
        assertThat(c).allSatisfy(r -> assertThat(ttl(r.data())).isEqualTo(62));

        assumeTrue(onPath("tshark"), "tshark is not on the PATH: the independent check of the captures is skipped");
        for (Path file : List.of(onA, onC)) {
            assertThat(tshark(file, "-T", "fields", "-e", "frame.number")).containsExactly("1", "2");
            assertThat(tshark(file, "-Y", "_ws.malformed || _ws.expert.severity >= 6291456"))
                    .as("malformed or bad-checksum packets in %s", file)
                    .isEmpty();
            assertThat(tshark(file, "-T", "fields", "-e", "vxlan.vni", "-e", "arp.dst.proto_ipv4", "-e", "ip.ttl"))
                    .first()
                    .isEqualTo("5000\t10.0.0.2\t" + (file == onA ? "64" : "62"));
        }
    }

    private static List<PcapRecord> read(Path file) throws Exception {
        List<PcapRecord> records = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(file)) {
            for (PcapRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        return records;
    }

    private static List<String> tshark(Path file, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "tshark",
                "-n",
                "-r",
                file.toString(),
                "-o",
                "ip.check_checksum:TRUE",
                "-o",
                "udp.check_checksum:TRUE"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("tshark exit status").isZero();
        return out.lines().toList();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    private static int ttl(byte[] frame) {
        return frame[14 + 8] & 0xff;
    }

    private static long mac(byte[] frame, int offset) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (frame[offset + i] & 0xff);
        }
        return mac;
    }
}
