package io.jvswitch.datapath.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.DatapathDrop;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.netio.Errno;
import io.jvswitch.netio.TestNamespace;
import io.jvswitch.netio.TestNamespace.Ipv6;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.wire.DropReason;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.build.FrameBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The socket underlay's queued sends, in a namespace of the test's own with nowhere to send to. */
@Tag("privileged")
class SocketUnderlayTest {
    @Test
    void packetsTheKernelRefusesAreCountedWithTheirErrnoWhetherSentByAFullBatchOrByTheFlush() throws Exception {
        TestNamespace.assumePrivileged();
        // 198.18.99.1 from a namespace with only loopback: no route, so the kernel refuses every packet.
        byte[] frame = new FrameBuilder()
                .ethernet(0x020000000001L, 0x020000000002L)
                .ipv4(0xc6120001, 0xc6126301)
                .udp(50000, 4789)
                .payload(new byte[8])
                .build();
        try (TestNamespace namespace = TestNamespace.create("ul", Ipv6.OFF_TO_KEEP_LINKS_QUIET)) {
            SocketUnderlay underlay = new SocketUnderlay(SocketUnderlay.Settings.ipv4(null));
            Datapath datapath = new Datapath(InstantSource.system(), underlay);
            try (EpollForwarder forwarder = EpollForwarder.start(datapath, underlay, namespace.name, "jvs-dp-ul")) {
                forwarder
                        .submit(() -> {
                            try (Arena arena = Arena.ofConfined()) {
                                MemorySegment packet = arena.allocate(frame.length);
                                MemorySegment.copy(MemorySegment.ofArray(frame), 0, packet, 0, frame.length);
                                // 40 = one full queue of 32, sent from send() itself, and 8 left for the flush
                                // that follows the task; the buffer is gone before then: the queue holds copies.
                                for (int i = 0; i < 40; i++) {
                                    underlay.send(packet, 0, frame.length);
                                }
                            }
                            return null;
                        })
                        .get(10, TimeUnit.SECONDS);
                Map<String, Long> drops =
                        forwarder.submit(datapath::dropCounters).get(10, TimeUnit.SECONDS);

                assertThat(drops).containsEntry("underlay_send_failed", 40L);
                assertThat(underlay.sendFailures()).isEqualTo(40);
                assertThat(underlay.lastSendErrno()).isEqualTo(Errno.ENETUNREACH);
            }
        }
    }

    @Test
    void aTunnelWithNoRouteToItsRemoteDropsItsPacketsAsTunnelNoRoute() throws Exception {
        TestNamespace.assumePrivileged();
        byte[] inner = new FrameBuilder()
                .ethernet(0x020000000001L, 0x020000000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(40000, 53)
                .payload(new byte[8])
                .build();
        try (TestNamespace namespace = TestNamespace.create("ul", Ipv6.OFF_TO_KEEP_LINKS_QUIET)) {
            SocketUnderlay underlay = new SocketUnderlay(SocketUnderlay.Settings.ipv4(null));
            Datapath datapath = new Datapath(InstantSource.system(), underlay);
            TunnelPort tunnel = new TunnelPort(
                    "vx0", TunnelConfig.fromOptions(TunnelType.VXLAN, Map.of("remote_ip", "198.18.99.1", "key", "5")));
            try (EpollForwarder forwarder = EpollForwarder.start(datapath, underlay, namespace.name, "jvs-dp-ul");
                    Arena arena = Arena.ofShared()) {
                // Twice: the second answer comes from the remembered failure, not from another route lookup.
                for (int i = 0; i < 2; i++) {
                    DropReason dropped = forwarder
                            .submit(() -> tunnel.send(PacketBuffer.of(arena, inner), 5, 0, 0, 0, underlay))
                            .get(10, TimeUnit.SECONDS);
                    assertThat(dropped).isEqualTo(DatapathDrop.TUNNEL_NO_ROUTE);
                }
                assertThat(underlay.sendFailures()).isZero();
            }
        }
    }
}
