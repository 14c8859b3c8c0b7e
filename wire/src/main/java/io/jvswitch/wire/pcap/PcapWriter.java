package io.jvswitch.wire.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a classic libpcap capture file (draft-ietf-opsawg-pcap; the format tcpdump and Wireshark read), one Ethernet
 * frame per record.
 *
 * <pre>
 * Global header, 24 bytes, once:
 * +-------------+---------+---------+----------+---------+-------------+-------------+
 * | magic       | major 2 | minor 4 | thiszone | sigfigs | snaplen     | link type   |
 * | a1b2c3d4    | 16 bits | 16 bits | 32, = 0  | 32, = 0 | 262144      | 1, Ethernet |
 * +-------------+---------+---------+----------+---------+-------------+-------------+
 * Each record: a 16-byte header, then the captured bytes:
 * +-------------+---------------+-------------------+-----------------+------------------+
 * | ts seconds  | ts micro-     | captured length   | original length | captured bytes   |
 * | since 1970  | seconds       | (at most snaplen) | (on the wire)   | ...              |
 * +-------------+---------------+-------------------+-----------------+------------------+
 * </pre>
 *
 * <p>Byte order: the format writes every header field in the writer's byte order and lets the magic number tell the
 * reader which it was. This writer always uses little-endian, whatever the host, so that the same capture gives the
 * same bytes on every machine (and what x86 and ARM tcpdump write); readers that handle both orders, as libpcap,
 * Wireshark and {@link PcapReader} do, read it anywhere. Timestamps have microsecond resolution (magic 0xa1b2c3d4):
 * nanoseconds are cut down to whole microseconds.
 *
 * <p>Frames longer than {@link #SNAPLEN} are cut to it; the record keeps their original length. Output is buffered
 * here: nothing reaches the stream before 64 KiB are pending, {@link #flush()} or {@link #close()}. The constructor
 * does no I/O. A writer is safe to share between threads: each record is written whole, in call order.
 */
public final class PcapWriter implements Closeable {
    /** Magic number of a file with microsecond timestamps. */
    public static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
    /** Magic number of a file with nanosecond timestamps. */
    public static final int MAGIC_NANOSECONDS = 0xa1b23c4d;

    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;

    /** Largest number of bytes kept from one frame, and the largest libpcap accepts for Ethernet. */
    public static final int SNAPLEN = 262144;

    /** Link type of IEEE 802.3 Ethernet frames (tcpdump's DLT_EN10MB). */
    public static final int LINKTYPE_ETHERNET = 1;

    public static final int GLOBAL_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private final MemorySegment pending = MemorySegment.ofArray(buffer);
    private int position;
    private boolean closed;

    /** A writer onto {@code out}, which it owns from now on (closing the writer closes it). */
    public PcapWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
        pending.set(INT, 0, MAGIC_MICROSECONDS);
        pending.set(SHORT, 4, (short) VERSION_MAJOR);
        pending.set(SHORT, 6, (short) VERSION_MINOR);
        pending.set(INT, 8, 0); // thiszone: timestamps are UTC
        pending.set(INT, 12, 0); // sigfigs: unused, always 0
        pending.set(INT, 16, SNAPLEN);
        pending.set(INT, 20, LINKTYPE_ETHERNET);
        position = GLOBAL_HEADER_LENGTH;
    }

    /** Creates (or truncates) the file at {@code path} and returns a writer onto it. */
    public static PcapWriter create(Path path) throws IOException {
        return new PcapWriter(Files.newOutputStream(path));
    }

    /**
     * Appends one record holding the {@code length} bytes at {@code offset} in {@code segment} (the first {@link
     * #SNAPLEN} of them if there are more).
     *
     * @param timestampNanos capture time in nanoseconds since the epoch, from 1970 to 2106 (the format's 32-bit
     *     seconds)
     * @throws IllegalArgumentException for a negative length or a timestamp the format cannot hold
     * @throws IndexOutOfBoundsException when the bytes are not all inside {@code segment}
     * @throws IOException when the stream fails, or the writer is closed
     */
    public synchronized void write(long timestampNanos, MemorySegment segment, long offset, int length)
            throws IOException {
        if (closed) {
            throw new IOException("pcap writer is closed");
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative frame length " + length);
        }
        long seconds = timestampNanos / NANOS_PER_SECOND;
        if (timestampNanos < 0 || seconds > 0xffff_ffffL) {
            throw new IllegalArgumentException(
                    "timestamp " + timestampNanos + " ns is outside the pcap range (1970 to 2106)");
        }
        int captured = Math.min(length, SNAPLEN);
        Objects.checkFromIndexSize(offset, captured, segment.byteSize());

        if (BUFFER_SIZE - position < RECORD_HEADER_LENGTH) {
            drain();
        }
        pending.set(INT, position, (int) seconds);
        pending.set(INT, position + 4, (int) ((timestampNanos % NANOS_PER_SECOND) / 1000));
        pending.set(INT, position + 8, captured);
        pending.set(INT, position + 12, length);
        position += RECORD_HEADER_LENGTH;

        long from = offset;
        int remaining = captured;
        while (remaining > 0) {
            if (position == BUFFER_SIZE) {
                drain();
            }
            int n = Math.min(remaining, BUFFER_SIZE - position);
            MemorySegment.copy(segment, from, pending, position, n);
            position += n;
            from += n;
            remaining -= n;
        }
    }

    /** Appends one record holding {@code frame} (the first {@link #SNAPLEN} bytes of it if it is longer). */
    public void write(long timestampNanos, byte[] frame) throws IOException {
        write(timestampNanos, MemorySegment.ofArray(frame), 0, frame.length);
    }

    /** Writes everything pending to the stream and flushes it. */
    public synchronized void flush() throws IOException {
        if (closed) {
            throw new IOException("pcap writer is closed");
        }
        drain();
        out.flush();
    }

    /** Writes everything pending and closes the stream; closing again does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            drain();
        }
    }

    private void drain() throws IOException {
        if (position > 0) {
            out.write(buffer, 0, position);
            position = 0;
        }
    }
}
