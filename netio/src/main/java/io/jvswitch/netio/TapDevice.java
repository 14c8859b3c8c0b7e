package io.jvswitch.netio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A TAP device ({@code IFF_TAP | IFF_NO_PI}): each read is one Ethernet frame the kernel sent out of the interface,
 * each write one frame the kernel receives on it. Non-blocking: a read with nothing waiting returns 0. The errno
 * capture is per device, so one thread reads and writes a device at a time.
 */
public final class TapDevice implements AutoCloseable {
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final int O_RDWR = 2;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Native.captureSegment(arena);
    private final String name;
    private final int fd;
    private volatile boolean closed;

    private TapDevice(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /** Creates (or attaches to) the TAP interface {@code name} in the calling thread's network namespace. */
    public static TapDevice open(String name) throws NativeException {
        Interfaces.checkName(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.captureSegment(arena);
            int fd = (int) Native.OPEN.invokeExact(
                    capture, arena.allocateFrom("/dev/net/tun"), O_RDWR | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) {
                throw Native.failure("open /dev/net/tun", capture);
            }
            MemorySegment ifreq = Interfaces.ifreq(arena, name);
            ifreq.set(ValueLayout.JAVA_SHORT, 16, (short) (IFF_TAP | IFF_NO_PI));
            if ((int) Native.IOCTL.invokeExact(capture, fd, TUNSETIFF, ifreq) < 0) {
                NativeException failure = Native.failure("TUNSETIFF " + name, capture);
                int unused = (int) Native.CLOSE.invokeExact(capture, fd);
                throw failure;
            }
            String actual = ifreq.getString(0, StandardCharsets.UTF_8);
            return new TapDevice(actual, fd);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    public String name() {
        return name;
    }

    /** The file descriptor, for epoll. */
    public int fd() {
        return fd;
    }

    /**
     * Reads one frame into {@code buffer} at {@code offset} (up to {@code capacity} bytes).
     *
     * @return the frame's length, or 0 when none is waiting
     */
    public int read(MemorySegment buffer, long offset, int capacity) throws NativeException {
        requireNative(buffer);
        try {
            Objects.checkFromIndexSize(offset, capacity, buffer.byteSize());
            long n = (long) Native.READ_AT.invokeExact(capture, fd, buffer.address() + offset, (long) capacity);
            if (n < 0) {
                int errno = Native.errno(capture);
                if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                    return 0;
                }
                throw new NativeException("read " + name, errno, NativeException.hint("read", errno));
            }
            return (int) n;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** Writes one frame (the kernel receives it on the interface). */
    public void write(MemorySegment buffer, long offset, int length) throws NativeException {
        requireNative(buffer);
        try {
            Objects.checkFromIndexSize(offset, length, buffer.byteSize());
            long n = (long) Native.WRITE_AT.invokeExact(capture, fd, buffer.address() + offset, (long) length);
            if (n < 0) {
                throw Native.failure("write " + name, capture);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** The kernel reads and writes native memory only (the datapath's packet buffers are off-heap). */
    static void requireNative(MemorySegment buffer) {
        if (!buffer.isNative()) {
            throw new IllegalArgumentException(
                    "packet I/O needs native memory (an off-heap MemorySegment), not " + buffer);
        }
    }

    public void setMtu(int mtu) throws NativeException {
        Interfaces.setMtu(name, mtu);
    }

    public void setMac(long mac) throws NativeException {
        Interfaces.setMac(name, mac);
    }

    public void setUp(boolean up) throws NativeException {
        Interfaces.setUp(name, up);
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
