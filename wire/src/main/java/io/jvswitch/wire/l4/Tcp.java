package io.jvswitch.wire.l4;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * TCP header (RFC 9293 section 3.1), 20 bytes plus up to 40 bytes of options.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (0 to 40 bytes)    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             data ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Data Offset counts the header in 32-bit words; {@link #headerLength()} gives it in bytes. The checksum covers
 * a pseudo-header (addresses, protocol 6 and the segment length, from {@link Checksum#ipv4PseudoHeader} or {@link
 * Checksum#ipv6PseudoHeader}), the header with its options, and the data. Unlike UDP's, a TCP checksum is always
 * present, and 0x0000 is an ordinary value.
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Sequence and acknowledgment numbers are the raw 32 bits in an {@code int} (use {@link
 * Integer#toUnsignedLong} for the value). Accessors trust their input: call {@link #validate} first on bytes from the
 * wire. Options are not parsed here.
 */
public final class Tcp {
    public static final int MIN_HEADER_LENGTH = 20;
    /** Data offset 15: 60 bytes. */
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

    private static final int CHECKSUM_AT = 16;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Tcp wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks that a TCP header, options included, can be read at {@code offset}.
     *
     * @param available bytes from {@code offset} to the end of the IP payload (further bytes of the segment are
     *     never read)
     * @return null when the header is well-formed, else {@link Malformed#TCP_TRUNCATED} (fewer than 20 bytes) or
     *     {@link Malformed#TCP_BAD_DATA_OFFSET} (data offset below 5, or a header longer than {@code available}); the
     *     checksum is not checked
     */
    public static Malformed validate(MemorySegment segment, long offset, long available) {
        long limit = Math.min(available, segment.byteSize() - offset);
        if (offset < 0 || limit < MIN_HEADER_LENGTH) {
            return Malformed.TCP_TRUNCATED;
        }
        int headerLength = (Bytes.u8(segment, offset + 12) >>> 4) * 4;
        if (headerLength < MIN_HEADER_LENGTH || headerLength > limit) {
            return Malformed.TCP_BAD_DATA_OFFSET;
        }
        return null;
    }

    public int sourcePort() {
        return Bytes.u16(segment, offset);
    }

    public Tcp sourcePort(int port) {
        Bytes.u16(segment, offset, port);
        return this;
    }

    public int destinationPort() {
        return Bytes.u16(segment, offset + 2);
    }

    public Tcp destinationPort(int port) {
        Bytes.u16(segment, offset + 2, port);
        return this;
    }

    /** The raw 32-bit sequence number. */
    public int sequenceNumber() {
        return Bytes.u32(segment, offset + 4);
    }

    public Tcp sequenceNumber(int sequence) {
        Bytes.u32(segment, offset + 4, sequence);
        return this;
    }

    /** The raw 32-bit acknowledgment number (meaningful when {@link #ACK} is set). */
    public int acknowledgmentNumber() {
        return Bytes.u32(segment, offset + 8);
    }

    public Tcp acknowledgmentNumber(int acknowledgment) {
        Bytes.u32(segment, offset + 8, acknowledgment);
        return this;
    }

    /** The header length in bytes, options included: the data offset times 4. */
    public int headerLength() {
        return (Bytes.u8(segment, offset + 12) >>> 4) * 4;
    }

    /**
     * Sets the data offset to {@code bytes / 4}; {@code bytes} is a multiple of 4 from 20 to 60. The four reserved
     * bits beside it are kept.
     */
    public Tcp headerLength(int bytes) {
        int reserved = Bytes.u8(segment, offset + 12) & 0x0f;
        Bytes.u8(segment, offset + 12, ((bytes >>> 2) << 4) | reserved);
        return this;
    }

    /** The eight control bits, CWR (0x80) to FIN (0x01). */
    public int flags() {
        return Bytes.u8(segment, offset + 13);
    }

    public Tcp flags(int flags) {
        Bytes.u8(segment, offset + 13, flags);
        return this;
    }

    public int window() {
        return Bytes.u16(segment, offset + 14);
    }

    public Tcp window(int window) {
        Bytes.u16(segment, offset + 14, window);
        return this;
    }

    public int checksum() {
        return Bytes.u16(segment, offset + CHECKSUM_AT);
    }

    public Tcp checksum(int checksum) {
        Bytes.u16(segment, offset + CHECKSUM_AT, checksum);
        return this;
    }

    public int urgentPointer() {
        return Bytes.u16(segment, offset + 18);
    }

    public Tcp urgentPointer(int pointer) {
        Bytes.u16(segment, offset + 18, pointer);
        return this;
    }

    /**
     * Writes the fixed 20 bytes of a header: the reserved bits are cleared. Options, when {@code headerLength} is
     * above 20, are the caller's to write behind it.
     */
    public Tcp write(
            int sourcePort,
            int destinationPort,
            int sequenceNumber,
            int acknowledgmentNumber,
            int headerLength,
            int flags,
            int window,
            int checksum,
            int urgentPointer) {
        Bytes.u8(segment, offset + 12, (headerLength >>> 2) << 4);
        return sourcePort(sourcePort)
                .destinationPort(destinationPort)
                .sequenceNumber(sequenceNumber)
                .acknowledgmentNumber(acknowledgmentNumber)
                .flags(flags)
                .window(window)
                .checksum(checksum)
                .urgentPointer(urgentPointer);
    }

    /**
     * The Internet checksum of the pseudo-header and {@code length} bytes of header and data, with the checksum field
     * counted as zero (the field itself is not changed).
     *
     * @param pseudoHeaderSum {@link Checksum#ipv4PseudoHeader} or {@link Checksum#ipv6PseudoHeader} with protocol 6
     *     and this length
     * @param length header, options and data in bytes: the IP payload length
     */
    public int computeChecksum(long pseudoHeaderSum, int length) {
        long sum = Checksum.add(segment, offset, CHECKSUM_AT, pseudoHeaderSum);
        sum = Checksum.add(segment, offset + CHECKSUM_AT + 2, length - CHECKSUM_AT - 2, sum);
        return Checksum.finish(sum);
    }

    /** Writes {@link #computeChecksum} into the checksum field. */
    public Tcp updateChecksum(long pseudoHeaderSum, int length) {
        return checksum(computeChecksum(pseudoHeaderSum, length));
    }

    /** True when the pseudo-header, header and data sum to 0xffff, the checksum field included. */
    public boolean checksumValid(long pseudoHeaderSum, int length) {
        return Checksum.verifies(segment, offset, length, pseudoHeaderSum);
    }

    /**
     * The names of the set control bits, lowest first and joined by {@code |}: {@code SYN|ACK}, {@code FIN|PSH|ACK};
     * {@code none} when no bit is set. Bits above the low eight are ignored. For traces and the control path: it
     * allocates.
     */
    public static String flagNames(int flags) {
        StringBuilder names = new StringBuilder();
        for (int bit = 0; bit < FLAG_NAMES.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                if (!names.isEmpty()) {
                    names.append('|');
                }
                names.append(FLAG_NAMES[bit]);
            }
        }
        return names.isEmpty() ? "none" : names.toString();
    }
}
