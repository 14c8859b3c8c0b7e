package io.jvswitch.app.daemon;

import io.jvswitch.datapath.port.CaptureSink;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One capture of a port's frames for {@code jvs tcpdump}: copies of the first {@code count} frames (or as many as fit
 * in {@link #MAX_BYTES}), stamped with the time they passed. The datapath's thread adds frames; the request's thread waits for them and takes the result.
 */
public final class PortCapture implements CaptureSink {
    /** The most frames one capture keeps: they are held in memory until the capture ends. */
    public static final int MAX_COUNT = 10_000;

    /** The most bytes one capture keeps (TSO super-frames are up to 64 KB each): it ends when the next would pass. */
    public static final long MAX_BYTES = 64L << 20;

    /** The longest a capture may wait, an hour: its client waits on its socket that long. */
    public static final Duration MAX_TIME = Duration.ofHours(1);

    /** A captured frame. */
    public record Frame(long timeNanos, boolean received, byte[] bytes) {}

    private final int count;
    private final InstantSource clock;
    private final List<Frame> frames = new ArrayList<>();
    private long bytes;
    private final CountDownLatch full = new CountDownLatch(1);

    PortCapture(int count, InstantSource clock) {
        this.count = count;
        this.clock = clock;
    }

    @Override
    public void frame(boolean received, MemorySegment segment, long offset, int length) {
        synchronized (frames) {
            if (full.getCount() == 0) {
                return; // ended: full, or ended by a newer capture of the port
            }
            if (bytes + length > MAX_BYTES) {
                full.countDown();
                return;
            }
            bytes += length;
            var now = clock.instant();
            long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            frames.add(
                    new Frame(nanos, received, segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)));
            if (frames.size() == count) {
                full.countDown();
            }
        }
    }

    /** Ends the capture now: {@link #await} returns what it has, and later frames are not kept. */
    void end() {
        full.countDown();
    }

    /** Waits until {@code count} frames have passed or {@code timeout} has, and returns what was captured. */
    List<Frame> await(Duration timeout) throws InterruptedException {
        full.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }
}
