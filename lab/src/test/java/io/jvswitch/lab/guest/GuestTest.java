package io.jvswitch.lab.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.lab.time.Scheduler;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Ethernet;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final Scheduler scheduler = new Scheduler();
    private final Recorder recorder = new Recorder(scheduler);
    private final Guest vm1 = new Guest(scheduler, GuestConfig.of("vm1", "fa:16:3e:00:00:01", "10.0.0.1/24"));
    private final Guest vm2 = new Guest(scheduler, GuestConfig.of("vm2", "fa:16:3e:00:00:02", "10.0.0.2/24"));

    /** vm1 and vm2 back to back through the recorder, half a millisecond each way. */
    private void wire(Guest a, Guest b) {
        a.connect(recorder.tap(a.name(), Cable.delayed(scheduler, Duration.ofNanos(MS / 2), b)));
        b.connect(recorder.tap(b.name(), Cable.delayed(scheduler, Duration.ofNanos(MS / 2), a)));
    }

    @Test
    void aPingResolvesWithArpFirstThenEchoes() {
        wire(vm1, vm2);

        PingResult result = vm1.ping("10.0.0.2").await();

        assertThat(result.success()).isTrue();
        assertThat(result.summary()).isEqualTo("1 packets transmitted, 1 received, 0% packet loss");
        // The request waited for ARP: request 0.5 ms out, reply 0.5 ms back, then the echo round trip.
        assertThat(result.replies()).containsExactly(new PingResult.Reply(1, 2 * MS, 64));
        assertThat(recorder.frames).extracting(Recorder.Frame::time).containsExactly(0L, MS / 2, MS, 3 * MS / 2);
        assertThat(recorder.frames).extracting(Recorder.Frame::from).containsExactly("vm1", "vm2", "vm1", "vm2");
        assertThat(recorder.frames.get(0).dissected())
                .containsExactly(
                        "Ethernet  fa:16:3e:00:00:01 > ff:ff:ff:ff:ff:ff, type ARP (0x0806)",
                        "ARP       request who-has 10.0.0.2 tell 10.0.0.1 (fa:16:3e:00:00:01)");
        assertThat(recorder.frames.get(1).dissected())
                .containsExactly(
                        "Ethernet  fa:16:3e:00:00:02 > fa:16:3e:00:00:01, type ARP (0x0806)",
                        "ARP       reply 10.0.0.2 is-at fa:16:3e:00:00:02");
        assertThat(recorder.frames.get(2).dissected())
                .containsExactly(
                        "Ethernet  fa:16:3e:00:00:01 > fa:16:3e:00:00:02, type IPv4 (0x0800)",
                        "IPv4      10.0.0.1 > 10.0.0.2, proto ICMP (1), ttl 64, tos 0x00 (DSCP 0, Not-ECT), id 0x0001,"
                                + " DF, length 84, checksum 0x26a6 [correct]",
                        "ICMP      echo request, id 1, seq 1, length 64, checksum 0x3f29 [correct]");
        assertThat(recorder.frames.get(3).dissected())
                .containsExactly(
                        "Ethernet  fa:16:3e:00:00:02 > fa:16:3e:00:00:01, type IPv4 (0x0800)",
                        "IPv4      10.0.0.2 > 10.0.0.1, proto ICMP (1), ttl 64, tos 0x00 (DSCP 0, Not-ECT), id 0x0001,"
                                + " DF, length 84, checksum 0x26a6 [correct]",
                        "ICMP      echo reply, id 1, seq 1, length 64, checksum 0x4729 [correct]");
        assertThat(recorder.frames).allSatisfy(f -> assertThat(f.bytes().length).isIn(42, 98));
        assertThat(vm1.neighbors()).containsExactly(java.util.Map.entry("10.0.0.2", 0xfa163e000002L));
        assertThat(vm2.neighbors()).containsExactly(java.util.Map.entry("10.0.0.1", 0xfa163e000001L));
    }

    @Test
    void guestsWiredBackToBackPingInNoTime() {
        Cable.connect(vm1, vm2);

        PingResult result = vm1.ping("10.0.0.2").await();

        assertThat(result.replies()).containsExactly(new PingResult.Reply(1, 0, 64));
        assertThat(vm1.framesSent()).isEqualTo(2); // ARP request, echo request
        assertThat(vm2.framesSent()).isEqualTo(2); // ARP reply, echo reply
        assertThat(vm1.drops()).isEmpty();
        assertThat(vm2.drops()).isEmpty();
    }

    @Test
    void laterPingsUseTheCacheAndMeasureTheRoundTrip() {
        wire(vm1, vm2);

        PingResult result = vm1.ping("10.0.0.2", PingOptions.count(3)).await();

        assertThat(result.replies())
                .containsExactly(
                        new PingResult.Reply(1, 2 * MS, 64),
                        new PingResult.Reply(2, MS, 64),
                        new PingResult.Reply(3, MS, 64));
        assertThat(recorder.count(Ethernet.TYPE_ARP)).isEqualTo(2);
        assertThat(recorder.count(Ethernet.TYPE_IPV4)).isEqualTo(6);
        assertThat(scheduler.now()).isEqualTo(2 * SECOND + MS);
    }

    @Test
    void aPingToNobodyTimesOutAtItsTimeout() {
        wire(vm1, vm2);

        Ping ping = vm1.ping("10.0.0.99", PingOptions.count(1).withTimeout(Duration.ofSeconds(2)));
        PingResult result = ping.await();

        assertThat(scheduler.now()).isEqualTo(2 * SECOND);
        assertThat(result.transmitted()).isEqualTo(1);
        assertThat(result.received()).isZero();
        assertThat(result.timedOut()).containsExactly(1);
        assertThat(result.failure()).isTrue();
        assertThat(result.summary()).isEqualTo("1 packets transmitted, 0 received, 100% packet loss");

        scheduler.runUntilIdle();
        assertThat(recorder.frames).extracting(Recorder.Frame::time).containsExactly(0L, SECOND, 2 * SECOND);
        assertThat(recorder.frames)
                .allSatisfy(f -> assertThat(f.dissected().get(1))
                        .isEqualTo("ARP       request who-has 10.0.0.99 tell 10.0.0.1 (fa:16:3e:00:00:01)"));
        assertThat(vm1.drops(GuestDrop.NEIGHBOR_FAILED)).isEqualTo(1);
        assertThat(vm1.log())
                .containsExactly("3.000000 vm1: no reply for 10.0.0.99 after 3 ARP requests: dropped 1 queued packet");
    }

    @Test
    void anExpiredArpEntryIsResolvedAgain() {
        wire(vm1, vm2);
        assertThat(vm1.config().neighborTimeout()).isEqualTo(Duration.ofSeconds(60));

        vm1.ping("10.0.0.2").await();
        assertThat(recorder.count(Ethernet.TYPE_ARP)).isEqualTo(2);

        scheduler.runUntil(30 * SECOND);
        assertThat(vm1.ping("10.0.0.2").await().success()).isTrue();
        assertThat(recorder.count(Ethernet.TYPE_ARP)).isEqualTo(2);
        assertThat(vm1.neighbor("10.0.0.2")).hasValue(0xfa163e000002L);

        scheduler.runUntil(60 * SECOND + MS / 2); // the entry was learned at 1 ms: it expires at 60.001 s
        assertThat(vm1.neighbor("10.0.0.2")).hasValue(0xfa163e000002L);
        scheduler.runUntil(60 * SECOND + MS);
        assertThat(vm1.neighbor("10.0.0.2")).isEmpty();
        assertThat(vm1.neighbors()).isEmpty();

        assertThat(vm1.ping("10.0.0.2").await().success()).isTrue();
        assertThat(recorder.count(Ethernet.TYPE_ARP)).isEqualTo(4);
        Recorder.Frame again = recorder.frames.get(recorder.frames.size() - 4);
        assertThat(again.time()).isEqualTo(60 * SECOND + MS);
        assertThat(again.dissected().get(1))
                .isEqualTo("ARP       request who-has 10.0.0.2 tell 10.0.0.1 (fa:16:3e:00:00:01)");
    }

    @Test
    void framesBiggerThanTheMtuAreRefusedOnSendAndDroppedOnReceive() {
        Guest small = new Guest(
                scheduler,
                GuestConfig.of("small", "fa:16:3e:00:00:03", "10.0.0.3/24").withMtu(1400));
        wire(vm1, small);

        // 1372 bytes of data + 8 + 20 = a 1400-byte packet: the largest that fits.
        assertThat(small.ping("10.0.0.1", PingOptions.count(1).withSize(1372))
                        .await()
                        .success())
                .isTrue();

        PingResult refused =
                small.ping("10.0.0.1", PingOptions.count(1).withSize(1373)).await();
        assertThat(refused.transmitted()).isZero();
        assertThat(refused.errors()).containsExactly("icmp_seq=1: message too long, mtu=1400");
        assertThat(refused.summary()).isEqualTo("0 packets transmitted, 0 received, +1 errors, 100% packet loss");
        assertThat(small.drops(GuestDrop.TX_TOO_BIG)).isEqualTo(1);
        assertThat(small.log())
                .containsExactly("0.002000 small: ping 10.0.0.1: message too long: 1401-byte packet, mtu 1400");

        int sent = recorder.frames.size();
        PingResult tooBig =
                vm1.ping("10.0.0.3", PingOptions.count(1).withSize(1373)).await();
        assertThat(recorder.frames).hasSize(sent + 1);
        assertThat(recorder.frames.getLast().bytes()).hasSize(1415);
        assertThat(tooBig.timedOut()).containsExactly(1);
        assertThat(small.drops(GuestDrop.RX_TOO_BIG)).isEqualTo(1);
    }

    @Test
    void udpEchoSendsTheDatagramBack() {
        wire(vm1, vm2);
        vm2.udpEcho(7);

        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        assertThat(vm1.sendUdp("10.0.0.2", 40000, 7, hello)).isNull();
        scheduler.runUntilIdle();

        assertThat(vm2.udpInbox()).hasSize(1);
        assertThat(vm1.udpInbox()).singleElement().satisfies(d -> {
            assertThat(d.toString()).isEqualTo("10.0.0.2:7 > 10.0.0.1:40000 (5 bytes)");
            assertThat(d.payload()).isEqualTo(hello);
            assertThat(d.timeNanos()).isEqualTo(2 * MS);
        });
        List<String> request = recorder.frames.get(2).dissected();
        assertThat(request.get(2))
                .startsWith("UDP       40000 > 7, length 13, checksum ")
                .endsWith("[correct]");
    }

    @Test
    void offLinkNeedsAGateway() {
        wire(vm1, vm2);
        assertThat(vm1.sendUdp("192.0.2.1", 1, 2, new byte[0])).isEqualTo(GuestDrop.TX_UNREACHABLE);
        assertThat(vm1.log()).containsExactly("0.000000 vm1: udp to 192.0.2.1:2: network is unreachable (no gateway)");

        Guest routed = new Guest(
                scheduler,
                GuestConfig.of("routed", "fa:16:3e:00:00:04", "10.0.0.4/24").withGateway("10.0.0.2"));
        wire(routed, vm2);
        assertThat(routed.sendUdp("192.0.2.1", 1, 2, new byte[0])).isNull();
        scheduler.runUntilIdle();
        // Resolved the gateway, then sent it the datagram for 192.0.2.1 (which vm2 does not take).
        assertThat(recorder.frames.get(0).dissected().get(1))
                .isEqualTo("ARP       request who-has 10.0.0.2 tell 10.0.0.4 (fa:16:3e:00:00:04)");
        assertThat(recorder.frames.get(2).dissected().get(1)).startsWith("IPv4      10.0.0.4 > 192.0.2.1,");
        assertThat(vm2.drops(GuestDrop.RX_NOT_FOR_US)).isEqualTo(1);
    }

    @Test
    void badChecksumsAndOtherMacsAreDropped() {
        byte[] echo = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .icmpEcho(true, 1, 1)
                .payload(new byte[8])
                .build();
        echo[echo.length - 1] ^= 1; // the data no longer matches the ICMP checksum
        vm2.deliver(MemorySegment.ofArray(echo), 0, echo.length);

        byte[] other = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000009L)
                .ipv4(0x0a000001, 0x0a000002)
                .icmpEcho(true, 1, 1)
                .build();
        vm2.deliver(MemorySegment.ofArray(other), 0, other.length);
        byte[] tagged = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .vlan(5)
                .ipv4(0x0a000001, 0x0a000002)
                .icmpEcho(true, 1, 1)
                .build();
        vm2.deliver(MemorySegment.ofArray(tagged), 0, tagged.length);
        byte[] broken = new byte[20]; // to vm2, IPv4, and six bytes of an IPv4 header
        MemorySegment.ofArray(broken).asSlice(0, 6).copyFrom(MemorySegment.ofArray(new byte[] {-6, 22, 62, 0, 0, 2}));
        broken[12] = 0x08;
        vm2.deliver(MemorySegment.ofArray(broken), 0, broken.length);
        scheduler.runUntilIdle();

        assertThat(vm2.framesReceived()).isEqualTo(4);
        assertThat(vm2.framesSent()).isZero();
        assertThat(vm2.drops())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                        GuestDrop.RX_BAD_CHECKSUM, 1L,
                        GuestDrop.RX_NOT_FOR_US, 1L,
                        GuestDrop.RX_WRONG_VLAN, 1L,
                        GuestDrop.RX_MALFORMED, 1L));
        assertThat(vm2.log()).containsExactly("0.000000 vm2: dropped a malformed 20-byte frame: ipv4_truncated");
    }

    @Test
    void aTaggedGuestTagsWhatItSendsAndTakesOnlyItsVlan() {
        Guest a = new Guest(
                scheduler,
                GuestConfig.of("a", "fa:16:3e:00:00:0a", "10.0.0.10/24").withVlan(100));
        Guest b = new Guest(
                scheduler,
                GuestConfig.of("b", "fa:16:3e:00:00:0b", "10.0.0.11/24").withVlan(100));
        wire(a, b);
        assertThat(a.ping("10.0.0.11").await().success()).isTrue();
        assertThat(recorder.frames.get(0).dissected().get(1)).startsWith("802.1Q    vlan 100");
        assertThat(recorder.frames.get(2).bytes()).hasSize(102);
    }

    @Test
    void aTaggedGuestTakesFramesOfItsMtuPlusEighteen() {
        Guest a = new Guest(
                scheduler,
                GuestConfig.of("a", "fa:16:3e:00:00:0a", "10.0.0.10/24")
                        .withVlan(7)
                        .withMtu(1400));
        Guest b = new Guest(
                scheduler,
                GuestConfig.of("b", "fa:16:3e:00:00:0b", "10.0.0.11/24")
                        .withVlan(7)
                        .withMtu(1400));
        wire(a, b);
        assertThat(a.ping("10.0.0.11", PingOptions.count(1).withSize(1372))
                        .await()
                        .success())
                .isTrue();
        assertThat(recorder.frames.get(2).bytes()).hasSize(1418);
        assertThat(b.drops()).isEmpty();
    }

    @Test
    void ipv6PingsAfterNeighborDiscovery() {
        Guest a = new Guest(
                scheduler,
                GuestConfig.of("a", "fa:16:3e:00:00:0a", "10.0.0.10/24").withIpv6("2001:db8::a/64"));
        Guest b = new Guest(
                scheduler,
                GuestConfig.of("b", "fa:16:3e:00:00:0b", "10.0.0.11/24").withIpv6("2001:db8::b/64"));
        wire(a, b);

        PingResult result = a.ping("2001:db8::b", PingOptions.count(2)).await();

        assertThat(result.replies())
                .containsExactly(new PingResult.Reply(1, 2 * MS, 64), new PingResult.Reply(2, MS, 64));
        assertThat(recorder.frames).hasSize(6);
        List<String> solicitation = recorder.frames.get(0).dissected();
        assertThat(solicitation.get(0))
                .isEqualTo("Ethernet  fa:16:3e:00:00:0a > 33:33:ff:00:00:0b, type IPv6 (0x86dd)");
        assertThat(solicitation.get(1))
                .startsWith("IPv6      2001:db8::a > ff02::1:ff00:b, next header ")
                .contains("hop limit 255");
        assertThat(solicitation.get(2))
                .startsWith("ICMPv6    neighbor solicitation,")
                .endsWith("[correct]");
        assertThat(recorder.frames.get(1).dissected().get(2)).startsWith("ICMPv6    neighbor advertisement");
        assertThat(a.neighbor("2001:db8::b")).hasValue(0xfa163e00000bL);
        assertThat(b.neighbor("2001:db8::a")).hasValue(0xfa163e00000aL);
        assertThat(MacAddress.format(b.mac())).isEqualTo("fa:16:3e:00:00:0b");
    }
}
