package io.jvswitch.tunnel.decap;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelMetadata;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.tunnel.encap.Encapsulator;
import io.jvswitch.tunnel.encap.HeaderTemplate;
import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.build.FrameBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decapsulator's fast path against its general path, on well-formed packets of every shape and on mutations of
 * them: the same verdict, the same reason, the same metadata and the same resulting bytes.
 */
class FastPathDifferentialTest {
    private static final int MUTATIONS_PER_PACKET = 1000;

    private static List<byte[]> encapsulatedPackets(Random random) {
        List<byte[]> packets = new ArrayList<>();
        String[][] underlays = {{"198.18.0.1", "198.18.0.2"}, {"2001:db8::1", "2001:db8::2"}};
        try (Arena arena = Arena.ofConfined()) {
            for (TunnelType type : TunnelType.values()) {
                for (String[] underlay : underlays) {
                    for (int variant = 0; variant < 8; variant++) {
                        Map<String, String> options = new HashMap<>(
                                Map.of("local_ip", underlay[0], "remote_ip", underlay[1], "tos", "inherit"));
                        if ((variant & 1) != 0) {
                            options.put("csum", "true");
                        }
                        if ((variant & 2) != 0) {
                            options.put("key", Integer.toString(random.nextInt(1 << 24)));
                        }
                        if ((variant & 4) != 0 && type.isGre()) {
                            options.put("seq", "true");
                        }
                        TunnelConfig config = TunnelConfig.fromOptions(type, options);
                        Encapsulator encapsulator =
                                new Encapsulator(new HeaderTemplate(config, config.localIp(), config.remoteIp(), 1, 2));
                        FrameBuilder inner = new FrameBuilder()
                                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                                .ipv4(0x0a000001, 0x0a000002)
                                .tos(random.nextInt(256))
                                .udp(random.nextInt(65536), 53)
                                .payload(new byte[random.nextInt(64)]);
                        if (variant == 5) {
                            inner.vlan(100);
                        }
                        PacketBuffer packet = PacketBuffer.of(
                                arena,
                                variant == 6
                                        ? new FrameBuilder().arp(1, 1, 2, 0, 3).build()
                                        : inner.build());
                        assertThat(encapsulator.encapsulate(packet, 0)).isNull();
                        packets.add(packet.toByteArray());
                    }
                }
            }
        }
        return packets;
    }

    @Test
    void fastAndGeneralPathsAgreeOnEveryPacketAndMutation() {
        Random random = new Random(20261123);
        Decapsulator decapsulator = new Decapsulator();
        TunnelMetadata fast = new TunnelMetadata();
        TunnelMetadata general = new TunnelMetadata();
        int accepted = 0;
        int compared = 0;
        for (byte[] original : encapsulatedPackets(random)) {
            for (int m = 0; m <= MUTATIONS_PER_PACKET; m++) {
                byte[] packet = original.clone();
                if (m > 0) {
                    int flips = 1 + random.nextInt(3);
                    for (int f = 0; f < flips; f++) {
                        // Mostly in the outer headers, where the checks are.
                        int at = random.nextInt(Math.min(packet.length, random.nextBoolean() ? 80 : packet.length));
                        packet[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                int length = random.nextInt(10) == 0 ? random.nextInt(packet.length + 1) : packet.length;
                byte[] viaFast = packet.clone();
                byte[] viaGeneral = packet.clone();
                Malformed fastVerdict = decapsulator.decapsulate(MemorySegment.ofArray(viaFast), 0, length, fast);
                Malformed generalVerdict =
                        decapsulator.decapsulateGeneral(MemorySegment.ofArray(viaGeneral), 0, length, general);
                String what =
                        "mutation " + m + " of " + java.util.HexFormat.of().formatHex(original);
                assertThat(fastVerdict).as(what).isEqualTo(generalVerdict);
                assertThat(viaFast).as(what).isEqualTo(viaGeneral);
                if (fastVerdict == null) {
                    accepted++;
                    assertThat(fast.toString()).as(what).isEqualTo(general.toString());
                    assertThat(fast.innerOffset()).as(what).isEqualTo(general.innerOffset());
                    assertThat(fast.innerLength()).as(what).isEqualTo(general.innerLength());
                    assertThat(fast.innerProtocol()).as(what).isEqualTo(general.innerProtocol());
                }
                compared++;
            }
        }
        assertThat(compared).isEqualTo(48 * (MUTATIONS_PER_PACKET + 1));
        assertThat(accepted).as("some mutations stay acceptable (payload bits)").isGreaterThan(1_000);
    }
}
