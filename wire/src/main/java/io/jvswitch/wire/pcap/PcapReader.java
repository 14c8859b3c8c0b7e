package io.jvswitch.wire.pcap;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a classic libpcap capture file (the layout {@link PcapWriter} describes), written in either byte order with
 * microsecond (magic 0xa1b2c3d4) or nanosecond (0xa1b23c4d) timestamps.
 *
 * <p>Files of any link type are read; {@link #linkType()} says which it is, and the caller decides what to do with
 * frames that are not Ethernet. A broken file throws {@link PcapFormatException} with a message that names the file
 * and what is wrong with it, for example:
 *
 * <pre>
 * x.txt: not a pcap file (magic 0x48656c6c)
 * x.pcapng: a pcapng file; jvs reads classic pcap (convert with: editcap -F pcap IN OUT)
 * x.pcap: record 3 at byte 1234 is truncated (header says 98 bytes, file ends after 40)
 * x.pcap: record 1 has capture length 300000 beyond the snaplen/262144 limit
 * </pre>
 *
 * <p>What is tolerated, as libpcap and Wireshark tolerate it: a record longer than the file's own snaplen (up to
 * {@link #MAX_CAPTURE_LENGTH}), an original length below the captured length, a fraction of a second that is out of
 * range (it is added as it is). The upper 16 bits of the link type field (FCS information) are ignored. Records are
 * numbered from 1 in messages; "at byte" is the offset of the record's header in the file. Not safe for concurrent
 * use.
 */
public final class PcapReader implements Closeable {
    /** Largest capture length accepted in a record; longer ones mean a corrupt file. */
    public static final int MAX_CAPTURE_LENGTH = PcapWriter.SNAPLEN;

    public static final int LINKTYPE_ETHERNET = PcapWriter.LINKTYPE_ETHERNET;

    private static final int PCAPNG_MAGIC = 0x0a0d0d0a;
    private static final int MODIFIED_MAGIC = 0xa1b2cd34;
    private static final String CONVERT = "; jvs reads classic pcap (convert with: editcap -F pcap IN OUT)";

    private final InputStream in;
    private final String sourceName;
    private final ValueLayout.OfInt intLayout;
    private final ByteOrder byteOrder;
    private final boolean nanosecondResolution;
    private final int snaplen;
    private final int linkType;
    private final byte[] recordHeader = new byte[PcapWriter.RECORD_HEADER_LENGTH];
    private final MemorySegment recordHeaderSegment = MemorySegment.ofArray(recordHeader);
    private long position;
    private long recordNumber;

    /**
     * Reads the global header from {@code in}. The reader owns {@code in} once this returns (closing the reader
     * closes it); it reads in small pieces, so give it a buffered stream.
     *
     * @param sourceName how messages name the input, normally the file's path
     * @throws PcapFormatException when the input is not a classic pcap file
     */
    public PcapReader(InputStream in, String sourceName) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        byte[] header = in.readNBytes(PcapWriter.GLOBAL_HEADER_LENGTH);
        position = header.length;
        if (header.length < 4) {
            throw format(
                    header.length == 0
                            ? "not a pcap file (the file is empty)"
                            : "not a pcap file (only " + header.length + " bytes)");
        }
        MemorySegment segment = MemorySegment.ofArray(header);
        int magic = segment.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0);
        if (magic == PcapWriter.MAGIC_MICROSECONDS || magic == PcapWriter.MAGIC_NANOSECONDS) {
            byteOrder = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(magic) == PcapWriter.MAGIC_MICROSECONDS
                || Integer.reverseBytes(magic) == PcapWriter.MAGIC_NANOSECONDS) {
            byteOrder = ByteOrder.LITTLE_ENDIAN;
            magic = Integer.reverseBytes(magic);
        } else if (magic == PCAPNG_MAGIC) {
            throw format("a pcapng file" + CONVERT);
        } else if (magic == MODIFIED_MAGIC || Integer.reverseBytes(magic) == MODIFIED_MAGIC) {
            throw format("a modified (Kuznetzov) pcap file" + CONVERT);
        } else {
            throw format(String.format("not a pcap file (magic 0x%08x)", magic));
        }
        nanosecondResolution = magic == PcapWriter.MAGIC_NANOSECONDS;
        if (header.length < PcapWriter.GLOBAL_HEADER_LENGTH) {
            throw format("pcap file header is truncated (24 bytes needed, file ends after " + header.length + ")");
        }
        intLayout = ValueLayout.JAVA_INT_UNALIGNED.withOrder(byteOrder);
        ValueLayout.OfShort shortLayout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(byteOrder);
        int major = segment.get(shortLayout, 4) & 0xffff;
        int minor = segment.get(shortLayout, 6) & 0xffff;
        if (major != PcapWriter.VERSION_MAJOR) {
            throw format("unsupported pcap version " + major + "." + minor + " (jvs reads 2.4)");
        }
        snaplen = segment.get(intLayout, 16);
        linkType = segment.get(intLayout, 20) & 0xffff;
    }

    /** Opens the file at {@code path} and reads its global header. */
    public static PcapReader open(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
        try {
            return new PcapReader(in, path.toString());
        } catch (IOException | RuntimeException e) {
            try {
                in.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The link-layer header type of every record, {@link #LINKTYPE_ETHERNET} for Ethernet frames. */
    public int linkType() {
        return linkType;
    }

    /** True for nanosecond timestamps (magic 0xa1b23c4d), false for microseconds. */
    public boolean nanosecondResolution() {
        return nanosecondResolution;
    }

    /** The file's snaplen field, as its writer set it (raw 32 bits). */
    public int snaplen() {
        return snaplen;
    }

    /** The byte order the file was written in. */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /**
     * The next record, or null at the end of the file (when it ends where a record would start).
     *
     * @throws PcapFormatException when the file ends inside a record or a record's lengths are impossible
     */
    public PcapRecord next() throws IOException {
        long at = position;
        int n = in.readNBytes(recordHeader, 0, recordHeader.length);
        position += n;
        if (n == 0) {
            return null;
        }
        long number = ++recordNumber;
        if (n < recordHeader.length) {
            throw format("record " + number + " at byte " + at + " is truncated (record header is "
                    + recordHeader.length + " bytes, file ends after " + n + ")");
        }
        long seconds = Integer.toUnsignedLong(recordHeaderSegment.get(intLayout, 0));
        long fraction = Integer.toUnsignedLong(recordHeaderSegment.get(intLayout, 4));
        long captured = Integer.toUnsignedLong(recordHeaderSegment.get(intLayout, 8));
        long original = Integer.toUnsignedLong(recordHeaderSegment.get(intLayout, 12));
        if (captured > MAX_CAPTURE_LENGTH) {
            throw format("record " + number + " has capture length " + captured + " beyond the snaplen/"
                    + MAX_CAPTURE_LENGTH + " limit");
        }
        if (original > Integer.MAX_VALUE) {
            throw format("record " + number + " has original length " + original + ", more than any packet");
        }
        byte[] data = in.readNBytes((int) captured);
        position += data.length;
        if (data.length < captured) {
            throw format("record " + number + " at byte " + at + " is truncated (header says " + captured
                    + " bytes, file ends after " + data.length + ")");
        }
        long nanos = seconds * 1_000_000_000L + (nanosecondResolution ? fraction : fraction * 1000);
        return new PcapRecord(nanos, (int) original, data);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private PcapFormatException format(String problem) {
        return new PcapFormatException(sourceName + ": " + problem);
    }
}
