package io.jvswitch.lab.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The lab's clock: time that moves only when the {@link Scheduler} that owns it runs an event, so a 300-second
 * timeout passes in no wall time at all. Hand it to anything that asks for an {@link InstantSource} (flow tables,
 * flow caches, MAC tables).
 *
 * <p>Time is kept as nanoseconds since {@link #start()}; {@link #instant()} adds them to the start. The default start
 * is {@link #DEFAULT_START}, a fixed instant, so that every run of a scenario gives the same timestamps (in captures
 * too). Not thread-safe: the lab is single-threaded.
 */
public final class VirtualClock implements InstantSource {
    /** 2026-01-01T00:00:00Z: a fixed, recent start, so that captures show a plausible date. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final Instant start;
    private final long startEpochNanos;
    private long nanos;

    public VirtualClock() {
        this(DEFAULT_START);
    }

    /** A clock whose time 0 is {@code start} (from 1970 onwards, so that captures can hold it). */
    public VirtualClock(Instant start) {
        if (start.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("a virtual clock starts in 1970 or later, not " + start);
        }
        this.start = start;
        this.startEpochNanos =
                Math.addExact(Math.multiplyExact(start.getEpochSecond(), 1_000_000_000L), start.getNano());
    }

    /** The instant of virtual time 0. */
    public Instant start() {
        return start;
    }

    /** Nanoseconds of virtual time since {@link #start()}. */
    public long nanos() {
        return nanos;
    }

    /** Virtual time since {@link #start()}. */
    public Duration elapsed() {
        return Duration.ofNanos(nanos);
    }

    /** Nanoseconds since 1970-01-01T00:00:00Z: a capture's timestamp. */
    public long epochNanos() {
        return startEpochNanos + nanos;
    }

    @Override
    public Instant instant() {
        return start.plusNanos(nanos);
    }

    @Override
    public long millis() {
        return Math.floorDiv(epochNanos(), 1_000_000L);
    }

    /** Moves time forward to {@code nanos}; only the scheduler does this, between events. */
    void advanceTo(long target) {
        if (target < nanos) {
            throw new IllegalStateException("virtual time cannot go back from " + nanos + " ns to " + target + " ns");
        }
        nanos = target;
    }

    /** Seconds since the start, as {@code 12.000345} (microseconds): how lab logs print time. */
    public static String formatSeconds(long nanos) {
        return String.format("%d.%06d", nanos / 1_000_000_000L, (nanos % 1_000_000_000L) / 1000);
    }

    @Override
    public String toString() {
        return "VirtualClock[" + formatSeconds(nanos) + " s since " + start + "]";
    }
}
