package io.jvswitch.ofproto.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Classifier} against {@link LinearClassifier}: seeded random rule sets over realistic and random masks,
 * inserts, replacements and removes interleaved with lookups, and the same answer required every time. Every
 * lookup's wildcards are checked for soundness too: a key changed only outside them must get the same answer (from
 * both classifiers).
 *
 * <p>Field values come from small pools, so that rules overlap, share masked values and collide on priority, and keys
 * built from a rule's value often hit several rules.
 */
class ClassifierDifferentialTest {
    /** Lookups per seed, not counting the perturbed keys of the soundness check. */
    static final int LOOKUPS_PER_SEED = 25_000;

    static long totalLookups;
    static long totalHits;
    static long totalSoundnessLookups;

    record Rule(int id, Match match, int priority) implements Classified {
        @Override
        public String toString() {
            return "#" + id + " priority=" + priority + " " + match;
        }
    }

    @ParameterizedTest(name = "seed {0}, priorities below {1}, up to {2} rules, coarse masks {3}")
    @CsvSource({
        "1, 65536, 1500, false",
        "2, 65536, 1500, true",
        "3, 65536, 400, false",
        "4, 16, 600, false",
        "5, 4, 200, true",
        "6, 4, 300, false"
    })
    void sameAnswersAsTheLinearClassifier(long seed, int priorities, int maxRules, boolean coarse) {
        long start = System.nanoTime();
        Run run = new Run(seed, priorities, maxRules, coarse);
        run.go(LOOKUPS_PER_SEED);
        System.out.printf(
                "classifier differential: seed %d, %d lookups (%d hits, %d soundness), %d subtables at most, %d ms%n",
                seed, run.lookups, run.hits, run.soundness, run.maxSubtables, (System.nanoTime() - start) / 1_000_000);
        assertThat(run.lookups).isGreaterThanOrEqualTo(LOOKUPS_PER_SEED);
        // Most lookups should hit (a test of misses alone proves little), but not all.
        assertThat(run.hits).isGreaterThan(run.lookups / 2);
        if (!coarse) {
            assertThat(run.hits).isLessThan(run.lookups * 9 / 10);
        }
    }

    @AfterAll
    static void summary() {
        System.out.printf(
                "classifier differential: %d lookups in all, %d hits, %d soundness lookups%n",
                totalLookups, totalHits, totalSoundnessLookups);
    }

    /** A full-size table: 100,000 rules over 8 masks, fewer lookups (the linear scan is slow at this size). */
    @Test
    void hundredThousandRules() {
        SplittableRandom random = new SplittableRandom(42);
        List<long[]> masks = realisticMasks().subList(0, 8);
        Classifier<Rule> classifier = new Classifier<>();
        LinearClassifier<Rule> linear = new LinearClassifier<>();
        List<Rule> live = new ArrayList<>();
        int id = 0;
        while (classifier.size() < 100_000) {
            long[] mask = masks.get(random.nextInt(masks.size()));
            Rule rule = new Rule(id++, matchOf(wideKey(random), mask), random.nextInt(65536));
            Rule replaced = classifier.insert(rule);
            assertThat(linear.insert(rule)).isSameAs(replaced);
            if (replaced != null) {
                live.remove(replaced);
            }
            live.add(rule);
        }
        assertThat(classifier.subtableCount()).isEqualTo(8);
        assertThat(linear.size()).isEqualTo(100_000);
        int hits = compareLookups(random, classifier, linear, live, 250);
        assertThat(hits).isGreaterThan(100);
        // Remove half, in random order, and compare again.
        for (int i = 0; i < 50_000; i++) {
            Rule victim = takeRandom(random, live);
            assertThat(classifier.remove(victim)).isSameAs(victim);
            assertThat(linear.remove(victim)).isSameAs(victim);
        }
        assertThat(classifier.size()).isEqualTo(50_000);
        compareLookups(random, classifier, linear, live, 250);
    }

    private static int compareLookups(
            SplittableRandom random,
            Classifier<Rule> classifier,
            LinearClassifier<Rule> linear,
            List<Rule> live,
            int count) {
        int hits = 0;
        long[] wildcards = new long[FlowKey.WORDS];
        for (int i = 0; i < count; i++) {
            FlowKey key = wideKey(random);
            if (random.nextBoolean()) {
                imprint(key, live.get(random.nextInt(live.size())).match());
            }
            Arrays.fill(wildcards, 0);
            Rule expected = linear.lookup(key, null);
            Rule actual = classifier.lookup(key, wildcards);
            if (actual != expected) {
                throw new AssertionError("key " + key + ": expected " + expected + ", got " + actual);
            }
            hits += actual != null ? 1 : 0;
            FlowKey other = perturb(random, key, wildcards);
            if (classifier.lookup(other, null) != actual) {
                throw new AssertionError("wildcards unsound for " + key + " and " + other);
            }
        }
        return hits;
    }

    /** One seeded random walk of changes and lookups. */
    static final class Run {
        final SplittableRandom random;
        final int priorities;
        final int maxRules;
        final List<long[]> masks;
        final Classifier<Rule> classifier = new Classifier<>();
        final LinearClassifier<Rule> linear = new LinearClassifier<>();
        final List<Rule> live = new ArrayList<>();
        final long[] wildcards = new long[FlowKey.WORDS];
        int nextId;
        int step;
        long lookups;
        long hits;
        long soundness;
        int maxSubtables;

        Run(long seed, int priorities, int maxRules, boolean coarse) {
            this.random = new SplittableRandom(seed);
            this.priorities = priorities;
            this.maxRules = maxRules;
            this.masks = maskPool(random, coarse);
        }

        void go(int wantedLookups) {
            while (lookups < wantedLookups) {
                step++;
                int dice = random.nextInt(100);
                boolean growing = live.size() < maxRules;
                if (dice < (growing ? 35 : 12)) {
                    insert();
                } else if (dice < 45) {
                    removeSomething();
                } else if (dice < 50) {
                    findExactly();
                } else {
                    lookup();
                }
                if (step % 2000 == 0) {
                    compareContents();
                }
            }
            compareContents();
            // Empty it, in random order; it must end as it began.
            while (!live.isEmpty()) {
                Rule victim = takeRandom(random, live);
                check(victim, classifier.remove(victim), () -> "remove " + victim);
                check(victim, linear.remove(victim), () -> "linear remove " + victim);
                if (live.size() % 64 == 0) {
                    lookup();
                }
            }
            assertThat(classifier.isEmpty()).isTrue();
            assertThat(classifier.subtableCount()).isZero();
            assertThat(classifier.lookup(randomKey(), null)).isNull();
        }

        void insert() {
            long[] mask = masks.get(random.nextInt(masks.size()));
            Rule rule = new Rule(nextId++, matchOf(randomKey(), mask), random.nextInt(priorities));
            Rule replaced = classifier.insert(rule);
            check(linear.insert(rule), replaced, () -> "insert " + rule);
            if (replaced != null) {
                live.remove(replaced);
            }
            live.add(rule);
            maxSubtables = Math.max(maxSubtables, classifier.subtableCount());
        }

        void removeSomething() {
            int dice = random.nextInt(10);
            if (live.isEmpty() || dice == 0) {
                // A rule that was never inserted.
                Rule stranger = new Rule(-1, matchOf(randomKey(), masks.get(0)), random.nextInt(priorities));
                check(null, classifier.remove(stranger), () -> "remove stranger " + stranger);
                check(null, linear.remove(stranger), () -> "linear remove stranger " + stranger);
            } else if (dice == 1) {
                // An equal rule that is not the one inserted: removal is by identity.
                Rule present = live.get(random.nextInt(live.size()));
                Rule twin = new Rule(present.id(), present.match(), present.priority());
                check(null, classifier.remove(twin), () -> "remove twin of " + present);
                check(null, linear.remove(twin), () -> "linear remove twin of " + present);
            } else {
                Rule victim = takeRandom(random, live);
                check(victim, classifier.remove(victim), () -> "remove " + victim);
                check(victim, linear.remove(victim), () -> "linear remove " + victim);
            }
        }

        void findExactly() {
            Match match;
            int priority;
            if (!live.isEmpty() && random.nextBoolean()) {
                Rule present = live.get(random.nextInt(live.size()));
                match = present.match();
                priority = present.priority();
            } else {
                match = matchOf(randomKey(), masks.get(random.nextInt(masks.size())));
                priority = random.nextInt(priorities);
            }
            check(
                    linear.findExactly(match, priority),
                    classifier.findExactly(match, priority),
                    () -> "findExactly " + match + " priority " + priority);
        }

        void lookup() {
            // Half the keys are built to hit a rule, a quarter are drawn from the rules' pools of values (they hit
            // too, mostly), and a quarter are all random (they miss, mostly).
            int kind = random.nextInt(4);
            FlowKey key = kind == 0 ? wildKey(random) : randomKey();
            if (!live.isEmpty() && kind >= 2) {
                imprint(key, live.get(random.nextInt(live.size())).match());
            }
            Arrays.fill(wildcards, 0);
            Rule actual = classifier.lookup(key, wildcards);
            check(linear.lookup(key, null), actual, () -> "lookup " + key);
            lookups++;
            totalLookups++;
            if (actual != null) {
                hits++;
                totalHits++;
                for (int i = 0; i < FlowKey.WORDS; i++) {
                    if ((actual.match().mask(i) & ~wildcards[i]) != 0) {
                        throw new AssertionError(
                                "step " + step + ": wildcards miss the winner's mask in word " + i + " for " + key);
                    }
                }
            }
            // Soundness: change bits outside the wildcards, all at random or one at a time.
            for (int i = 0; i < 2; i++) {
                FlowKey other = i == 0 ? perturb(random, key, wildcards) : flipOneBit(random, key, wildcards);
                soundness++;
                totalSoundnessLookups++;
                Supplier<String> what = () -> "wildcards " + Arrays.toString(wildcards) + " of " + key + " unsound: "
                        + other + " gets another answer";
                check(actual, classifier.lookup(other, null), what);
                if (i == 0) {
                    // The reference too (once: it is the slow part of this test).
                    check(actual, linear.lookup(other, null), what);
                }
            }
        }

        void compareContents() {
            assertThat(classifier.size()).isEqualTo(live.size());
            assertThat(linear.size()).isEqualTo(live.size());
            Map<Rule, Boolean> inClassifier = new IdentityHashMap<>();
            classifier.forEach(r -> inClassifier.put(r, true));
            assertThat(inClassifier).hasSize(live.size());
            for (Rule rule : live) {
                assertThat(inClassifier).containsKey(rule);
            }
            assertThat(classifier.rules()).hasSize(live.size());
            Set<List<Long>> distinctMasks = new HashSet<>();
            for (Rule rule : live) {
                distinctMasks.add(
                        Arrays.stream(rule.match().maskWords()).boxed().toList());
            }
            assertThat(classifier.subtableCount()).isEqualTo(distinctMasks.size());
        }

        FlowKey randomKey() {
            return ClassifierDifferentialTest.randomKey(random);
        }

        void check(Object expected, Object actual, Supplier<String> what) {
            if (expected != actual) {
                throw new AssertionError(
                        "step " + step + ": " + what.get() + "\n  expected " + expected + "\n  got " + actual);
            }
        }
    }

    /** Removes and returns a random element, in O(1): the list's order does not matter. */
    static <T> T takeRandom(SplittableRandom random, List<T> list) {
        int at = random.nextInt(list.size());
        T taken = list.get(at);
        list.set(at, list.get(list.size() - 1));
        list.remove(list.size() - 1);
        return taken;
    }

    /** Writes {@code match}'s value into {@code key} where the mask says: the key then matches it. */
    static void imprint(FlowKey key, Match match) {
        for (int i = 0; i < FlowKey.WORDS; i++) {
            key.word(i, (key.word(i) & ~match.mask(i)) | match.value(i));
        }
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

    /** {@code key} with every bit outside {@code wildcards} random. */
    static FlowKey perturb(SplittableRandom random, FlowKey key, long[] wildcards) {
        FlowKey other = new FlowKey(key);
        for (int i = 0; i < FlowKey.WORDS; i++) {
            other.word(i, (key.word(i) & wildcards[i]) | (random.nextLong() & ~wildcards[i]));
        }
        return other;
    }

    /** {@code key} with one bit outside {@code wildcards} flipped (or unchanged if there is none). */
    static FlowKey flipOneBit(SplittableRandom random, FlowKey key, long[] wildcards) {
        FlowKey other = new FlowKey(key);
        for (int tries = 0; tries < 64; tries++) {
            int word = random.nextInt(FlowKey.WORDS);
            int bit = random.nextInt(64);
            if ((wildcards[word] >>> bit & 1) == 0) {
                other.word(word, key.word(word) ^ (1L << bit));
                return other;
            }
        }
        return other;
    }

    // Small pools of field values: rules overlap and keys hit.

    static final long[] MACS = {
        0xfa163e000001L, 0xfa163e000002L, 0xfa163e000003L, 0xfa163e0000aaL, 0x0200c0a80164L, 0x0200c0a80165L,
        0x01005e000001L, 0x01005e7f0001L, 0x333300000001L, 0xffffffffffffL, 0x525400123456L, 0xfa163e00ff01L
    };
    static final long[] IPS = {
        0x0a000001L,
        0x0a000002L,
        0x0a000003L,
        0x0a0001feL,
        0x0a000101L,
        0xc0a80164L,
        0xc0a80165L,
        0xe0000001L,
        0xc6120001L,
        0xc6120002L
    };
    static final int[] PORTS = {22, 53, 67, 68, 80, 443, 4789, 8472};

    static long pick(SplittableRandom random, long[] pool) {
        return pool[random.nextInt(pool.length)];
    }

    static FlowKey randomKey(SplittableRandom random) {
        FlowKey key = new FlowKey()
                .set(Field.IN_PORT, 1 + random.nextInt(6))
                .set(Field.METADATA, random.nextInt(3))
                .set(Field.REG0, random.nextInt(3))
                .set(Field.REG1, random.nextInt(2))
                .set(Field.TUN_ID, random.nextInt(8) == 0 ? 0 : 0x1388 + random.nextInt(6))
                .set(Field.TUN_SRC, pick(random, IPS))
                .set(Field.TUN_DST, pick(random, IPS))
                .set(Field.DL_DST, pick(random, MACS))
                .set(Field.DL_SRC, pick(random, MACS))
                .set(Field.DL_TYPE, random.nextInt(4) == 0 ? 0x0806 : random.nextInt(8) == 0 ? 0x86dd : 0x0800)
                .set(Field.VLAN_TCI, random.nextInt(3) == 0 ? 0 : FlowKey.VLAN_CFI | (1 + random.nextInt(4)))
                .set(Field.NW_SRC, pick(random, IPS))
                .set(Field.NW_DST, pick(random, IPS))
                .set(Field.NW_PROTO, random.nextInt(3) == 0 ? 1 : random.nextBoolean() ? 6 : 17)
                .set(Field.TP_SRC, PORTS[random.nextInt(PORTS.length)])
                .set(Field.TP_DST, PORTS[random.nextInt(PORTS.length)])
                .set(Field.NW_TTL, random.nextBoolean() ? 64 : 1);
        key.word(FlowKey.IPV6_DST, 0xfe80000000000000L);
        key.word(FlowKey.IPV6_DST + 1, random.nextInt(4));
        key.word(FlowKey.ARP_SHA, pick(random, MACS));
        // Now and then a word nothing expects, so that some lookups miss.
        if (random.nextInt(8) == 0) {
            key.word(random.nextInt(FlowKey.WORDS), random.nextLong());
        }
        return key;
    }

    /** Every bit random. */
    static FlowKey wildKey(SplittableRandom random) {
        FlowKey key = new FlowKey();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            key.word(i, random.nextLong());
        }
        return key;
    }

    /** Keys with wide values (for 100,000 distinct rules over 8 masks). */
    static FlowKey wideKey(SplittableRandom random) {
        FlowKey key = new FlowKey();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            key.word(i, random.nextLong());
        }
        key.set(Field.IN_PORT, random.nextInt(20_000));
        key.set(Field.DL_TYPE, random.nextBoolean() ? 0x0800 : 0x0806);
        return key;
    }

    /** Masks as flows in OVS tables have them (the tutorial's and Neutron's, mostly). */
    static List<long[]> realisticMasks() {
        List<Match.Builder> builders = List.of(
                Match.builder().set(Field.IN_PORT, 0),
                Match.builder().set(Field.DL_DST, 0),
                Match.builder().set(Field.TUN_ID, 0),
                Match.builder().setMasked(Field.VLAN_TCI, 0, 0x0fff).set(Field.DL_DST, 0),
                Match.builder().set(Field.DL_TYPE, 0).setMasked(Field.NW_SRC, 0, 0xffffff00L),
                Match.builder().set(Field.IN_PORT, 0).set(Field.DL_SRC, 0),
                Match.builder().set(Field.DL_TYPE, 0).set(Field.NW_PROTO, 0).set(Field.TP_DST, 0),
                Match.builder().set(Field.TUN_ID, 0).set(Field.DL_DST, 0),
                Match.builder().setMasked(Field.DL_DST, 0, 0x010000000000L),
                Match.builder().set(Field.IN_PORT, 0).setMasked(Field.VLAN_TCI, 0, 0x1fff),
                Match.builder().set(Field.DL_TYPE, 0).set(Field.NW_DST, 0),
                Match.builder().set(Field.DL_TYPE, 0).set(Field.NW_PROTO, 0).set(Field.NW_DST, 0),
                Match.builder().set(Field.REG0, 0).set(Field.METADATA, 0),
                Match.builder().set(Field.TUN_SRC, 0).set(Field.TUN_DST, 0).set(Field.TUN_ID, 0),
                Match.builder().set(Field.DL_TYPE, 0).setMasked128(Field.IPV6_DST, 0, 0, -1L, 0),
                Match.builder()
                        .set(Field.IN_PORT, 0)
                        .set(Field.DL_TYPE, 0)
                        .set(Field.NW_SRC, 0)
                        .set(Field.NW_DST, 0)
                        .set(Field.NW_PROTO, 0)
                        .set(Field.TP_SRC, 0)
                        .set(Field.TP_DST, 0),
                Match.builder().set(Field.DL_TYPE, 0).set(Field.ARP_SHA, 0));
        List<long[]> masks = new ArrayList<>();
        for (Match.Builder builder : builders) {
            masks.add(builder.build().maskWords());
        }
        return masks;
    }

    /**
     * The realistic masks and a few random ones: sparse bits (values collide), dense words, and prefixes. With
     * {@code coarse}, the empty mask too (its rules match every packet); without, no mask of fewer than 8 bits (a few
     * rules on one would cover every key, and no lookup would miss).
     */
    static List<long[]> maskPool(SplittableRandom random, boolean coarse) {
        List<long[]> masks = new ArrayList<>(realisticMasks());
        if (coarse) {
            masks.add(new long[FlowKey.WORDS]);
        }
        for (int m = 0; m < 6; m++) {
            long[] mask = new long[FlowKey.WORDS];
            int words = 1 + random.nextInt(3);
            for (int w = 0; w < words; w++) {
                int at = random.nextInt(FlowKey.WORDS);
                mask[at] = switch (m % 3) {
                    case 0 -> (1L << random.nextInt(64)) | (1L << random.nextInt(64));
                    case 1 -> random.nextLong() & random.nextLong();
                    default -> -1L << random.nextInt(64);
                };
            }
            if (m % 3 == 0) {
                // Sparse bits take few values, all soon covered by rules: add dl_dst so that some keys miss.
                mask[FlowKey.ETH_DST_TYPE] |= 0xffff_ffff_ffff_0000L;
            }
            masks.add(mask);
        }
        if (!coarse) {
            masks.removeIf(mask -> Arrays.stream(mask).map(Long::bitCount).sum() < 8);
        }
        return masks;
    }
}
