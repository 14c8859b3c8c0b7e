package io.jvswitch.wire.l4;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * UDP header (RFC 768), 8 bytes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          data octets ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Length counts the header and the data. The checksum covers a pseudo-header (source and destination address,
 * protocol 17 and the UDP length, {@link Checksum#ipv4PseudoHeader} or {@link Checksum#ipv6PseudoHeader}), the header
 * and the data. A transmitted checksum of zero means "no checksum" (allowed over IPv4; over IPv6 only where RFC 6935
 * and RFC 6936 permit it), so a computed zero is sent as 0xffff, its one's complement equivalent.
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Create one per thread and reuse it. Accessors trust their input: call {@link #validate}
 * first on bytes from the wire. UDP jumbograms (RFC 2675, length field 0 over IPv6) are not supported.
 */
public final class Udp {
    public static final int HEADER_LENGTH = 8;

    private static final int CHECKSUM_AT = 6;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Udp wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks that a UDP header can be read at {@code offset} and that its length field fits.
     *
     * @param available bytes from {@code offset} to the end of the IP payload (further bytes of the segment are
     *     never read)
     * @return null when the header is well-formed, else {@link Malformed#UDP_TRUNCATED} (fewer than 8 bytes) or
     *     {@link Malformed#UDP_BAD_LENGTH} (length below 8 or beyond {@code available}); the checksum is not checked
     */
    public static Malformed validate(MemorySegment segment, long offset, long available) {
        long limit = Math.min(available, segment.byteSize() - offset);
        if (offset < 0 || limit < HEADER_LENGTH) {
            return Malformed.UDP_TRUNCATED;
        }
        int length = Bytes.u16(segment, offset + 4);
        if (length < HEADER_LENGTH || length > limit) {
            return Malformed.UDP_BAD_LENGTH;
        }
        return null;
    }

    public int sourcePort() {
        return Bytes.u16(segment, offset);
    }

    public Udp sourcePort(int port) {
        Bytes.u16(segment, offset, port);
        return this;
    }

    public int destinationPort() {
        return Bytes.u16(segment, offset + 2);
    }

    public Udp destinationPort(int port) {
        Bytes.u16(segment, offset + 2, port);
        return this;
    }

    /** The length field: header plus data, in bytes. */
    public int length() {
        return Bytes.u16(segment, offset + 4);
    }

    public Udp length(int length) {
        Bytes.u16(segment, offset + 4, length);
        return this;
    }

    /** The checksum field as carried; 0 means the sender computed none. */
    public int checksum() {
        return Bytes.u16(segment, offset + CHECKSUM_AT);
    }

    public Udp checksum(int checksum) {
        Bytes.u16(segment, offset + CHECKSUM_AT, checksum);
        return this;
    }

    /** Writes a whole header. */
    public Udp write(int sourcePort, int destinationPort, int length, int checksum) {
        return sourcePort(sourcePort)
                .destinationPort(destinationPort)
                .length(length)
                .checksum(checksum);
    }

    /**
     * The checksum to transmit for this datagram: the Internet checksum of the pseudo-header and {@code length} bytes
     * of header and data, with the checksum field counted as zero (the field itself is not changed). A result of
     * zero is returned as 0xffff, because zero on the wire means "no checksum" (RFC 768).
     *
     * @param pseudoHeaderSum {@link Checksum#ipv4PseudoHeader} or {@link Checksum#ipv6PseudoHeader} with protocol 17
     *     and this length
     * @param length header plus data, normally {@link #length()}
     */
    public int computeChecksum(long pseudoHeaderSum, int length) {
        long sum = Checksum.add(segment, offset, CHECKSUM_AT, pseudoHeaderSum);
        sum = Checksum.add(segment, offset + HEADER_LENGTH, length - HEADER_LENGTH, sum);
        int checksum = Checksum.finish(sum);
        return checksum == 0 ? 0xffff : checksum;
    }

    /** Writes {@link #computeChecksum} into the checksum field. */
    public Udp updateChecksum(long pseudoHeaderSum, int length) {
        return checksum(computeChecksum(pseudoHeaderSum, length));
    }

    /**
     * True when a checksum is present and right: the pseudo-header, header and data sum to 0xffff.
     *
     * <p>A zero checksum field means the sender computed none; this method returns false for it, and the caller
     * decides: over IPv4 such a datagram is accepted; over IPv6 only a tunnel port may accept it (RFC 6935).
     */
    public boolean checksumValid(long pseudoHeaderSum, int length) {
        return checksum() != 0 && Checksum.verifies(segment, offset, length, pseudoHeaderSum);
    }
}
