package io.jvswitch.datapath.io;

import io.jvswitch.datapath.Datapath;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A datapath thread with no I/O of its own: tasks run one at a time on a single thread, and packets reach the datapath
 * only through tasks (the in-process lab, the daemon's tests). Forwarding off is recorded but there is nothing to hold.
 */
public final class InlineDatapathThread implements DatapathThread {
    private final Datapath datapath;
    private final ExecutorService executor;
    private volatile boolean forwarding = true;

    public InlineDatapathThread(Datapath datapath, String threadName) {
        this.datapath = datapath;
        this.executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Datapath datapath() {
        return datapath;
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    @Override
    public void forwarding(boolean enabled) {
        this.forwarding = enabled;
    }

    @Override
    public boolean forwarding() {
        return forwarding;
    }

    @Override
    public void close() {
        executor.close();
    }
}
