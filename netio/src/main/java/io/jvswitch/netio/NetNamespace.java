package io.jvswitch.netio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code inside a named network namespace ({@code ip netns add NAME}) without a second process: a new platform
 * thread enters it with {@code setns(2)} and runs the task there. Sockets and TAP devices made by the task belong to
 * that namespace for good and can then be used from any thread.
 */
public final class NetNamespace {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    private NetNamespace() {}

    /** Runs {@code task} in namespace {@code name} (its file is {@code /run/netns/NAME}) and returns its result. */
    public static <T> T call(String name, Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns-" + name).unstarted(() -> {
            try {
                enterThisThread(name);
                result.set(task.call());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /**
     * Moves the calling thread into namespace {@code name} for the rest of its life ({@code setns(2)} changes only the
     * calling thread). For a platform thread the caller owns, such as a datapath thread started for that namespace;
     * never for a pooled or virtual thread, which would carry the namespace into unrelated work.
     */
    public static void enter(String name) throws NativeException {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException(
                    "a virtual thread cannot enter a network namespace: it moves between" + " carrier threads");
        }
        enterThisThread(name);
    }

    private static void enterThisThread(String name) throws NativeException {
        String path = "/run/netns/" + name;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.captureSegment(arena);
            int fd = (int) Native.OPEN.invokeExact(capture, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw Native.failure("open " + path, capture);
            }
            int result = (int) Native.SETNS.invokeExact(capture, fd, CLONE_NEWNET);
            int unused = (int) Native.CLOSE.invokeExact(capture, fd);
            if (result < 0) {
                throw Native.failure("setns " + name, capture);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }
}
