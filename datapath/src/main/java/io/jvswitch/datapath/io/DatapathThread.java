package io.jvswitch.datapath.io;

import io.jvswitch.datapath.Datapath;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * The one thread that owns a {@link Datapath} (which is single-threaded): it forwards packets, and runs the control
 * path's work — configuration changes, flow mods, dumps — between batches, so that nothing needs a lock. The daemon
 * talks to the datapath only through {@link #submit}.
 *
 * <p>While {@link #forwarding} is off, packets that arrive are dropped and counted: a restarting switch holds traffic
 * until its flows are restored, as Open vSwitch's {@code other_config:flow-restore-wait} does.
 */
public interface DatapathThread extends AutoCloseable {
    /** The datapath; touch it only from a task given to {@link #submit}. */
    Datapath datapath();

    /** Runs {@code task} on the datapath's thread; the future completes with its result or its exception. */
    <T> CompletableFuture<T> submit(Callable<T> task);

    /**
     * True when the thread runs the datapath's timers by itself, once a second between packet batches ({@link
     * Datapath#runTimers}); otherwise its owner does.
     */
    default boolean runsTimers() {
        return false;
    }

    /** Starts or stops forwarding (flow-restore-wait). */
    void forwarding(boolean enabled);

    boolean forwarding();

    /** Stops the thread after the tasks already submitted, and releases what it holds. */
    @Override
    void close();
}
