package io.jvswitch.netio;

import java.io.IOException;

/**
 * A native call that failed, told as a user needs it: the call, the errno by name and message, and what to do
 * ({@code TUNSETIFF tap0: EPERM (Operation not permitted) — needs CAP_NET_ADMIN: run as root or grant the
 * capability}).
 */
public final class NativeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public NativeException(String call, int errno, String hint) {
        super(call + ": " + Errno.name(errno) + " (" + Errno.message(errno) + ")" + (hint == null ? "" : " — " + hint));
        this.call = call;
        this.errno = errno;
    }

    /** The call that failed, with what it was acting on ({@code bind 198.18.0.1:4789}). */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** The usual remedy for an errno on a call of this kind, or null. */
    static String hint(String call, int errno) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES ->
                call.startsWith("TUNSETIFF") || call.startsWith("SIOCSIF")
                        ? "needs CAP_NET_ADMIN: run as root or grant the capability"
                        : call.startsWith("socket")
                                ? "raw and packet sockets need CAP_NET_RAW: run as root or grant the capability"
                                : "needs privileges this process lacks (root, or CAP_NET_ADMIN and CAP_NET_RAW)";
            case Errno.ENOENT ->
                call.startsWith("open /dev/net/tun")
                        ? "the TUN/TAP driver is missing: load it (modprobe tun) or create /dev/net/tun"
                        : null;
            case Errno.ENODEV -> "no such network interface: check its name (ip link)";
            case Errno.EBUSY -> "the interface exists and is in use by another process";
            case Errno.EADDRINUSE -> "another socket (a kernel VXLAN device, another switch?) already uses this port";
            case Errno.EADDRNOTAVAIL -> "this address is not configured on any interface here";
            case Errno.EMFILE -> "too many open files: raise the limit (ulimit -n)";
            case Errno.ENETDOWN -> "the interface is down: bring it up (ip link set IF up)";
            case Errno.ENETUNREACH -> "no route to this address in this network namespace (ip route)";
            case Errno.EMSGSIZE -> "the packet is larger than the outgoing interface's MTU";
            case Errno.EDESTADDRREQ -> "an unconnected socket needs a destination for every message";
            default -> null;
        };
    }
}
