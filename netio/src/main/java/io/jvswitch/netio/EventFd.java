package io.jvswitch.netio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An {@code eventfd(2)} counter, non-blocking: how another thread wakes a thread sleeping in {@link Epoll#await}. Any
 * thread may {@link #signal}; the thread that watches it calls {@link #drain} when epoll reports it readable, which
 * resets the counter so that the next signal wakes the wait again. Signals coalesce: ten signals before a drain make
 * one wake-up.
 */
public final class EventFd implements AutoCloseable {
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    private final Arena arena = Arena.ofShared();
    private final int fd;
    /** Signalling threads share one capture and value, so they take turns (the control path: rare, cheap). */
    private final Object signalLock = new Object();

    private final MemorySegment signalCapture = Native.captureSegment(arena);
    private final MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
    /** The draining thread's own: it never waits for signallers. */
    private final MemorySegment drainCapture = Native.captureSegment(arena);

    private final MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
    private volatile boolean closed;

    private EventFd(int fd) {
        this.fd = fd;
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    /** Creates an eventfd whose counter starts at 0 (not readable). */
    public static EventFd open() throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.captureSegment(arena);
            int fd = (int) Native.EVENTFD.invokeExact(capture, 0, EFD_NONBLOCK | EFD_CLOEXEC);
            if (fd < 0) {
                throw Native.failure("eventfd", capture);
            }
            return new EventFd(fd);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** Adds 1 to the counter, making the descriptor readable. Safe from any thread; does nothing once closed. */
    public void signal() throws NativeException {
        synchronized (signalLock) {
            if (closed) {
                return;
            }
            try {
                long n = (long) Native.WRITE.invokeExact(signalCapture, fd, one, 8L);
                // EAGAIN: the counter is at its maximum, so the descriptor is readable already.
                if (n < 0 && Native.errno(signalCapture) != Errno.EAGAIN) {
                    throw Native.failure("write eventfd " + fd, signalCapture);
                }
            } catch (NativeException e) {
                throw e;
            } catch (Throwable e) {
                throw Native.impossible(e);
            }
        }
    }

    /**
     * Reads and resets the counter; called by the one thread that watches the descriptor.
     *
     * @return how many signals since the last drain (0 when none)
     */
    public long drain() throws NativeException {
        try {
            long n = (long) Native.READ.invokeExact(drainCapture, fd, counter, 8L);
            if (n < 0) {
                int errno = Native.errno(drainCapture);
                if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                    return 0;
                }
                throw Native.failure("read eventfd " + fd, drainCapture);
            }
            return counter.get(ValueLayout.JAVA_LONG, 0);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** The file descriptor, for {@link Epoll}. */
    public int fd() {
        return fd;
    }

    @Override
    public void close() {
        synchronized (signalLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                int unused = (int) Native.CLOSE.invokeExact(drainCapture, fd);
            } catch (Throwable e) {
                throw Native.impossible(e);
            }
        }
        arena.close();
    }
}
