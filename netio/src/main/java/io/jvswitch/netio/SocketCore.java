package io.jvswitch.netio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What the socket classes share: the file descriptor, the errno capture (one per socket, so one thread at a time calls
 * it), a scratch area for option values and addresses (control path), batched receive and send, and close.
 */
final class SocketCore {
    private static final int IP_MULTICAST_IF = 32;
    private static final int IPV6_MULTICAST_IF = 17;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_PACKET = 17;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;

    static final int SOL_SOCKET = 1;
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_IPV6 = 41;
    static final int SOL_PACKET = 263;

    private static final int MSG_DONTWAIT = 0x40;

    private final Arena arena;
    private final MemorySegment capture;
    /** Option values and socket addresses for the control path; 64 bytes fit every one used here. */
    final MemorySegment scratch;

    final int fd;
    /** What the socket is, for error messages: {@code UDP 198.18.0.2:4789}, {@code AF_PACKET veth0}. */
    volatile String description;

    private volatile boolean closed;

    /**
     * Sets the interface multicast leaves by: {@code IP_MULTICAST_IF} with an {@code ip_mreqn} for IPv4, {@code
     * IPV6_MULTICAST_IF} for IPv6. UDP and raw sockets both need it.
     */
    void multicastInterface(IpFamily family, int interfaceIndex) throws NativeException {
        if (family == IpFamily.IPV4) {
            scratch.set(ValueLayout.JAVA_LONG, 0, 0L);
            scratch.set(ValueLayout.JAVA_INT, 8, interfaceIndex);
            setOption(
                    IPPROTO_IP,
                    IP_MULTICAST_IF,
                    12,
                    "setsockopt IP_MULTICAST_IF ifindex " + interfaceIndex + " on " + description);
        } else {
            scratch.set(ValueLayout.JAVA_INT, 0, interfaceIndex);
            setOption(
                    IPPROTO_IPV6,
                    IPV6_MULTICAST_IF,
                    4,
                    "setsockopt IPV6_MULTICAST_IF ifindex " + interfaceIndex + " on " + description);
        }
    }

    private SocketCore(Arena arena, MemorySegment capture, int fd, String description) {
        this.arena = arena;
        this.capture = capture;
        this.scratch = arena.allocate(64, 8);
        this.fd = fd;
        this.description = description;
    }

    /**
     * {@code socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol)}; {@code call} names it in an error
     * ({@code socket AF_INET SOCK_RAW IPPROTO_RAW}).
     */
    static SocketCore open(int domain, int type, int protocol, String call, String description) throws NativeException {
        Arena arena = Arena.ofShared();
        MemorySegment capture = Native.captureSegment(arena);
        try {
            int fd = (int) Native.SOCKET.invokeExact(capture, domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
            if (fd < 0) {
                NativeException failure = Native.failure(call, capture);
                arena.close();
                throw failure;
            }
            return new SocketCore(arena, capture, fd, description);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            arena.close();
            throw Native.impossible(e);
        }
    }

    /** {@code setsockopt(level, option, &value, sizeof(int))}; {@code name} is the option's C name. */
    void setInt(int level, int option, int value, String name) throws NativeException {
        scratch.set(ValueLayout.JAVA_INT, 0, value);
        setOption(level, option, 4, "setsockopt " + name + " on " + description);
    }

    /** {@code setsockopt} with the first {@code length} bytes of {@link #scratch}; {@code call} names it. */
    void setOption(int level, int option, int length, String call) throws NativeException {
        checkOpen();
        try {
            if ((int) Native.SETSOCKOPT.invokeExact(capture, fd, level, option, scratch, length) < 0) {
                throw Native.failure(call, capture);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** {@code bind} to the first {@code length} bytes of {@link #scratch}, a socket address. */
    void bind(int length, String call) throws NativeException {
        checkOpen();
        try {
            if ((int) Native.BIND.invokeExact(capture, fd, scratch, length) < 0) {
                throw Native.failure(call, capture);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** {@code connect} to the first {@code length} bytes of {@link #scratch}, a socket address. */
    void connect(int length, String call) throws NativeException {
        checkOpen();
        try {
            if ((int) Native.CONNECT.invokeExact(capture, fd, scratch, length) < 0) {
                throw Native.failure(call, capture);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** {@code getsockname} into the first 28 bytes of {@link #scratch}: a sockaddr_in or sockaddr_in6. */
    void localName() throws NativeException {
        checkOpen();
        try {
            scratch.set(ValueLayout.JAVA_INT, 32, 28);
            if ((int) Native.GETSOCKNAME.invokeExact(capture, fd, scratch, scratch.asSlice(32)) < 0) {
                throw Native.failure("getsockname " + description, capture);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    void writeSockaddr4(int address, int port) {
        // struct sockaddr_in { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr; char zero[8]; }
        scratch.set(ValueLayout.JAVA_SHORT, 0, (short) SocketCore.AF_INET);
        scratch.set(MessageBatch.NET_SHORT, 2, (short) port);
        scratch.set(MessageBatch.NET_INT, 4, address);
        scratch.set(ValueLayout.JAVA_LONG, 8, 0L);
    }

    void writeSockaddr6(long high, long low, int port) {
        // struct sockaddr_in6 { sa_family_t; in_port_t; uint32_t flowinfo; struct in6_addr; uint32_t scope_id; }
        scratch.set(ValueLayout.JAVA_SHORT, 0, (short) SocketCore.AF_INET6);
        scratch.set(MessageBatch.NET_SHORT, 2, (short) port);
        scratch.set(ValueLayout.JAVA_INT, 4, 0);
        scratch.set(MessageBatch.NET_LONG, 8, high);
        scratch.set(MessageBatch.NET_LONG, 16, low);
        scratch.set(ValueLayout.JAVA_INT, 24, 0);
    }

    /** The port the socket is bound to ({@code getsockname}); works for sockaddr_in and sockaddr_in6 alike. */
    int localPort() throws NativeException {
        localName();
        return Short.toUnsignedInt(scratch.get(MessageBatch.NET_SHORT, 2));
    }

    /** recvmmsg into every slot, without waiting: the number of messages received, 0 when none is waiting. */
    int receive(MessageBatch batch) throws NativeException {
        checkOpen();
        batch.prepareReceive();
        try {
            int count;
            do {
                count = (int) Native.RECVMMSG.invokeExact(
                        capture, fd, batch.vector(0), batch.slots(), MSG_DONTWAIT, MemorySegment.NULL);
            } while (count < 0 && Native.errno(capture) == Errno.EINTR);
            if (count < 0) {
                if (Native.errno(capture) == Errno.EAGAIN) {
                    return 0;
                }
                throw Native.failure("recvmmsg " + description, capture);
            }
            batch.completeReceive(count);
            return count;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /**
     * sendmmsg of slots {@code [0, count)}, in order. A message the kernel refuses (EMSGSIZE, ENETUNREACH, ENOBUFS,
     * ...) gets that errno in {@link MessageBatch#error} and the send goes on with the next; when the socket's buffer
     * is full (EAGAIN) the rest are marked EAGAIN. Errors that mean the socket itself is unusable throw.
     *
     * @return how many messages the kernel took
     */
    int send(MessageBatch batch, int count) throws NativeException {
        return send(batch, 0, count);
    }

    /** As {@link #send(MessageBatch, int)}, for slots {@code [from, from + count)}. */
    int send(MessageBatch batch, int from, int count) throws NativeException {
        checkOpen();
        int end = from + count;
        batch.prepareSend(from, end);
        try {
            int next = from;
            int sent = 0;
            while (next < end) {
                int n = (int) Native.SENDMMSG.invokeExact(capture, fd, batch.vector(next), end - next, MSG_DONTWAIT);
                if (n > 0) {
                    next += n;
                    sent += n;
                    continue;
                }
                int errno = Native.errno(capture);
                switch (errno) {
                    case Errno.EINTR -> {}
                    case Errno.EAGAIN -> {
                        for (int i = next; i < end; i++) {
                            batch.error(i, Errno.EAGAIN);
                        }
                        return sent;
                    }
                    case Errno.EBADF, Errno.ENOTSOCK, Errno.EFAULT -> throw sendFailure(batch, next, errno);
                    default -> batch.error(next++, errno);
                }
            }
            return sent;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /**
     * One {@code sendmsg} of {@code message}, without waiting.
     *
     * @return 0 when the kernel took it, else the errno that refused it (EAGAIN when the socket's buffer is full)
     * @throws NativeException when the socket itself is unusable (EBADF, ENOTSOCK, EFAULT)
     */
    int send(SegmentedMessage message) throws NativeException {
        checkOpen();
        try {
            while (true) {
                long n = (long) Native.SENDMSG.invokeExact(capture, fd, message.header(), MSG_DONTWAIT);
                if (n >= 0) {
                    return 0;
                }
                int errno = Native.errno(capture);
                switch (errno) {
                    case Errno.EINTR -> {}
                    case Errno.EBADF, Errno.ENOTSOCK, Errno.EFAULT -> {
                        String call = "sendmsg " + description + " to " + message.destinationText();
                        throw new NativeException(call, errno, NativeException.hint(call, errno));
                    }
                    default -> {
                        return errno;
                    }
                }
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** The error a slot's send met, as an exception to log or throw (this allocates: the control path). */
    NativeException sendFailure(MessageBatch batch, int slot, int errno) {
        String call = "sendmmsg " + description + " to " + batch.destinationText(slot);
        return new NativeException(call, errno, NativeException.hint(call, errno));
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    void close() {
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
