package io.jvswitch.bench;

import io.jvswitch.ofproto.flow.FlowExtractor;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelMetadata;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.tunnel.decap.Decapsulator;
import io.jvswitch.tunnel.encap.Encapsulator;
import io.jvswitch.tunnel.encap.HeaderTemplate;
import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.build.FrameBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encapsulation and decapsulation of a 64-byte inner frame (a UDP datagram between the tutorial's VMs), VXLAN and
 * GRE over IPv4, in batches of 32 as the datapath runs them. Scores are per packet.
 *
 * <p>{@code encapsulate} is the datapath's call: the flow hash that picks the UDP source port comes from the flow key
 * the datapath has already hashed for its flow cache. {@code encapsulateHashingInner} is the call for a caller without
 * a flow hash, where the encapsulator hashes the inner headers itself.
 *
 * <p>Run: {@code bench/jmh TunnelBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TunnelBenchmark {
    private static final int BATCH = 32;
    private static final int INNER_LENGTH = 64;

    @Param({"vxlan", "gre"})
    public String type;

    private Arena arena;
    private PacketBuffer[] batch;
    private Encapsulator encapsulator;
    private Decapsulator decapsulator;
    private TunnelMetadata metadata;
    private int[] flowHashes;
    private MemorySegment[] encapsulated;
    private int encapsulatedLength;

    @Setup
    public void setUp() {
        arena = Arena.ofShared();
        byte[] inner = new FrameBuilder()
                .ethernet(0xfa163e000001L, 0xfa163e000002L)
                .ipv4(0x0a000001, 0x0a000002)
                .udp(40000, 53)
                .payload(new byte[INNER_LENGTH - 14 - 20 - 8])
                .build();
        if (inner.length != INNER_LENGTH) {
            throw new IllegalStateException("inner frame is " + inner.length + " bytes");
        }
        TunnelConfig config = TunnelConfig.fromOptions(
                TunnelType.parse(type),
                Map.of("local_ip", "192.168.1.100", "remote_ip", "192.168.1.101", "key", "0x1388"));
        encapsulator = new Encapsulator(
                new HeaderTemplate(config, config.localIp(), config.remoteIp(), 0x0200c0a80164L, 0x0200c0a80165L));
        decapsulator = new Decapsulator();
        metadata = new TunnelMetadata();
        batch = new PacketBuffer[BATCH];
        encapsulated = new MemorySegment[BATCH];
        flowHashes = new int[BATCH];
        FlowKey key = new FlowKey();
        for (int i = 0; i < BATCH; i++) {
            inner[37] = (byte) i; // a different UDP source port per packet: 32 flows
            batch[i] = PacketBuffer.of(arena, inner);
            FlowExtractor.extract(batch[i].memory(), batch[i].start(), INNER_LENGTH, key);
            flowHashes[i] = key.hash();
            PacketBuffer copy = PacketBuffer.of(arena, inner);
            if (encapsulator.encapsulate(copy, 0) != null) {
                throw new IllegalStateException("encapsulation failed");
            }
            encapsulated[i] = copy.memory().asSlice(copy.start(), copy.length());
            encapsulatedLength = copy.length();
        }
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    /**
     * Pushes the outer headers onto 32 packets, each with its flow's hash as the datapath passes it, then puts each
     * packet back as it was (two field writes).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void encapsulate(Blackhole blackhole) {
        for (int i = 0; i < BATCH; i++) {
            PacketBuffer packet = batch[i];
            blackhole.consume(encapsulator.encapsulate(packet, 0, 0, flowHashes[i]));
            packet.reset(PacketBuffer.DEFAULT_HEADROOM);
            packet.length(INNER_LENGTH);
        }
    }

    /** As {@link #encapsulate}, the encapsulator hashing each packet's inner headers for its source port. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void encapsulateHashingInner(Blackhole blackhole) {
        for (PacketBuffer packet : batch) {
            blackhole.consume(encapsulator.encapsulate(packet, 0));
            packet.reset(PacketBuffer.DEFAULT_HEADROOM);
            packet.length(INNER_LENGTH);
        }
    }

    /**
     * The baseline the other two are reported against, measured in the same run: copying each 64-byte frame once,
     * the least any switch does with a packet.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void baselineCopyFrame() {
        for (int i = 0; i < BATCH; i++) {
            PacketBuffer packet = batch[i];
            MemorySegment.copy(encapsulated[i], 0, packet.memory(), packet.start(), INNER_LENGTH);
        }
    }

    /** Checks and pops the outer headers of 32 packets. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decapsulate(Blackhole blackhole) {
        for (MemorySegment packet : encapsulated) {
            Malformed problem = decapsulator.decapsulate(packet, 0, encapsulatedLength, metadata);
            blackhole.consume(problem);
            blackhole.consume(metadata.innerOffset());
        }
    }

    @Setup(Level.Iteration)
    public void check() {
        for (MemorySegment packet : encapsulated) {
            if (decapsulator.decapsulate(packet, 0, encapsulatedLength, metadata) != null) {
                throw new IllegalStateException("decapsulation failed");
            }
        }
    }
}
