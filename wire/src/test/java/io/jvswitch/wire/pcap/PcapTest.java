package io.jvswitch.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapTest {
    private static final HexFormat HEX = HexFormat.of();

    // Little-endian, microseconds: magic a1b2c3d4, version 2.4, thiszone 0, sigfigs 0, snaplen 262144 (0x40000),
    // link type 1 (Ethernet).
    private static final String GLOBAL_HEADER =
            "d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000400" + "01000000";

    // The tutorial's VXLAN-flooded ARP request as it leaves host 192.168.1.100 for 192.168.1.101: 92 bytes.
    private static final String FRAME = "525400000165" + "525400000164" + "0800"
            + "4500004e123440004011a451c0a80164c0a80165"
            + "d43112b5003a6a26" + "0800000000138800"
            + "ffffffffffff" + "fa163e000001" + "0806"
            + "0001080006040001" + "fa163e000001" + "0a000001" + "000000000000" + "0a000002";

    // Captured at 1700000000.123456789 s: seconds 0x6553f100, microseconds 123456 (0x1e240; the 789 ns are cut),
    // 92 (0x5c) bytes captured of 92. tshark 4.0 reads the file as "Wireshark/tcpdump/... - pcap", Ethernet, time
    // 1700000000.123456000, UDP checksum Good, VNI 5000.
    private static final long TIMESTAMP = 1_700_000_000_123_456_789L;
    private static final String RECORD = "00f15365" + "40e20100" + "5c000000" + "5c000000" + FRAME;

    // VM1's ARP request alone: 42 bytes.
    private static final String ARP = "ffffffffffff" + "fa163e000001" + "0806" + "0001080006040001" + "fa163e000001"
            + "0a000001" + "000000000000" + "0a000002";

    // Big-endian with nanoseconds, as a SPARC or PowerPC host writes it: magic a1b23c4d, 2.4, snaplen 65535, link
    // type 1. Record 1: 1700000000.123456789 (0x075bcd15 ns), 42 of 42 bytes; record 2: 1700000001.000000001, the
    // first 14 of 42 bytes. tshark 4.0 reads it as "nanosecond pcap" with those times and lengths.
    private static final String BIG_ENDIAN_NANOSECONDS = "a1b23c4d" + "0002" + "0004" + "00000000" + "00000000"
            + "0000ffff" + "00000001"
            + "6553f100" + "075bcd15" + "0000002a" + "0000002a" + ARP
            + "6553f101" + "00000001" + "0000000e" + "0000002a" + ARP.substring(0, 28);

    private static PcapReader reader(String hex, String name) throws IOException {
        return new PcapReader(new ByteArrayInputStream(HEX.parseHex(hex)), name);
    }

    private static String header(ByteOrder order, int magic, int major, int minor, int snaplen, int network) {
        ByteBuffer buffer = ByteBuffer.allocate(24).order(order);
        buffer.putInt(magic)
                .putShort((short) major)
                .putShort((short) minor)
                .putInt(0)
                .putInt(0);
        buffer.putInt(snaplen).putInt(network);
        return HEX.formatHex(buffer.array());
    }

    private static String record(ByteOrder order, int seconds, int fraction, int captured, int original, String data) {
        ByteBuffer buffer = ByteBuffer.allocate(16).order(order);
        buffer.putInt(seconds).putInt(fraction).putInt(captured).putInt(original);
        return HEX.formatHex(buffer.array()) + data;
    }

    private static String message(String hex, String name) {
        try (PcapReader reader = reader(hex, name)) {
            while (reader.next() != null) {
                // read to the end or to the error
            }
            return "no error";
        } catch (IOException e) {
            assertThat(e).isInstanceOf(PcapFormatException.class);
            return e.getMessage();
        }
    }

    // ---- writing ----

    @Test
    void writesTheGoldenGlobalHeaderAndRecord() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(out)) {
            writer.write(TIMESTAMP, HEX.parseHex(FRAME));
        }
        assertThat(HEX.formatHex(out.toByteArray())).isEqualTo(GLOBAL_HEADER + RECORD);
    }

    @Test
    void writesFromASegmentAtAnOffset() throws IOException {
        MemorySegment packet = MemorySegment.ofArray(HEX.parseHex("eeeeeeeeee" + FRAME + "eeee"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(out)) {
            writer.write(TIMESTAMP, packet, 5, 92);
        }
        assertThat(HEX.formatHex(out.toByteArray())).isEqualTo(GLOBAL_HEADER + RECORD);
    }

    @Test
    void buffersUntilFlushed() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter writer = new PcapWriter(out);
        assertThat(out.size()).isZero();
        writer.write(TIMESTAMP, HEX.parseHex(FRAME));
        assertThat(out.size()).isZero();
        writer.flush();
        assertThat(HEX.formatHex(out.toByteArray())).isEqualTo(GLOBAL_HEADER + RECORD);
        writer.close();
        writer.close();
        assertThat(out.size()).isEqualTo(24 + 16 + 92);
    }

    @Test
    void framesLongerThanTheSnaplenAreCut() throws IOException {
        byte[] jumbo = new byte[300_000];
        new Random(1).nextBytes(jumbo);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(out)) {
            writer.write(1_000_000_000L, jumbo);
        }
        byte[] file = out.toByteArray();
        assertThat(file).hasSize(24 + 16 + 262_144);
        assertThat(HEX.formatHex(file, 24, 40)).isEqualTo("01000000" + "00000000" + "00000400" + "e0930400");
        assertThat(Arrays.copyOfRange(file, 40, file.length)).isEqualTo(Arrays.copyOf(jumbo, 262_144));
    }

    @Test
    void refusesWhatTheFormatCannotHold() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter writer = new PcapWriter(out);
        byte[] frame = HEX.parseHex(FRAME);
        assertThatThrownBy(() -> writer.write(-1, frame))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestamp -1 ns is outside the pcap range (1970 to 2106)");
        assertThatThrownBy(() -> writer.write(4_294_967_296_000_000_000L, frame))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestamp 4294967296000000000 ns is outside the pcap range (1970 to 2106)");
        assertThatThrownBy(() -> writer.write(0, MemorySegment.ofArray(frame), 0, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("negative frame length -1");
        assertThatThrownBy(() -> writer.write(0, MemorySegment.ofArray(frame), 1, 92))
                .isInstanceOf(IndexOutOfBoundsException.class);
        // None of them left a partial record behind; the last second the format holds still works.
        writer.write(4_294_967_295_999_999_999L, new byte[0]);
        writer.close();
        assertThat(HEX.formatHex(out.toByteArray()))
                .isEqualTo(GLOBAL_HEADER + "ffffffff" + "3f420f00" + "00000000" + "00000000");
    }

    @Test
    void aClosedWriterRefusesWrites() throws IOException {
        PcapWriter writer = new PcapWriter(new ByteArrayOutputStream());
        writer.close();
        assertThatThrownBy(() -> writer.write(0, new byte[14]))
                .isInstanceOf(IOException.class)
                .hasMessage("pcap writer is closed");
        assertThatThrownBy(writer::flush).isInstanceOf(IOException.class).hasMessage("pcap writer is closed");
    }

    // ---- reading ----

    @Test
    void roundTripThroughAFile(@TempDir Path dir) throws IOException {
        Random random = new Random(2024);
        byte[] big = new byte[70_000];
        random.nextBytes(big);
        byte[] jumbo = new byte[300_000];
        random.nextBytes(jumbo);
        List<PcapRecord> expected = new ArrayList<>();
        Path file = dir.resolve("round-trip.pcap");
        try (PcapWriter writer = PcapWriter.create(file)) {
            writer.write(TIMESTAMP, HEX.parseHex(FRAME));
            expected.add(new PcapRecord(1_700_000_000_123_456_000L, 92, HEX.parseHex(FRAME)));
            writer.write(TIMESTAMP + 1_000, new byte[0]);
            expected.add(new PcapRecord(1_700_000_000_123_457_000L, 0, new byte[0]));
            // Longer than the 64 KiB buffer.
            writer.write(1_700_000_001_000_000_999L, big);
            expected.add(new PcapRecord(1_700_000_001_000_000_000L, 70_000, big));
            writer.write(1_700_000_002_999_999_999L, jumbo);
            expected.add(new PcapRecord(1_700_000_002_999_999_000L, 300_000, Arrays.copyOf(jumbo, 262_144)));
            writer.write(0, MemorySegment.ofArray(HEX.parseHex(FRAME)), 14, 78);
            expected.add(new PcapRecord(0, 78, HEX.parseHex(FRAME.substring(28))));
        }
        try (PcapReader reader = PcapReader.open(file)) {
            assertThat(reader.linkType())
                    .isEqualTo(PcapReader.LINKTYPE_ETHERNET)
                    .isEqualTo(1);
            assertThat(reader.nanosecondResolution()).isFalse();
            assertThat(reader.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(reader.snaplen()).isEqualTo(262_144);
            List<PcapRecord> records = new ArrayList<>();
            for (PcapRecord record = reader.next(); record != null; record = reader.next()) {
                records.add(record);
            }
            assertThat(records).containsExactlyElementsOf(expected);
            assertThat(records.get(3).truncated()).isTrue();
            assertThat(records.get(3).capturedLength()).isEqualTo(262_144);
            assertThat(records.get(0).truncated()).isFalse();
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void readsABigEndianNanosecondFile() throws IOException {
        try (PcapReader reader = reader(BIG_ENDIAN_NANOSECONDS, "sparc.pcap")) {
            assertThat(reader.linkType()).isEqualTo(1);
            assertThat(reader.nanosecondResolution()).isTrue();
            assertThat(reader.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
            assertThat(reader.snaplen()).isEqualTo(65_535);

            PcapRecord first = reader.next();
            assertThat(first.timestampNanos()).isEqualTo(1_700_000_000_123_456_789L);
            assertThat(first.originalLength()).isEqualTo(42);
            assertThat(HEX.formatHex(first.data())).isEqualTo(ARP);

            PcapRecord second = reader.next();
            assertThat(second.timestampNanos()).isEqualTo(1_700_000_001_000_000_001L);
            assertThat(second.originalLength()).isEqualTo(42);
            assertThat(second.capturedLength()).isEqualTo(14);
            assertThat(second.truncated()).isTrue();
            assertThat(HEX.formatHex(second.data())).isEqualTo("ffffffffffff" + "fa163e000001" + "0806");

            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void readsBothMagicsInBothByteOrders() throws IOException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (boolean nanos : new boolean[] {false, true}) {
                int magic = nanos ? 0xa1b23c4d : 0xa1b2c3d4;
                String file = header(order, magic, 2, 4, 262_144, 1)
                        + record(order, 1_700_000_000, nanos ? 5_000 : 5, 14, 60, ARP.substring(0, 28));
                try (PcapReader reader = reader(file, "f.pcap")) {
                    assertThat(reader.byteOrder()).as("%s %b", order, nanos).isEqualTo(order);
                    assertThat(reader.nanosecondResolution()).isEqualTo(nanos);
                    assertThat(reader.snaplen()).isEqualTo(262_144);
                    PcapRecord record = reader.next();
                    assertThat(record.timestampNanos()).isEqualTo(1_700_000_000_000_005_000L);
                    assertThat(record.originalLength()).isEqualTo(60);
                    assertThat(HEX.formatHex(record.data())).isEqualTo(ARP.substring(0, 28));
                    assertThat(reader.next()).isNull();
                }
            }
        }
    }

    @Test
    void otherLinkTypesAreReadAndNamed() throws IOException {
        // LINKTYPE_RAW (101): a bare IPv4 header, no Ethernet.
        String raw = header(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 2, 4, 65_535, 101)
                + record(ByteOrder.LITTLE_ENDIAN, 1, 0, 20, 20, "4500001400004000400100000a0000010a000002");
        try (PcapReader reader = reader(raw, "raw.pcap")) {
            assertThat(reader.linkType()).isEqualTo(101);
            assertThat(reader.next().capturedLength()).isEqualTo(20);
        }
        // The upper 16 bits carry FCS information (here: F set, 2 words of FCS); the link type is the lower 16.
        try (PcapReader reader = reader(header(ByteOrder.BIG_ENDIAN, 0xa1b2c3d4, 2, 4, 0, 0x24000001), "fcs.pcap")) {
            assertThat(reader.linkType()).isEqualTo(1);
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void toleratesARecordLongerThanTheFilesSnaplenAndAnOlderMinorVersion() throws IOException {
        String file = header(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 2, 3, 14, 1)
                + record(ByteOrder.LITTLE_ENDIAN, 7, 999_999, 42, 42, ARP);
        try (PcapReader reader = reader(file, "old.pcap")) {
            PcapRecord record = reader.next();
            assertThat(record.timestampNanos()).isEqualTo(7_999_999_000L);
            assertThat(HEX.formatHex(record.data())).isEqualTo(ARP);
        }
    }

    @Test
    void recordsCompareByContent() {
        PcapRecord a = new PcapRecord(5, 3, new byte[] {1, 2, 3});
        assertThat(a).isEqualTo(new PcapRecord(5, 3, new byte[] {1, 2, 3}));
        assertThat(a).hasSameHashCodeAs(new PcapRecord(5, 3, new byte[] {1, 2, 3}));
        assertThat(a).isNotEqualTo(new PcapRecord(5, 3, new byte[] {1, 2, 4}));
        assertThat(a).isNotEqualTo(new PcapRecord(6, 3, new byte[] {1, 2, 3}));
        assertThat(a).isNotEqualTo(new PcapRecord(5, 4, new byte[] {1, 2, 3}));
        assertThat(a).hasToString("PcapRecord[timestampNanos=5, originalLength=3, capturedLength=3]");
    }

    // ---- errors: each message exactly ----

    @Test
    void notAPcapFile() {
        assertThat(message(HEX.formatHex("Hello, world\n".repeat(3).getBytes(StandardCharsets.US_ASCII)), "x.txt"))
                .isEqualTo("x.txt: not a pcap file (magic 0x48656c6c)");
    }

    @Test
    void emptyAndTinyFiles() {
        assertThat(message("", "empty.pcap")).isEqualTo("empty.pcap: not a pcap file (the file is empty)");
        assertThat(message("d4c3b2", "tiny.pcap")).isEqualTo("tiny.pcap: not a pcap file (only 3 bytes)");
    }

    @Test
    void pcapngIsNamedWithTheCommandThatConvertsIt() {
        // A Section Header Block: type 0x0a0d0d0a, length 28, byte-order magic 0x1a2b3c4d, version 1.0.
        String pcapng = "0a0d0d0a" + "1c000000" + "4d3c2b1a" + "0100" + "0000" + "ffffffffffffffff" + "1c000000";
        assertThat(message(pcapng, "x.pcapng"))
                .isEqualTo("x.pcapng: a pcapng file; jvs reads classic pcap (convert with: editcap -F pcap IN OUT)");
    }

    @Test
    void modifiedPcapIsNamed() {
        assertThat(message(header(ByteOrder.LITTLE_ENDIAN, 0xa1b2cd34, 2, 4, 65_535, 1), "kuz.pcap"))
                .isEqualTo("kuz.pcap: a modified (Kuznetzov) pcap file; jvs reads classic pcap"
                        + " (convert with: editcap -F pcap IN OUT)");
    }

    @Test
    void truncatedGlobalHeader() {
        assertThat(message(GLOBAL_HEADER.substring(0, 20), "x.pcap"))
                .isEqualTo("x.pcap: pcap file header is truncated (24 bytes needed, file ends after 10)");
    }

    @Test
    void unsupportedVersion() {
        assertThat(message(header(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 1, 0, 65_535, 1), "x.pcap"))
                .isEqualTo("x.pcap: unsupported pcap version 1.0 (jvs reads 2.4)");
    }

    @Test
    void truncatedRecordHeader() {
        assertThat(message(GLOBAL_HEADER + RECORD + "00f153", "x.pcap"))
                .isEqualTo("x.pcap: record 2 at byte 132 is truncated (record header is 16 bytes, file ends after 3)");
    }

    @Test
    void truncatedRecordData() {
        // Records of 16 + 594 and 16 + 584 bytes put record 3 at byte 24 + 610 + 600 = 1234.
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        String file = GLOBAL_HEADER
                + record(le, 1, 0, 594, 594, "00".repeat(594))
                + record(le, 2, 0, 584, 584, "00".repeat(584))
                + record(le, 3, 0, 98, 98, "00".repeat(40));
        assertThat(message(file, "x.pcap"))
                .isEqualTo("x.pcap: record 3 at byte 1234 is truncated (header says 98 bytes, file ends after 40)");
    }

    @Test
    void captureLengthBeyondTheLimit() {
        String file = GLOBAL_HEADER + record(ByteOrder.LITTLE_ENDIAN, 1, 0, 300_000, 300_000, "");
        assertThat(message(file, "x.pcap"))
                .isEqualTo("x.pcap: record 1 has capture length 300000 beyond the snaplen/262144 limit");
        String huge = GLOBAL_HEADER + record(ByteOrder.LITTLE_ENDIAN, 1, 0, -1, 60, "");
        assertThat(message(huge, "x.pcap"))
                .isEqualTo("x.pcap: record 1 has capture length 4294967295 beyond the snaplen/262144 limit");
    }

    @Test
    void originalLengthBeyondAnyPacket() {
        String file = GLOBAL_HEADER + record(ByteOrder.LITTLE_ENDIAN, 1, 0, 14, 0x80000000, ARP.substring(0, 28));
        assertThat(message(file, "x.pcap"))
                .isEqualTo("x.pcap: record 1 has original length 2147483648, more than any packet");
    }

    @Test
    void openNamesThePath(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("x.txt");
        Files.writeString(text, "Hello, world\n");
        assertThatThrownBy(() -> PcapReader.open(text))
                .isInstanceOf(PcapFormatException.class)
                .hasMessage(text + ": not a pcap file (magic 0x48656c6c)");
    }
}
