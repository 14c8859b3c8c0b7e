package io.jvswitch.lab.underlay;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Frames and bytes that went through a segment or node, and what it dropped, by reason. */
public final class Counters {
    private final EnumMap<UnderlayDrop, Long> drops = new EnumMap<>(UnderlayDrop.class);
    private long frames;
    private long bytes;

    void passed(int length) {
        frames++;
        bytes += length;
    }

    void dropped(UnderlayDrop reason) {
        drops.merge(reason, 1L, Long::sum);
    }

    /** Frames carried (a segment: put on the wire; a node: sent or forwarded and received). */
    public long frames() {
        return frames;
    }

    public long bytes() {
        return bytes;
    }

    public long drops(UnderlayDrop reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** The non-zero drop counters. */
    public Map<UnderlayDrop, Long> drops() {
        return Collections.unmodifiableMap(new EnumMap<>(drops));
    }

    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        return frames + " frames, " + bytes + " bytes, drops " + drops;
    }
}
