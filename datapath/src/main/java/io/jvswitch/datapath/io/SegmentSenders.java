package io.jvswitch.datapath.io;

import io.jvswitch.netio.NativeException;
import io.jvswitch.netio.UdpSocket;
import io.jvswitch.wire.Ipv4Address;

/**
 * The UDP sockets that send tunnel packets with UDP GSO, one per outer source address and port: a UDP socket cannot
 * choose its source port per message, and the outer source port is the inner flow's hash (RFC 7348), so each flow's
 * port needs a socket bound to it. Opened on demand and kept, at most {@link #CAPACITY}; the least recently used one is
 * closed to make room. A source that cannot be bound (the port is another socket's, the address is not this host's)
 * is remembered for {@link #RETRY_NANOS} as unusable, so its packets take the raw path without a system call each.
 *
 * <p>Looked up by a linear scan of a few dozen {@code long}s: no allocation, no hashing, cheaper than the send it
 * serves. Used by the datapath's thread only.
 */
final class SegmentSenders implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SegmentSenders.class.getName());

    /** Sockets kept open at most. */
    static final int CAPACITY = 64;

    /** How long a source that could not be bound is not tried again. */
    static final long RETRY_NANOS = 10_000_000_000L;

    private static final long EMPTY = -1;
    private static final int DF_UNKNOWN = -1;

    /** Opens a socket bound to an IPv4 address and port; a test may stand in for the kernel. */
    interface Opener {
        UdpSocket open(int address, int port) throws NativeException;
    }

    private final Opener opener;
    private final long[] keys = new long[CAPACITY];
    private final UdpSocket[] sockets = new UdpSocket[CAPACITY];
    private final long[] lastUse = new long[CAPACITY];
    /** For an entry without a socket: when it may be tried again. */
    private final long[] retryAt = new long[CAPACITY];
    /** The DF setting each socket has (0, 1) or {@link #DF_UNKNOWN}. */
    private final int[] dontFragment = new int[CAPACITY];

    private long clock;
    private long bindFailures;
    private long evictions;

    SegmentSenders() {
        this(UdpSocket::openSegmentSender);
    }

    SegmentSenders(Opener opener) {
        this.opener = opener;
        java.util.Arrays.fill(keys, EMPTY);
    }

    /**
     * The socket that sends from {@code address}:{@code port} with DF as given, opened or set up if need be; null when
     * there is none (it cannot be bound now or was not lately): the caller takes the raw path.
     */
    UdpSocket socket(int address, int port, boolean df) {
        long key = (Integer.toUnsignedLong(address) << 16) | port;
        int entry = find(key);
        if (entry < 0) {
            entry = open(key, address, port);
        } else if (sockets[entry] == null && System.nanoTime() - retryAt[entry] >= 0) {
            keys[entry] = EMPTY;
            entry = open(key, address, port);
        }
        lastUse[entry] = ++clock;
        UdpSocket socket = sockets[entry];
        if (socket == null) {
            return null;
        }
        int wanted = df ? 1 : 0;
        if (dontFragment[entry] != wanted) {
            try {
                socket.dontFragment(df);
                dontFragment[entry] = wanted;
            } catch (NativeException e) {
                LOG.log(System.Logger.Level.WARNING, "UDP GSO: " + e.getMessage() + "; that source takes the raw path");
                forget(entry);
                return null;
            }
        }
        return socket;
    }

    /** A socket whose send threw (it is unusable): closed and forgotten, to be opened afresh next time. */
    void failed(UdpSocket socket) {
        for (int i = 0; i < CAPACITY; i++) {
            if (sockets[i] == socket) {
                forget(i);
                return;
            }
        }
    }

    private int find(long key) {
        for (int i = 0; i < CAPACITY; i++) {
            if (keys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    private int open(long key, int address, int port) {
        int entry = victim();
        if (keys[entry] != EMPTY) {
            evictions++;
            forget(entry);
        }
        keys[entry] = key;
        dontFragment[entry] = DF_UNKNOWN;
        try {
            sockets[entry] = opener.open(address, port);
        } catch (NativeException | RuntimeException e) {
            sockets[entry] = null;
            retryAt[entry] = System.nanoTime() + RETRY_NANOS;
            // The first, then every power of two: a busy port range must not flood the log.
            if (Long.bitCount(++bindFailures) == 1) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "UDP GSO: no socket for source " + Ipv4Address.format(address) + ":" + port + " ("
                                + e.getMessage() + "); its tunnel packets take the raw path (" + bindFailures
                                + " such sources so far)");
            }
        }
        return entry;
    }

    /** An empty entry, else the least recently used one. */
    private int victim() {
        int oldest = 0;
        for (int i = 0; i < CAPACITY; i++) {
            if (keys[i] == EMPTY) {
                return i;
            }
            if (lastUse[i] < lastUse[oldest]) {
                oldest = i;
            }
        }
        return oldest;
    }

    private void forget(int entry) {
        if (sockets[entry] != null) {
            sockets[entry].close();
            sockets[entry] = null;
        }
        keys[entry] = EMPTY;
    }

    /** Sockets open now. */
    int open() {
        int open = 0;
        for (UdpSocket socket : sockets) {
            if (socket != null) {
                open++;
            }
        }
        return open;
    }

    /** Sources that could not be bound so far. */
    long bindFailures() {
        return bindFailures;
    }

    /** Entries closed to make room so far. */
    long evictions() {
        return evictions;
    }

    @Override
    public void close() {
        for (int i = 0; i < CAPACITY; i++) {
            forget(i);
        }
    }
}
