package io.jvswitch.lab.guest;

import io.jvswitch.datapath.port.FrameSink;
import io.jvswitch.lab.time.Scheduler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;

/**
 * Wires that carry frames between sinks with no switch in between: back to back, or with a delay on the lab's
 * scheduler (so that pings have a round-trip time).
 */
public final class Cable {
    private Cable() {}

    /** Connects two guests back to back: what one sends, the other receives at the same virtual time. */
    public static void connect(Guest a, Guest b) {
        a.connect(b);
        b.connect(a);
    }

    /** Connects two guests with a cable that takes {@code latency} each way. */
    public static void connect(Scheduler scheduler, Duration latency, Guest a, Guest b) {
        a.connect(delayed(scheduler, latency, b));
        b.connect(delayed(scheduler, latency, a));
    }

    /** A sink that copies each frame and hands it to {@code target} {@code latency} later. */
    public static FrameSink delayed(Scheduler scheduler, Duration latency, FrameSink target) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(target, "target");
        return (segment, offset, length) -> {
            byte[] frame = segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
            scheduler.after(latency, () -> target.deliver(MemorySegment.ofArray(frame), 0, frame.length));
        };
    }
}
