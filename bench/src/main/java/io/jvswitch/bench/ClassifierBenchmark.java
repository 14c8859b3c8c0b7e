package io.jvswitch.bench;

import io.jvswitch.ofproto.classifier.Classified;
import io.jvswitch.ofproto.classifier.Classifier;
import io.jvswitch.ofproto.classifier.LinearClassifier;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Classifier lookups in a table of 100,000 rules over 8 masks (12,500 rules each, random priorities), as a flow table
 * of a busy br-tun might hold. Keys cycle through 4,096 precomputed ones, so that caches are not all warm.
 *
 * <ul>
 *   <li>{@code miss}: keys that match no rule; all 8 subtables are probed. The slow path's worst case.
 *   <li>{@code hit}: keys built from random rules.
 *   <li>{@code missSameKey}: one missing key again and again: everything in cache, the floor.
 *   <li>baselines measured in the same run, to report ratios on noisy machines: {@code baselineHashMapGet}, a
 *       {@code HashMap<Long, ?>.get} of a precomputed boxed key in a map of 100,000; {@code baselineLinear100Miss}, the
 *       linear classifier over 100 rules of the same masks, missing.
 * </ul>
 *
 * <p>Every lookup clears and fills a wildcards array, as an upcall building a megaflow would.
 *
 * <p>Run: {@code bench/jmh ClassifierBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ClassifierBenchmark {
    private static final int RULES = 100_000;
    private static final int KEYS = 4096;
    /** Rules use in_port values below this; missing keys use values above. */
    private static final int RULE_PORTS = 20_000;

    record Rule(Match match, int priority) implements Classified {}

    private Classifier<Rule> classifier;
    private LinearClassifier<Rule> linear100;
    private HashMap<Long, Rule> map;
    private final FlowKey[] missKeys = new FlowKey[KEYS];
    private final FlowKey[] hitKeys = new FlowKey[KEYS];
    private final Long[] mapKeys = new Long[KEYS];
    private final long[] wildcards = new long[FlowKey.WORDS];
    private int next;

    /** The 8 masks: the tutorial's and Neutron's br-tun and br-int tables, mostly. */
    static List<Match.Builder> masks() {
        return List.of(
                Match.builder().set(Field.IN_PORT, 0),
                Match.builder().set(Field.DL_DST, 0),
                Match.builder().set(Field.TUN_ID, 0),
                Match.builder().setMasked(Field.VLAN_TCI, 0, 0x0fff).set(Field.DL_DST, 0),
                Match.builder().set(Field.DL_TYPE, 0).setMasked(Field.NW_SRC, 0, 0xffffff00L),
                Match.builder().set(Field.IN_PORT, 0).set(Field.DL_SRC, 0),
                Match.builder().set(Field.DL_TYPE, 0).set(Field.NW_PROTO, 0).set(Field.TP_DST, 0),
                Match.builder().set(Field.TUN_ID, 0).set(Field.DL_DST, 0));
    }

    /** A plausible IPv4/UDP packet from a tunnel, with random addresses; in_port from {@code [from, to)}. */
    static FlowKey randomKey(SplittableRandom random, int from, int to) {
        return new FlowKey()
                .set(Field.IN_PORT, random.nextInt(from, to))
                .set(Field.TUN_ID, random.nextLong())
                .set(Field.TUN_SRC, random.nextInt())
                .set(Field.TUN_DST, random.nextInt())
                .set(Field.DL_DST, random.nextLong() & 0xfeffffffffffL)
                .set(Field.DL_SRC, random.nextLong() & 0xfeffffffffffL)
                .set(Field.DL_TYPE, 0x0800)
                .set(Field.VLAN_TCI, FlowKey.VLAN_CFI | random.nextInt(4096))
                .set(Field.NW_SRC, random.nextInt())
                .set(Field.NW_DST, random.nextInt())
                .set(Field.NW_PROTO, random.nextBoolean() ? 6 : 17)
                .set(Field.TP_SRC, random.nextInt(65536))
                .set(Field.TP_DST, random.nextInt(65536))
                .set(Field.NW_TTL, 64);
    }

    static Match matchOf(FlowKey key, long[] mask) {
        Match.Builder builder = Match.builder();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if (mask[i] != 0) {
                builder.word(i, key.word(i), mask[i]);
            }
        }
        return builder.build();
    }

    static Classifier<Rule> fill(Classifier<Rule> into, LinearClassifier<Rule> linear, int rules, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<long[]> masks = masks().stream().map(b -> b.build().maskWords()).toList();
        for (int i = 0; i < rules; i++) {
            Match match = matchOf(randomKey(random, 1, RULE_PORTS), masks.get(i % masks.size()));
            Rule rule = new Rule(match, random.nextInt(65536));
            if (into != null) {
                into.insert(rule);
            }
            if (linear != null) {
                linear.insert(rule);
            }
        }
        return into;
    }

    @Setup
    public void setUp() {
        classifier = fill(new Classifier<>(), null, RULES, 1);
        linear100 = new LinearClassifier<>();
        fill(null, linear100, 100, 2);
        if (classifier.subtableCount() != 8) {
            throw new IllegalStateException(classifier.subtableCount() + " subtables");
        }
        SplittableRandom random = new SplittableRandom(3);
        List<Rule> rules = classifier.rules();
        for (int i = 0; i < KEYS; i++) {
            FlowKey miss;
            do {
                miss = randomKey(random, RULE_PORTS + 1, 65536);
            } while (classifier.lookup(miss, null) != null || linear100.lookup(miss, null) != null);
            missKeys[i] = miss;
            FlowKey hit = randomKey(random, 1, 65536);
            Match match = rules.get(random.nextInt(rules.size())).match();
            for (int w = 0; w < FlowKey.WORDS; w++) {
                hit.word(w, (hit.word(w) & ~match.mask(w)) | match.value(w));
            }
            if (classifier.lookup(hit, null) == null) {
                throw new IllegalStateException("hit key misses");
            }
            hitKeys[i] = hit;
        }
        map = new HashMap<>();
        for (int i = 0; i < RULES; i++) {
            long key = random.nextLong();
            map.put(key, rules.get(i));
            if (i < KEYS) {
                mapKeys[i] = key;
            }
        }
        // Every subtable is probed on a miss: the wildcards are all 8 masks.
        Arrays.fill(wildcards, 0);
        classifier.lookup(missKeys[0], wildcards);
        long[] all = new long[FlowKey.WORDS];
        for (Match.Builder mask : masks()) {
            for (int w = 0; w < FlowKey.WORDS; w++) {
                all[w] |= mask.build().mask(w);
            }
        }
        if (!Arrays.equals(wildcards, all)) {
            throw new IllegalStateException("a miss did not examine every subtable");
        }
    }

    @Benchmark
    public Rule miss() {
        FlowKey key = missKeys[next++ & (KEYS - 1)];
        Arrays.fill(wildcards, 0);
        return classifier.lookup(key, wildcards);
    }

    @Benchmark
    public Rule hit() {
        FlowKey key = hitKeys[next++ & (KEYS - 1)];
        Arrays.fill(wildcards, 0);
        return classifier.lookup(key, wildcards);
    }

    @Benchmark
    public Rule missSameKey() {
        Arrays.fill(wildcards, 0);
        return classifier.lookup(missKeys[0], wildcards);
    }

    @Benchmark
    public Rule baselineHashMapGet() {
        return map.get(mapKeys[next++ & (KEYS - 1)]);
    }

    @Benchmark
    public Rule baselineLinear100Miss() {
        FlowKey key = missKeys[next++ & (KEYS - 1)];
        Arrays.fill(wildcards, 0);
        return linear100.lookup(key, wildcards);
    }
}
