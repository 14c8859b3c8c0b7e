package io.jvswitch.netio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library, reached through the JDK's foreign function interface: one downcall handle per function, made once,
 * each capturing errno. The rest of the module calls these; nothing else in jvswitch touches native code.
 */
final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final java.lang.foreign.AddressLayout POINTER = ValueLayout.ADDRESS;

    static final MethodHandle OPEN = function("open", FunctionDescriptor.of(INT, POINTER, INT));
    static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(INT, INT));
    static final MethodHandle READ = function("read", FunctionDescriptor.of(LONG, INT, POINTER, LONG));
    static final MethodHandle WRITE = function("write", FunctionDescriptor.of(LONG, INT, POINTER, LONG));
    /**
     * read and write with the buffer as a raw address: a packet's place inside a pooled buffer is an address plus an
     * offset, and slicing a segment for every packet would allocate on the hot path. The caller checks the bounds and
     * keeps the memory alive.
     */
    static final MethodHandle READ_AT = function("read", FunctionDescriptor.of(LONG, INT, LONG, LONG));

    static final MethodHandle WRITE_AT = function("write", FunctionDescriptor.of(LONG, INT, LONG, LONG));
    /** writev(fd, iov, iovcnt) with the iovec array as a raw address (a TAP's virtio header, then the frame). */
    static final MethodHandle WRITEV_AT = function("writev", FunctionDescriptor.of(LONG, INT, LONG, INT));
    /** ioctl(fd, request, pointer): variadic in C, its third argument is the variadic one. */
    static final MethodHandle IOCTL = variadic("ioctl", FunctionDescriptor.of(INT, INT, LONG, POINTER), 2);

    static final MethodHandle SOCKET = function("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    static final MethodHandle BIND = function("bind", FunctionDescriptor.of(INT, INT, POINTER, INT));
    static final MethodHandle SETSOCKOPT =
            function("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, POINTER, INT));
    static final MethodHandle CONNECT = function("connect", FunctionDescriptor.of(INT, INT, POINTER, INT));
    static final MethodHandle GETSOCKNAME = function("getsockname", FunctionDescriptor.of(INT, INT, POINTER, POINTER));
    static final MethodHandle SENDTO =
            function("sendto", FunctionDescriptor.of(LONG, INT, POINTER, LONG, INT, POINTER, INT));
    static final MethodHandle RECVMMSG =
            function("recvmmsg", FunctionDescriptor.of(INT, INT, POINTER, INT, INT, POINTER));
    static final MethodHandle SENDMMSG = function("sendmmsg", FunctionDescriptor.of(INT, INT, POINTER, INT, INT));
    static final MethodHandle SENDMSG = function("sendmsg", FunctionDescriptor.of(LONG, INT, POINTER, INT));
    static final MethodHandle IF_NAMETOINDEX = function("if_nametoindex", FunctionDescriptor.of(INT, POINTER));
    static final MethodHandle SETNS = function("setns", FunctionDescriptor.of(INT, INT, INT));
    static final MethodHandle EVENTFD = function("eventfd", FunctionDescriptor.of(INT, INT, INT));
    static final MethodHandle EPOLL_CREATE1 = function("epoll_create1", FunctionDescriptor.of(INT, INT));
    static final MethodHandle EPOLL_CTL = function("epoll_ctl", FunctionDescriptor.of(INT, INT, INT, INT, POINTER));
    static final MethodHandle EPOLL_WAIT = function("epoll_wait", FunctionDescriptor.of(INT, INT, POINTER, INT, INT));

    private Native() {}

    // The only restricted calls in jvswitch: every other module compiles with -Xlint:all -Werror, so a native call
    // anywhere else fails the build.
    @SuppressWarnings("restricted")
    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol =
                LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name + "()"));
        return LINKER.downcallHandle(symbol, descriptor, ERRNO_OPTION);
    }

    @SuppressWarnings("restricted")
    private static MethodHandle variadic(String name, FunctionDescriptor descriptor, int firstVariadic) {
        MemorySegment symbol =
                LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name + "()"));
        return LINKER.downcallHandle(symbol, descriptor, ERRNO_OPTION, Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** A segment to capture errno into; one per thread and object that makes calls, allocated once. */
    static MemorySegment captureSegment(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** Throws the error for a failed call, naming it; {@code result} is the call's return value. */
    static NativeException failure(String call, MemorySegment capture) {
        int errno = errno(capture);
        return new NativeException(call, errno, NativeException.hint(call, errno));
    }

    /** Turns an invokeExact's Throwable (which a downcall never really throws) into an unchecked error. */
    static AssertionError impossible(Throwable e) {
        return new AssertionError("a native downcall threw: " + e, e);
    }
}
