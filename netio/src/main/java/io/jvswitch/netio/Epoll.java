package io.jvswitch.netio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * An epoll instance: file descriptors (sockets, TAP devices) registered with a token of the caller's choosing, and a
 * wait that fills a preallocated event array; {@link #token} and {@link #events} read it without allocating.
 * Level-triggered: a socket stays ready until its queue is drained. The errno capture is per instance: one thread at a
 * time calls it.
 */
public final class Epoll implements AutoCloseable {
    /** {@code EPOLLIN}: there is something to receive. */
    public static final int READABLE = 0x001;
    /** {@code EPOLLOUT}: a send would not block. */
    public static final int WRITABLE = 0x004;
    /** {@code EPOLLERR}, always reported. */
    public static final int ERROR = 0x008;
    /** {@code EPOLLHUP}, always reported. */
    public static final int HANGUP = 0x010;

    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;

    /**
     * {@code struct epoll_event { uint32_t events; epoll_data_t data; }} is packed on x86-64 (12 bytes, the 64-bit data
     * at offset 4) and naturally aligned elsewhere (16 bytes, data at 8).
     */
    private static final boolean PACKED = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
        case "amd64", "x86_64" -> true;
        default -> false;
    };

    private static final int EVENT_SIZE = PACKED ? 12 : 16;
    private static final long DATA = PACKED ? 4 : 8;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Native.captureSegment(arena);
    private final MemorySegment control = arena.allocate(16, 8);
    private final MemorySegment events;
    private final int maxEvents;
    private final int fd;
    private volatile boolean closed;

    private Epoll(int fd, int maxEvents) {
        this.fd = fd;
        this.maxEvents = maxEvents;
        this.events = arena.allocate((long) EVENT_SIZE * maxEvents, 8);
    }

    /** Creates an epoll instance whose {@link #await} reports up to {@code maxEvents} ready descriptors at once. */
    public static Epoll open(int maxEvents) throws NativeException {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("an epoll wait reports at least 1 event, not " + maxEvents);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.captureSegment(arena);
            int fd = (int) Native.EPOLL_CREATE1.invokeExact(capture, EPOLL_CLOEXEC);
            if (fd < 0) {
                throw Native.failure("epoll_create1", capture);
            }
            return new Epoll(fd, maxEvents);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** Watches {@code fd} for {@link #READABLE}, reporting it with {@code token}. */
    public void add(int fd, long token) throws NativeException {
        add(fd, token, READABLE);
    }

    /** Watches {@code fd} for {@code events} ({@link #READABLE}, {@link #WRITABLE}), reporting it with {@code token}. */
    public void add(int fd, long token, int events) throws NativeException {
        control(EPOLL_CTL_ADD, fd, token, events, "epoll_ctl EPOLL_CTL_ADD fd " + fd);
    }

    /** Changes what {@code fd} is watched for, and its token. */
    public void modify(int fd, long token, int events) throws NativeException {
        control(EPOLL_CTL_MOD, fd, token, events, "epoll_ctl EPOLL_CTL_MOD fd " + fd);
    }

    /** Stops watching {@code fd} (closing a descriptor also does, once no other copy of it is open). */
    public void remove(int fd) throws NativeException {
        control(EPOLL_CTL_DEL, fd, 0, 0, "epoll_ctl EPOLL_CTL_DEL fd " + fd);
    }

    private void control(int operation, int target, long token, int watched, String call) throws NativeException {
        checkOpen();
        control.set(ValueLayout.JAVA_INT, 0, watched);
        control.set(ValueLayout.JAVA_LONG_UNALIGNED, DATA, token);
        try {
            if ((int) Native.EPOLL_CTL.invokeExact(capture, fd, operation, target, control) < 0) {
                throw Native.failure(call, capture);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /**
     * Waits until at least one descriptor is ready or {@code timeoutMillis} pass (0: do not wait; -1: wait for ever).
     * Named {@code await} because {@code wait} is {@link Object#wait}'s.
     *
     * @return how many descriptors are ready (read them with {@link #token} and {@link #events}); 0 on timeout or when
     *     a signal interrupted the wait
     */
    public int await(int timeoutMillis) throws NativeException {
        checkOpen();
        try {
            int count = (int) Native.EPOLL_WAIT.invokeExact(capture, fd, events, maxEvents, timeoutMillis);
            if (count < 0) {
                if (Native.errno(capture) == Errno.EINTR) {
                    return 0;
                }
                throw Native.failure("epoll_wait", capture);
            }
            return count;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** The token of the {@code i}th ready descriptor of the last {@link #await}. */
    public long token(int i) {
        return events.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) i * EVENT_SIZE + DATA);
    }

    /** What the {@code i}th ready descriptor is ready for: {@link #READABLE}, {@link #WRITABLE}, {@link #ERROR}... */
    public int events(int i) {
        return events.get(ValueLayout.JAVA_INT, (long) i * EVENT_SIZE);
    }

    /** The epoll descriptor itself (an epoll instance can be watched by another). */
    public int fd() {
        return fd;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("epoll fd " + fd + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int unused = (int) Native.CLOSE.invokeExact(capture, fd);
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
        arena.close();
    }
}
