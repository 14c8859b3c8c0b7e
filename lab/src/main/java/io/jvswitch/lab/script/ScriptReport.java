package io.jvswitch.lab.script;

import io.jvswitch.lab.time.VirtualClock;
import io.jvswitch.lab.topology.Step;
import java.util.List;

/** What a script run did: one result per step. */
public record ScriptReport(List<Result> results) {
    public ScriptReport {
        results = List.copyOf(results);
    }

    /**
     * One step's outcome.
     *
     * @param index the step's place in the script, from 0
     * @param timeNanos virtual time when the step finished
     * @param passed false when an expectation failed (steps without one pass unless they could not be done)
     * @param text what happened, as a line ({@code ping vm1 -> 10.0.0.2: 3 packets transmitted, ...})
     */
    public record Result(int index, Step step, long timeNanos, boolean passed, String text) {
        /** {@code [  1.000200] ok   ping vm1 -> 10.0.0.2: ...}, or {@code FAIL}. */
        public String line() {
            return String.format("[%11s] %-4s %s", VirtualClock.formatSeconds(timeNanos), passed ? "ok" : "FAIL", text);
        }
    }

    public boolean passed() {
        return results.stream().allMatch(Result::passed);
    }

    public List<Result> failures() {
        return results.stream().filter(r -> !r.passed()).toList();
    }

    /** Every step's line. */
    public List<String> lines() {
        return results.stream().map(Result::line).toList();
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }
}
