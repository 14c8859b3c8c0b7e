package io.jvswitch.netio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Network interface settings through {@code ioctl(2)} on a datagram socket, as ip-link does them: MTU, MAC address,
 * up and down; and interface indexes by name.
 */
public final class Interfaces {
    /** IFNAMSIZ: interface names are at most 15 bytes. */
    public static final int NAME_MAX = 15;

    static final int IFREQ_SIZE = 40;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCSIFMTU = 0x8922;
    private static final long SIOCSIFHWADDR = 0x8924;
    private static final short IFF_UP = 0x1;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final short ARPHRD_ETHER = 1;

    private Interfaces() {}

    /** Checks a name against the kernel's rules (1–15 bytes, no '/', no white space). */
    public static void checkName(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0
                || bytes.length > NAME_MAX
                || name.contains("/")
                || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "'" + name + "' is not an interface name (1 to 15 bytes, no '/' or" + " spaces)");
        }
    }

    /** A zeroed {@code struct ifreq} naming {@code name}. */
    static MemorySegment ifreq(Arena arena, String name) {
        MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return ifreq;
    }

    /** The kernel's index for interface {@code name}. */
    public static int index(String name) throws NativeException {
        checkName(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.captureSegment(arena);
            int index = (int) Native.IF_NAMETOINDEX.invokeExact(capture, arena.allocateFrom(name));
            if (index == 0) {
                throw Native.failure("if_nametoindex " + name, capture);
            }
            return index;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    public static void setMtu(String name, int mtu) throws NativeException {
        withSocket(name, "SIOCSIFMTU " + name + " " + mtu, (arena, ifreq) -> {
            ifreq.set(ValueLayout.JAVA_INT, 16, mtu);
            return SIOCSIFMTU;
        });
    }

    public static void setMac(String name, long mac) throws NativeException {
        withSocket(name, "SIOCSIFHWADDR " + name, (arena, ifreq) -> {
            ifreq.set(ValueLayout.JAVA_SHORT, 16, ARPHRD_ETHER);
            for (int i = 0; i < 6; i++) {
                ifreq.set(ValueLayout.JAVA_BYTE, 18 + i, (byte) (mac >>> (40 - 8 * i)));
            }
            return SIOCSIFHWADDR;
        });
    }

    /** Brings the interface up or down, keeping its other flags. */
    public static void setUp(String name, boolean up) throws NativeException {
        checkName(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.captureSegment(arena);
            int socket = (int) Native.SOCKET.invokeExact(capture, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (socket < 0) {
                throw Native.failure("socket AF_INET SOCK_DGRAM", capture);
            }
            try {
                MemorySegment ifreq = ifreq(arena, name);
                if ((int) Native.IOCTL.invokeExact(capture, socket, SIOCGIFFLAGS, ifreq) < 0) {
                    throw Native.failure("SIOCGIFFLAGS " + name, capture);
                }
                short flags = ifreq.get(ValueLayout.JAVA_SHORT, 16);
                ifreq.set(ValueLayout.JAVA_SHORT, 16, (short) (up ? flags | IFF_UP : flags & ~IFF_UP));
                if ((int) Native.IOCTL.invokeExact(capture, socket, SIOCSIFFLAGS, ifreq) < 0) {
                    throw Native.failure("SIOCSIFFLAGS " + name + (up ? " up" : " down"), capture);
                }
            } finally {
                int unused = (int) Native.CLOSE.invokeExact(capture, socket);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    private interface Request {
        long fill(Arena arena, MemorySegment ifreq);
    }

    private static void withSocket(String name, String call, Request request) throws NativeException {
        checkName(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.captureSegment(arena);
            int socket = (int) Native.SOCKET.invokeExact(capture, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (socket < 0) {
                throw Native.failure("socket AF_INET SOCK_DGRAM", capture);
            }
            try {
                MemorySegment ifreq = ifreq(arena, name);
                long code = request.fill(arena, ifreq);
                if ((int) Native.IOCTL.invokeExact(capture, socket, code, ifreq) < 0) {
                    throw Native.failure(call, capture);
                }
            } finally {
                int unused = (int) Native.CLOSE.invokeExact(capture, socket);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw Native.impossible(e);
        }
    }

    /** For code that builds sockaddrs: network byte order. */
    static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
}
