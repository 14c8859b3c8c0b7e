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
 *
 * <p>{@link #openWithOffloads} adds {@code IFF_VNET_HDR} and offers the kernel checksum offload and TCP segmentation
 * offload (IPv4 and IPv6): every read then starts with a {@link VirtioNetHeader} — the frame behind it may have a
 * partial checksum or be a TCP super-frame of up to 64 KB — and {@link #write} puts a header of zeros (a complete
 * frame) in front of every frame itself.
 */
public final class TapDevice implements AutoCloseable {
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final long TUNSETVNETHDRSZ = 0x400454d8L;
    private static final long TUN_F_CSUM = 0x01;
    private static final long TUN_F_TSO4 = 0x02;
    private static final long TUN_F_TSO6 = 0x04;
    private static final int O_RDWR = 2;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Native.captureSegment(arena);
    /** Two iovecs for writev: a virtio header of zeros (below), then the frame. Used only with offloads. */
    private final MemorySegment iovecs = arena.allocate(32, 8);

    private final MemorySegment zeroHeader = arena.allocate(VirtioNetHeader.LENGTH, 8);
    private final String name;
    private final int fd;
    private final boolean offloads;
    private volatile boolean closed;

    private TapDevice(String name, int fd, boolean offloads) {
        this.name = name;
        this.fd = fd;
        this.offloads = offloads;
        iovecs.set(ValueLayout.JAVA_LONG, 0, zeroHeader.address());
        iovecs.set(ValueLayout.JAVA_LONG, 8, VirtioNetHeader.LENGTH);
    }

    /** Creates (or attaches to) the TAP interface {@code name} in the calling thread's network namespace. */
    public static TapDevice open(String name) throws NativeException {
        return open(name, false);
    }

    /**
     * As {@link #open(String)}, with {@code IFF_VNET_HDR} and the kernel told the reader handles partial checksums and
     * TCP super-frames ({@code TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6}): reads start with a {@link VirtioNetHeader} and
     * may be up to 64 KB long; writes get a header of zeros in front.
     */
    public static TapDevice openWithOffloads(String name) throws NativeException {
        return open(name, true);
    }

    private static TapDevice open(String name, boolean offloads) throws NativeException {
        Interfaces.checkName(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.captureSegment(arena);
            int fd = (int) Native.OPEN.invokeExact(
                    capture, arena.allocateFrom("/dev/net/tun"), O_RDWR | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) {
                throw Native.failure("open /dev/net/tun", capture);
            }
            MemorySegment ifreq = Interfaces.ifreq(arena, name);
            short flags = (short) (IFF_TAP | IFF_NO_PI | (offloads ? IFF_VNET_HDR : 0));
            ifreq.set(ValueLayout.JAVA_SHORT, 16, flags);
            if ((int) Native.IOCTL.invokeExact(capture, fd, TUNSETIFF, ifreq) < 0) {
                NativeException failure = Native.failure("TUNSETIFF " + name, capture);
                int unused = (int) Native.CLOSE.invokeExact(capture, fd);
                throw failure;
            }
            if (offloads) {
                MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
                size.set(ValueLayout.JAVA_INT, 0, VirtioNetHeader.LENGTH);
                String failed = null;
                if ((int) Native.IOCTL.invokeExact(capture, fd, TUNSETVNETHDRSZ, size) < 0) {
                    failed = "TUNSETVNETHDRSZ " + name;
                } else if ((int) Native.IOCTL.invokeExact(
                                capture,
                                fd,
                                TUNSETOFFLOAD,
                                // The offload flags are the argument itself, not a pointer to them.
                                MemorySegment.ofAddress(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6))
                        < 0) {
                    failed = "TUNSETOFFLOAD " + name;
                }
                if (failed != null) {
                    NativeException failure = Native.failure(failed, capture);
                    int unused = (int) Native.CLOSE.invokeExact(capture, fd);
                    throw failure;
                }
            }
            String actual = ifreq.getString(0, StandardCharsets.UTF_8);
            return new TapDevice(actual, fd, offloads);
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

    /** True when opened {@link #openWithOffloads with offloads}: reads start with a virtio header. */
    public boolean offloads() {
        return offloads;
    }

    /**
     * Reads one frame into {@code buffer} at {@code offset} (up to {@code capacity} bytes); with offloads, a {@link
     * VirtioNetHeader} and then the frame.
     *
     * @return the length read (header included), or 0 when none is waiting
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

    /**
     * Writes one complete frame (the kernel receives it on the interface); with offloads, behind a virtio header of
     * zeros, in the same system call.
     */
    public void write(MemorySegment buffer, long offset, int length) throws NativeException {
        requireNative(buffer);
        Objects.checkFromIndexSize(offset, length, buffer.byteSize());
        if (!offloads) {
            writeAt(buffer.address() + offset, length);
            return;
        }
        try {
            iovecs.set(ValueLayout.JAVA_LONG, 16, buffer.address() + offset);
            iovecs.set(ValueLayout.JAVA_LONG, 24, (long) length);
            long n = (long) Native.WRITEV_AT.invokeExact(capture, fd, iovecs.address(), 2);
            if (n < 0) {
                throw Native.failure("write " + name, capture);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /**
     * Writes a frame behind the {@link VirtioNetHeader} the caller put in front of it ({@code length} counts both): a
     * TCP super-frame the kernel receives as one, say, or a frame whose checksum it is to finish. Needs {@link
     * #openWithOffloads offloads}.
     */
    public void writeWithHeader(MemorySegment buffer, long offset, int length) throws NativeException {
        requireNative(buffer);
        if (!offloads) {
            throw new IllegalStateException(name + " was opened without IFF_VNET_HDR");
        }
        Objects.checkFromIndexSize(offset, length, buffer.byteSize());
        writeAt(buffer.address() + offset, length);
    }

    /** One write(2) of {@code length} bytes at a native address. */
    private void writeAt(long address, int length) throws NativeException {
        try {
            long n = (long) Native.WRITE_AT.invokeExact(capture, fd, address, (long) length);
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
