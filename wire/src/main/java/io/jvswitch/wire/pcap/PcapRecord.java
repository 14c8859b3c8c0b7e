package io.jvswitch.wire.pcap;

import java.util.Arrays;
import java.util.Objects;

/**
 * One packet record of a pcap file.
 *
 * <p>Equality compares the bytes of {@code data}, not the array's identity.
 *
 * @param timestampNanos capture time in nanoseconds since 1970-01-01T00:00:00Z (whole microseconds when the file has
 *     microsecond resolution)
 * @param originalLength the packet's length on the wire; more than {@code data.length} when the capture cut it short
 * @param data the captured bytes (the record owns the array; do not change it)
 */
public record PcapRecord(long timestampNanos, int originalLength, byte[] data) {
    public PcapRecord {
        Objects.requireNonNull(data, "data");
    }

    /** The number of bytes captured, {@code data.length}. */
    public int capturedLength() {
        return data.length;
    }

    /** True when fewer bytes were captured than the packet had. */
    public boolean truncated() {
        return data.length < originalLength;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PcapRecord that
                && timestampNanos == that.timestampNanos
                && originalLength == that.originalLength
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestampNanos, originalLength, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "PcapRecord[timestampNanos=" + timestampNanos + ", originalLength=" + originalLength
                + ", capturedLength=" + data.length + "]";
    }
}
