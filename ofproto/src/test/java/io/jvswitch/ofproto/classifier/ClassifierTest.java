package io.jvswitch.ofproto.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassifierTest {
    static final long MAC_A = 0xfa163e000001L;
    static final long MAC_B = 0xfa163e000002L;
    static final long IN_PORT_MASK = 0xffffL;
    static final long DL_DST_MASK = 0xffff_ffff_ffff_0000L;

    record Rule(String name, Match match, int priority) implements Classified {
        @Override
        public String toString() {
            return name;
        }
    }

    static Rule rule(String name, int priority, Match match) {
        return new Rule(name, match, priority);
    }

    static Match inPort(int port) {
        return Match.builder().set(Field.IN_PORT, port).build();
    }

    static Match dlDst(long mac) {
        return Match.builder().set(Field.DL_DST, mac).build();
    }

    static Match tunId(long id) {
        return Match.builder().set(Field.TUN_ID, id).build();
    }

    static FlowKey key(int inPort, long dlDst, long tunId) {
        return new FlowKey().set(Field.IN_PORT, inPort).set(Field.DL_DST, dlDst).set(Field.TUN_ID, tunId);
    }

    static long[] expected(long inPort, long tunId, long dlDstWord) {
        long[] w = new long[FlowKey.WORDS];
        w[FlowKey.IN_PORT] = inPort;
        w[FlowKey.TUN_ID] = tunId;
        w[FlowKey.ETH_DST_TYPE] = dlDstWord;
        return w;
    }

    @Test
    void emptyClassifierFindsNothingAndDependsOnNothing() {
        Classifier<Rule> classifier = new Classifier<>();
        long[] wildcards = new long[FlowKey.WORDS];
        assertThat(classifier.lookup(key(1, MAC_A, 5), wildcards)).isNull();
        assertThat(wildcards).containsOnly(0L);
        assertThat(classifier.size()).isZero();
        assertThat(classifier.isEmpty()).isTrue();
        assertThat(classifier.subtableCount()).isZero();
        assertThat(classifier.rules()).isEmpty();
        assertThat(classifier.findExactly(inPort(1), 0)).isNull();
        assertThat(classifier.remove(rule("x", 0, inPort(1)))).isNull();
    }

    @Test
    void exactMatch() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule port1 = rule("port1", 10, inPort(1));
        Rule port2 = rule("port2", 10, inPort(2));
        classifier.insert(port1);
        classifier.insert(port2);
        assertThat(classifier.lookup(key(1, MAC_A, 0), null)).isSameAs(port1);
        assertThat(classifier.lookup(key(2, MAC_A, 0), null)).isSameAs(port2);
        assertThat(classifier.lookup(key(3, MAC_A, 0), null)).isNull();
        assertThat(classifier.subtableCount()).isEqualTo(1);
        assertThat(classifier.size()).isEqualTo(2);
    }

    @Test
    void maskedMatch() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule multicast = rule(
                "multicast",
                5,
                Match.builder()
                        .setMasked(Field.DL_DST, 0x010000000000L, 0x010000000000L)
                        .build());
        Rule subnet = rule(
                "subnet",
                5,
                Match.builder()
                        .set(Field.DL_TYPE, 0x0800)
                        .setMasked(Field.NW_SRC, 0x0a000100L, 0xffffff00L)
                        .build());
        classifier.insert(multicast);
        classifier.insert(subnet);
        assertThat(classifier.lookup(key(1, 0x01005e000001L, 0), null)).isSameAs(multicast);
        assertThat(classifier.lookup(key(1, 0xffffffffffffL, 0), null)).isSameAs(multicast);
        assertThat(classifier.lookup(key(1, MAC_A, 0), null)).isNull();
        FlowKey ip = key(1, MAC_A, 0).set(Field.DL_TYPE, 0x0800).set(Field.NW_SRC, 0x0a0001feL);
        assertThat(classifier.lookup(ip, null)).isSameAs(subnet);
        assertThat(classifier.lookup(ip.set(Field.NW_SRC, 0x0a0002feL), null)).isNull();
    }

    @Test
    void higherPriorityWinsAcrossSubtablesAndWithinOne() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule low = rule("low", 1, Match.ANY);
        Rule port = rule("port", 100, inPort(1));
        Rule mac = rule("mac", 200, dlDst(MAC_A));
        Rule portLow = rule("portLow", 50, inPort(1));
        classifier.insert(low);
        classifier.insert(port);
        classifier.insert(mac);
        classifier.insert(portLow);
        assertThat(classifier.lookup(key(1, MAC_A, 0), null)).isSameAs(mac);
        assertThat(classifier.lookup(key(1, MAC_B, 0), null)).isSameAs(port);
        assertThat(classifier.lookup(key(2, MAC_B, 0), null)).isSameAs(low);
        // portLow shares port's masked value: kept behind it, found once port goes.
        classifier.remove(port);
        assertThat(classifier.lookup(key(1, MAC_B, 0), null)).isSameAs(portLow);
        assertThat(classifier.subtableCount()).isEqualTo(3);
    }

    @Test
    void equalPrioritiesOverlappingTheEarliestInsertedWins() {
        for (boolean linear : new boolean[] {false, true}) {
            Table table = linear ? Table.linear() : Table.tuples();
            Rule mac = rule("mac", 7, dlDst(MAC_A));
            Rule port = rule("port", 7, inPort(1));
            table.insert(mac);
            table.insert(port);
            assertThat(table.lookup(key(1, MAC_A, 0))).as("linear=%s", linear).isSameAs(mac);
            // Replacing counts as inserting anew: the replacement goes behind port.
            Rule mac2 = rule("mac2", 7, dlDst(MAC_A));
            assertThat(table.insert(mac2)).isSameAs(mac);
            assertThat(table.lookup(key(1, MAC_A, 0))).as("linear=%s", linear).isSameAs(port);
            assertThat(table.remove(port)).isSameAs(port);
            assertThat(table.lookup(key(1, MAC_A, 0))).as("linear=%s", linear).isSameAs(mac2);
        }
    }

    @Test
    void sameMatchAndPriorityIsReplaced() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule first = rule("first", 10, inPort(1));
        Rule second = rule("second", 10, inPort(1));
        Rule other = rule("other", 11, inPort(1));
        assertThat(classifier.insert(first)).isNull();
        assertThat(classifier.insert(other)).isNull();
        assertThat(classifier.insert(second)).isSameAs(first);
        assertThat(classifier.size()).isEqualTo(2);
        assertThat(classifier.findExactly(inPort(1), 10)).isSameAs(second);
        assertThat(classifier.rules()).containsExactlyInAnyOrder(second, other);
        // The replaced rule is gone: removing it by identity does nothing.
        assertThat(classifier.remove(first)).isNull();
        assertThat(classifier.size()).isEqualTo(2);
    }

    @Test
    void removeIsByIdentity() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule port = rule("port", 10, inPort(1));
        classifier.insert(port);
        Rule twin = rule("port", 10, inPort(1));
        assertThat(twin).isEqualTo(port);
        assertThat(classifier.remove(twin)).isNull();
        assertThat(classifier.size()).isEqualTo(1);
        assertThat(classifier.remove(port)).isSameAs(port);
        assertThat(classifier.remove(port)).isNull();
        assertThat(classifier.isEmpty()).isTrue();
        assertThat(classifier.subtableCount()).isZero();
        assertThat(classifier.lookup(key(1, MAC_A, 0), null)).isNull();
    }

    @Test
    void removeUpdatesTheOrderOfSubtables() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule portHigh = rule("portHigh", 300, inPort(1));
        Rule portLow = rule("portLow", 10, inPort(2));
        Rule mac = rule("mac", 100, dlDst(MAC_A));
        classifier.insert(portHigh);
        classifier.insert(portLow);
        classifier.insert(mac);
        long[] wildcards = new long[FlowKey.WORDS];
        assertThat(classifier.lookup(key(2, MAC_A, 0), wildcards)).isSameAs(mac);
        assertThat(wildcards).containsExactly(expected(IN_PORT_MASK, 0, DL_DST_MASK));
        classifier.remove(portHigh);
        // The in_port subtable now tops out at 10, below mac: a hit on mac no longer looks at in_port.
        wildcards = new long[FlowKey.WORDS];
        assertThat(classifier.lookup(key(2, MAC_A, 0), wildcards)).isSameAs(mac);
        assertThat(wildcards).containsExactly(expected(0, 0, DL_DST_MASK));
        assertThat(classifier.lookup(key(2, MAC_B, 0), null)).isSameAs(portLow);
    }

    @Test
    void findExactlyIsStrict() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule port = rule("port", 10, inPort(1));
        classifier.insert(port);
        assertThat(classifier.findExactly(inPort(1), 10)).isSameAs(port);
        assertThat(classifier.findExactly(inPort(1), 11)).isNull();
        assertThat(classifier.findExactly(inPort(2), 10)).isNull();
        // A wider match that contains port's is not port's match.
        Match masked = Match.builder().setMasked(Field.IN_PORT, 1, 0xff).build();
        assertThat(classifier.findExactly(masked, 10)).isNull();
        assertThat(classifier.findExactly(Match.ANY, 10)).isNull();
    }

    @Test
    void wildcardsAreTheMasksOfTheSubtablesExamined() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule port = rule("port", 100, inPort(1));
        Rule mac = rule("mac", 50, dlDst(MAC_A));
        Rule tunnel = rule("tunnel", 10, tunId(5));
        classifier.insert(tunnel);
        classifier.insert(mac);
        classifier.insert(port);

        // A hit in the first subtable: the others cannot beat priority 100 and are not examined.
        long[] wildcards = new long[FlowKey.WORDS];
        assertThat(classifier.lookup(key(1, MAC_A, 5), wildcards)).isSameAs(port);
        assertThat(wildcards).containsExactly(expected(IN_PORT_MASK, 0, 0));

        wildcards = new long[FlowKey.WORDS];
        assertThat(classifier.lookup(key(2, MAC_A, 5), wildcards)).isSameAs(mac);
        assertThat(wildcards).containsExactly(expected(IN_PORT_MASK, 0, DL_DST_MASK));

        wildcards = new long[FlowKey.WORDS];
        assertThat(classifier.lookup(key(2, MAC_B, 5), wildcards)).isSameAs(tunnel);
        assertThat(wildcards).containsExactly(expected(IN_PORT_MASK, -1L, DL_DST_MASK));

        // A miss examines everything.
        wildcards = new long[FlowKey.WORDS];
        assertThat(classifier.lookup(key(2, MAC_B, 6), wildcards)).isNull();
        assertThat(wildcards).containsExactly(expected(IN_PORT_MASK, -1L, DL_DST_MASK));

        // The wildcards are ORed in, not stored.
        wildcards = new long[FlowKey.WORDS];
        wildcards[FlowKey.L4] = 0xff;
        classifier.lookup(key(1, MAC_A, 5), wildcards);
        long[] both = expected(IN_PORT_MASK, 0, 0);
        both[FlowKey.L4] = 0xff;
        assertThat(wildcards).containsExactly(both);
    }

    @Test
    void anEqualPrioritySubtableIsStillExamined() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule port = rule("port", 100, inPort(1));
        Rule mac = rule("mac", 100, dlDst(MAC_A));
        classifier.insert(port);
        classifier.insert(mac);
        long[] wildcards = new long[FlowKey.WORDS];
        assertThat(classifier.lookup(key(1, MAC_B, 0), wildcards)).isSameAs(port);
        assertThat(wildcards).containsExactly(expected(IN_PORT_MASK, 0, DL_DST_MASK));
    }

    @Test
    void manyValuesInOneSubtableGrowAndShrinkTheHashTable() {
        Classifier<Rule> classifier = new Classifier<>();
        List<Rule> rules = new ArrayList<>();
        for (int port = 0; port < 5000; port++) {
            Rule r = rule("p" + port, port % 7, inPort(port));
            rules.add(r);
            classifier.insert(r);
        }
        assertThat(classifier.size()).isEqualTo(5000);
        assertThat(classifier.subtableCount()).isEqualTo(1);
        for (int port = 0; port < 5000; port++) {
            assertThat(classifier.lookup(key(port, 0, 0), null)).isSameAs(rules.get(port));
        }
        for (int port = 0; port < 5000; port += 2) {
            assertThat(classifier.remove(rules.get(port))).isSameAs(rules.get(port));
        }
        for (int port = 0; port < 5000; port++) {
            assertThat(classifier.lookup(key(port, 0, 0), null)).isSameAs(port % 2 == 0 ? null : rules.get(port));
        }
        for (int port = 1; port < 5000; port += 2) {
            classifier.remove(rules.get(port));
        }
        assertThat(classifier.isEmpty()).isTrue();
        assertThat(classifier.subtableCount()).isZero();
    }

    @Test
    void manyPrioritiesOnOneValueStaySorted() {
        Classifier<Rule> classifier = new Classifier<>();
        List<Integer> priorities = new ArrayList<>();
        for (int p = 0; p < 1000; p++) {
            priorities.add(p);
        }
        Collections.shuffle(priorities, new Random(7));
        Rule[] byPriority = new Rule[1000];
        for (int p : priorities) {
            byPriority[p] = rule("p" + p, p, inPort(1));
            classifier.insert(byPriority[p]);
        }
        assertThat(classifier.subtableCount()).isEqualTo(1);
        for (int p = 999; p >= 0; p--) {
            assertThat(classifier.findExactly(inPort(1), p)).isSameAs(byPriority[p]);
            assertThat(classifier.lookup(key(1, MAC_A, 0), null)).isSameAs(byPriority[p]);
            classifier.remove(byPriority[p]);
        }
        assertThat(classifier.isEmpty()).isTrue();
    }

    @Test
    void theEmptyMaskMatchesEverything() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule all = rule("all", 0, Match.ANY);
        Rule port = rule("port", 1, inPort(1));
        classifier.insert(all);
        classifier.insert(port);
        long[] wildcards = new long[FlowKey.WORDS];
        assertThat(classifier.lookup(key(2, MAC_A, 0), wildcards)).isSameAs(all);
        assertThat(wildcards).containsExactly(expected(IN_PORT_MASK, 0, 0));
        assertThat(classifier.lookup(key(1, MAC_A, 0), null)).isSameAs(port);
        assertThat(classifier.findExactly(Match.ANY, 0)).isSameAs(all);
    }

    @Test
    void forEachAndRulesSeeEveryRule() {
        Classifier<Rule> classifier = new Classifier<>();
        Rule a = rule("a", 1, inPort(1));
        Rule b = rule("b", 2, inPort(1));
        Rule c = rule("c", 3, dlDst(MAC_A));
        classifier.insert(a);
        classifier.insert(b);
        classifier.insert(c);
        List<Rule> seen = new ArrayList<>();
        classifier.forEach(seen::add);
        assertThat(seen).containsExactlyInAnyOrder(a, b, c);
        // rules() is a snapshot: removing while walking it is fine.
        for (Rule r : classifier.rules()) {
            classifier.remove(r);
        }
        assertThat(classifier.isEmpty()).isTrue();
    }

    @Test
    void linearClassifierReportsEveryMask() {
        LinearClassifier<Rule> linear = new LinearClassifier<>();
        Rule port = rule("port", 100, inPort(1));
        Rule tunnel = rule("tunnel", 10, tunId(5));
        linear.insert(port);
        linear.insert(tunnel);
        long[] wildcards = new long[FlowKey.WORDS];
        assertThat(linear.lookup(key(1, MAC_A, 5), wildcards)).isSameAs(port);
        assertThat(wildcards).containsExactly(expected(IN_PORT_MASK, -1L, 0));
        assertThat(linear.findExactly(tunId(5), 10)).isSameAs(tunnel);
        assertThat(linear.remove(rule("port", 100, inPort(1)))).isNull();
        assertThat(linear.remove(port)).isSameAs(port);
        assertThat(linear.size()).isEqualTo(1);
    }

    /** Either classifier, for tests that hold both to the same behaviour. */
    interface Table {
        Rule insert(Rule rule);

        Rule remove(Rule rule);

        Rule lookup(FlowKey key);

        static Table tuples() {
            Classifier<Rule> c = new Classifier<>();
            return new Table() {
                @Override
                public Rule insert(Rule rule) {
                    return c.insert(rule);
                }

                @Override
                public Rule remove(Rule rule) {
                    return c.remove(rule);
                }

                @Override
                public Rule lookup(FlowKey key) {
                    return c.lookup(key, null);
                }
            };
        }

        static Table linear() {
            LinearClassifier<Rule> c = new LinearClassifier<>();
            return new Table() {
                @Override
                public Rule insert(Rule rule) {
                    return c.insert(rule);
                }

                @Override
                public Rule remove(Rule rule) {
                    return c.remove(rule);
                }

                @Override
                public Rule lookup(FlowKey key) {
                    return c.lookup(key, null);
                }
            };
        }
    }
}
