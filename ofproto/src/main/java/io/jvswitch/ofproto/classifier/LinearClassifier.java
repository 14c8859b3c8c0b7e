package io.jvswitch.ofproto.classifier;

import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * The same contract as {@link Classifier}, kept as plain as possible: the rules in insertion order, scanned whole on
 * every lookup. It is the reference the differential test holds {@link Classifier} against, and a baseline for
 * benchmarks; too slow for real tables.
 *
 * <p>Equal priorities are decided the same way: the earliest inserted matching rule wins, and a replacement counts as
 * a new insertion (it goes to the end). {@link #lookup} reports as wildcards the masks of all rules, since it examines
 * them all. Changes cost O(1) (a linked hash map keyed by match and priority), so that tests can fill it with 100,000
 * rules. Not thread-safe.
 *
 * @param <R> the rule type
 */
public final class LinearClassifier<R extends Classified> {
    private record Exact(Match match, int priority) {}

    private final LinkedHashMap<Exact, R> rules = new LinkedHashMap<>();
    /** The rules in insertion order, for the scan; null after a change. */
    private Classified[] scan;

    /** Adds {@code rule}, replacing (and returning) the rule with the same match and priority, if any. */
    public R insert(R rule) {
        scan = null;
        Exact exact = new Exact(rule.match(), rule.priority());
        R replaced = rules.remove(exact);
        rules.put(exact, rule);
        return replaced;
    }

    /** Removes {@code rule} itself (by identity, as {@link Classifier#remove}); returns it, or null if absent. */
    public R remove(R rule) {
        Exact exact = new Exact(rule.match(), rule.priority());
        if (rules.get(exact) != rule) {
            return null;
        }
        scan = null;
        return rules.remove(exact);
    }

    public R findExactly(Match match, int priority) {
        return rules.get(new Exact(match, priority));
    }

    /** The highest-priority matching rule, the earliest inserted among equals, or null. */
    @SuppressWarnings("unchecked")
    public R lookup(FlowKey key, long[] wildcards) {
        if (scan == null) {
            scan = rules.values().toArray(new Classified[0]);
        }
        Classified best = null;
        for (Classified rule : scan) {
            Match match = rule.match();
            if (wildcards != null) {
                for (int w = 0; w < FlowKey.WORDS; w++) {
                    wildcards[w] |= match.mask(w);
                }
            }
            if ((best == null || rule.priority() > best.priority()) && match.matches(key)) {
                best = rule;
            }
        }
        return (R) best;
    }

    public int size() {
        return rules.size();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** A snapshot of every rule, in insertion order. */
    public List<R> rules() {
        return new ArrayList<>(rules.values());
    }

    public void forEach(Consumer<? super R> action) {
        rules.values().forEach(action);
    }
}
