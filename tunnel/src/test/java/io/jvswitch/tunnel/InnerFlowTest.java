package io.jvswitch.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.build.FrameBuilder;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InnerFlowTest {
    private static final long VM1 = 0xfa163e000001L;
    private static final long VM2 = 0xfa163e000002L;

    /** Frames of every shape the two paths must agree on, built from a seeded random source. */
    private static List<byte[]> frames() {
        Random random = new Random(7348);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int source = random.nextInt();
            int destination = random.nextInt();
            int tos = random.nextInt(256);
            int ttl = 1 + random.nextInt(255);
            frames.add(new FrameBuilder()
                    .ethernet(VM1, VM2)
                    .ipv4(source, destination)
                    .tos(tos)
                    .ttl(ttl)
                    .udp(random.nextInt(65536), random.nextInt(65536))
                    .build());
            frames.add(new FrameBuilder()
                    .ethernet(VM1, VM2)
                    .ipv4(source, destination)
                    .tos(tos)
                    .ttl(ttl)
                    .tcp(random.nextInt(65536), random.nextInt(65536), 0x10)
                    .build());
            frames.add(new FrameBuilder()
                    .ethernet(VM1, VM2)
                    .ipv4(source, destination)
                    .tos(tos)
                    .ttl(ttl)
                    .icmpEcho(true, i, 1)
                    .build());
        }
        frames.add(new FrameBuilder()
                .ethernet(VM1, VM2)
                .vlan(5)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(1, 2)
                .build());
        frames.add(new FrameBuilder()
                .ethernet(VM1, VM2)
                .arp(1, VM1, 0x0a000001, 0, 0x0a000002)
                .build());
        frames.add(new byte[] {1, 2, 3});
        return frames;
    }

    @Test
    void theFastPathHashesAsTheGeneralPathDoes() {
        InnerFlow fast = new InnerFlow();
        InnerFlow general = new InnerFlow();
        for (byte[] frame : frames()) {
            MemorySegment segment = MemorySegment.ofArray(frame);
            fast.ofEthernet(segment, 0, frame.length);
            general.ofEthernetGeneral(segment, 0, frame.length);
            assertThat(fast.hash()).isEqualTo(general.hash());
            assertThat(fast.ipOffset()).isEqualTo(general.ipOffset());
            assertThat(fast.ipVersion()).isEqualTo(general.ipVersion());
            assertThat(fast.tos()).isEqualTo(general.tos());
            assertThat(fast.ttl()).isEqualTo(general.ttl());
        }
    }

    @Test
    void theIpHeaderLookFindsWhatTheFullLookFinds() {
        InnerFlow full = new InnerFlow();
        InnerFlow header = new InnerFlow();
        for (byte[] frame : frames()) {
            MemorySegment segment = MemorySegment.ofArray(frame);
            full.ofEthernet(segment, 0, frame.length);
            header.ipHeaderOfEthernet(segment, 0, frame.length);
            assertThat(header.ipOffset()).isEqualTo(full.ipOffset());
            assertThat(header.ipVersion()).isEqualTo(full.ipVersion());
            assertThat(header.tos()).isEqualTo(full.tos());
            assertThat(header.ttl()).isEqualTo(full.ttl());
        }
    }

    @Test
    void theIpHeaderLookReadsToSAndTtlOfAnUntaggedIpv4Packet() {
        byte[] frame = new FrameBuilder()
                .ethernet(VM1, VM2)
                .ipv4(0x0a000001, 0x0a000002)
                .tos(0xb9)
                .ttl(17)
                .icmpEcho(true, 1, 1)
                .build();
        InnerFlow flow = new InnerFlow().ipHeaderOfEthernet(MemorySegment.ofArray(frame), 0, frame.length);
        assertThat(flow.ipVersion()).isEqualTo(4);
        assertThat(flow.ipOffset()).isEqualTo(14);
        assertThat(flow.tos()).isEqualTo(0xb9);
        assertThat(flow.ttl()).isEqualTo(17);
    }
}
