package io.jvswitch.bench;

import io.jvswitch.datapath.cache.FlowCache;
import io.jvswitch.datapath.cache.MegaflowEntry;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowExtractor;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.xlate.BridgeView;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.build.FrameBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pipeline's hot paths on the tutorial's br-tun. {@code cachedPath}: flow key extraction from a 64-byte frame and
 * an exact-match cache hit, per packet in batches of 32 (target 40 ns, 0 B/op). {@code learnRefresh} and {@code
 * learnInsert}: a learn action's flow refreshed or added (target: at least a million a second). {@code
 * baselineExtract}: flow key extraction alone, the floor under the cached path, in the same run.
 *
 * <p>Run: {@code bench/jmh PipelineBenchmark -prof gc}.
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PipelineBenchmark {
    private static final int BATCH = 32;

    private Arena arena;
    private MemorySegment[] frames;
    private int frameLength;
    private FlowKey key;
    private FlowCache cache;
    private FlowTables learnTables;
    private FlowMod[] known;
    private int next;
    private long mac;

    /** br-tun as the tutorial shows it, ports 1 (patch-int), 2 and 3 (GRE tunnels). */
    private record BrTun(FlowTables tables) implements BridgeView {
        @Override
        public String name() {
            return "br-tun";
        }

        @Override
        public int[] portNumbers() {
            return new int[] {1, 2, 3};
        }

        @Override
        public boolean isTunnel(int port) {
            return port != 1;
        }
    }

    @Setup
    public void setUp() throws IOException {
        arena = Arena.ofShared();
        FlowTables tables = new FlowTables(InstantSource.system());
        List<String> lines;
        try (InputStream in = PipelineBenchmark.class.getResourceAsStream("/tutorial-br-tun.flows")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        }
        tables.applyAll(FlowParser.parseLines(lines, FlowMod.Command.ADD, "tutorial"));
        cache = new FlowCache(new BrTun(tables), InstantSource.system());
        key = new FlowKey();
        frames = new MemorySegment[BATCH];
        for (int i = 0; i < BATCH; i++) {
            // VM1's traffic to 32 destinations behind br-int's VLAN 1, as it reaches br-tun from patch-int.
            byte[] frame = new FrameBuilder()
                    .ethernet(0xfa163e000001L, 0xfa163e100000L + i)
                    .vlan(1)
                    .ipv4(0x0a000001, 0x0a000100 + i)
                    .udp(40000 + i, 53)
                    .payload(new byte[64 - 18 - 20 - 8])
                    .build();
            frameLength = frame.length;
            PacketBuffer buffer = PacketBuffer.of(arena, frame);
            frames[i] = buffer.memory().asSlice(buffer.start(), buffer.length());
        }
        for (MemorySegment frame : frames) { // warm the caches: every packet below is an exact-match hit
            key.set(Field.IN_PORT, 1);
            FlowExtractor.extract(frame, 0, frameLength, key);
            cache.classify(key, frameLength);
        }

        learnTables = new FlowTables(InstantSource.system());
        known = new FlowMod[4096];
        for (int i = 0; i < known.length; i++) {
            known[i] = learned(0xfa163e200000L + i);
            learnTables.learn(known[i]);
        }
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    private static FlowMod learned(long mac) {
        return FlowParser.parse(
                "table=20,priority=1,hard_timeout=300,vlan_tci=0x0001/0x0fff,dl_dst="
                        + io.jvswitch.wire.MacAddress.format(mac)
                        + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3",
                FlowMod.Command.MODIFY_STRICT);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BATCH)
    public void cachedPath(Blackhole blackhole) {
        long now = System.currentTimeMillis(); // once per batch, as the datapath reads it
        for (MemorySegment frame : frames) {
            key.set(Field.IN_PORT, 1);
            FlowExtractor.extract(frame, 0, frameLength, key);
            MegaflowEntry entry = cache.classify(key, frameLength, now);
            blackhole.consume(entry.actions());
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BATCH)
    public void baselineExtract(Blackhole blackhole) {
        for (MemorySegment frame : frames) {
            key.set(Field.IN_PORT, 1);
            FlowExtractor.extract(frame, 0, frameLength, key);
            blackhole.consume(key.word(FlowKey.L4));
        }
    }

    /** A learn that finds its flow already there: counters kept, hard timer restarted. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object learnRefresh() {
        return learnTables.learn(known[next++ & (known.length - 1)]);
    }

    @Setup(Level.Iteration)
    public void freshLearnTable() {
        java.util.Arrays.fill(window, null);
        learnTables = new FlowTables(InstantSource.system());
        for (FlowMod mod : known) {
            learnTables.learn(mod);
        }
    }

    /**
     * A learn of a MAC never seen, into a table kept at 65,536 learned flows: each op builds the flow (as translation
     * builds it), adds it, and deletes the flow learned 65,536 ops before — the steady churn of hard timeouts.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object learnInsert() {
        FlowMod mod = new FlowMod(
                FlowMod.Command.MODIFY_STRICT,
                20,
                known[0].match().toBuilder()
                        .set(Field.DL_DST, 0xfa163e300000L + mac)
                        .build(),
                1,
                0,
                0,
                known[0].actions(),
                0,
                300,
                io.jvswitch.ofproto.flow.Ports.NONE);
        FlowMod oldest = window[(int) (mac & (window.length - 1))];
        if (oldest != null) {
            learnTables.apply(oldest.withCommand(FlowMod.Command.DELETE_STRICT));
        }
        window[(int) (mac & (window.length - 1))] = mod;
        mac++;
        return learnTables.learn(mod);
    }

    private final FlowMod[] window = new FlowMod[65536];
}
