package io.jvswitch.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.tunnel.decap.Decapsulator;
import io.jvswitch.tunnel.encap.Encapsulator;
import io.jvswitch.tunnel.encap.HeaderTemplate;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.PacketParser;
import io.jvswitch.wire.ParsedPacket;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l4.Tcp;
import io.jvswitch.wire.text.Dissector;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Throws a million hostile frames at everything that reads packets from the wire — {@link PacketParser} (with and
 * without the IPv4 checksum check, Ethernet and bare IP), {@link Decapsulator} (default and strict, and again at an
 * offset into the segment), and every tenth frame {@link Dissector}
 * — and holds them to the datapath's rule: malformed input is dropped and counted, never thrown.
 *
 * <p>The inputs, in three phases:
 *
 * <ol>
 *   <li>every truncation of valid encapsulated packets: VXLAN, GRE (Ethernet and IP payloads) and GRE-in-UDP, over IPv4
 *       and IPv6, with and without checksums, keys and sequence numbers;
 *   <li>random byte strings of 0 to 200 bytes;
 *   <li>valid packets with 1 to 4 mutations: bit flips, byte overwrites, fields set to interesting values (EtherType,
 *       IHL, total length, fragment bits, protocol, ECN, IPv6 payload length, UDP length and port, GRE flags and
 *       protocol, VXLAN flags), an IPv6 extension header chain, VLAN tags pushed in front, truncation, padding. The
 *       outer checksums are then usually fixed up, so that the mutation reaches the checks behind them.
 * </ol>
 *
 * <p>Each input lives in a segment sized exactly to it, so any read past its end throws. Seeded and reproducible:
 * the seed is printed; {@code -Djvs.fuzz.seed=N} (or {@code =random}) and {@code -Djvs.fuzz.count=N} override it and
 * the number of inputs; a failure prints the seed, the input's index and bytes, and the options that rerun up to it.
 * Nothing here formats text per input, except to describe a failure. A million inputs take 2 to 9 seconds on two
 * cores, by how busy they are; twenty million, about 18 on idle ones.
 */
class RobustnessTest {
    private static final long DEFAULT_SEED = 0x6a76_7377_6974_6368L; // "jvswitch"
    private static final long DEFAULT_COUNT = 1_000_000;

    /** Share of the inputs after the truncations that are random byte strings; the rest are mutations. */
    private static final int RANDOM_PERCENT = 20;

    private static final int MAX_RANDOM_LENGTH = 200;

    /**
     * Every input is also decapsulated and parsed {@code SHIFT} bytes into its segment, behind bytes that would mislead
     * a reader that looked before the frame's start; the verdicts must be the same, the offsets moved by {@code SHIFT}.
     */
    private static final int SHIFT = 3;

    private static final byte[] SHIFT_PREFIX = {0x08, 0x00, 0x45};

    /** A valid encapsulated packet and where its outer headers are. */
    private record Sample(byte[] bytes, TunnelType type, boolean ipv6, int l4Offset, int tunnelOffset) {}

    private final PacketParser checkingParser = new PacketParser(true);
    private final PacketParser lenientParser = new PacketParser(false);
    private final ParsedPacket parsed = new ParsedPacket();
    private final Decapsulator decapsulator = new Decapsulator();
    private final Decapsulator strict = new Decapsulator(
            new int[] {TunnelType.VXLAN.defaultPort()}, new int[] {TunnelType.GRE_UDP.defaultPort()}, true);
    private final TunnelMetadata metadata = new TunnelMetadata();
    private final TunnelMetadata strictMetadata = new TunnelMetadata();
    private final Decapsulator shiftedDecapsulator = new Decapsulator(); // the same input again, at SHIFT
    private final TunnelMetadata shiftedMetadata = new TunnelMetadata();
    private final long[] hits = new long[Malformed.values().length];
    private long seed;
    private long rejected;
    private long strictRejected;
    private long accepted;
    private long described;

    @Test
    void nothingThatReadsPacketsThrowsAndEveryDropIsCounted() {
        String seedProperty = System.getProperty("jvs.fuzz.seed");
        seed = seedProperty == null
                ? DEFAULT_SEED
                : seedProperty.equals("random") ? System.nanoTime() : Long.decode(seedProperty);
        long count = Long.getLong("jvs.fuzz.count", DEFAULT_COUNT);
        System.out.println("RobustnessTest: seed " + seed + " (-Djvs.fuzz.seed=" + seed + "), " + count + " inputs");
        SplittableRandom random = new SplittableRandom(seed);
        List<Sample> samples = samples();
        long started = System.nanoTime();
        long index = 0;

        // Phase 1: every truncation of every sample, the whole packet included.
        for (Sample sample : samples) {
            for (int length = 0; length <= sample.bytes().length && index < count; length++) {
                check(index++, Arrays.copyOf(sample.bytes(), length));
            }
        }
        long truncations = index;

        // Phases 2 and 3, interleaved: random byte strings and mutations of the samples. Each input is drawn from the
        // one random stream whatever the count, so that input N is the same in a run cut short at N + 1.
        Mutator mutator = new Mutator(random);
        long randoms = 0;
        while (index < count) {
            if (random.nextInt(100) < RANDOM_PERCENT) {
                byte[] input = new byte[random.nextInt(MAX_RANDOM_LENGTH + 1)];
                random.nextBytes(input);
                randoms++;
                check(index++, input);
            } else {
                check(index++, mutator.mutate(samples.get(random.nextInt(samples.size()))));
            }
        }
        long elapsed = (System.nanoTime() - started) / 1_000_000;

        StringBuilder reasons = new StringBuilder();
        List<Malformed> unreached = new ArrayList<>();
        for (Malformed reason : Malformed.values()) {
            if (hits[reason.ordinal()] > 0) {
                reasons.append(' ').append(reason.counterName()).append('=').append(hits[reason.ordinal()]);
            } else {
                unreached.add(reason); // every Malformed reason can come from decapsulation: all must be reached
            }
        }
        System.out.println("RobustnessTest: " + index + " inputs (" + truncations + " truncations of " + samples.size()
                + " packets, " + randoms + " random, " + (index - truncations - randoms) + " mutated) in " + elapsed
                + " ms; " + accepted + " decapsulated, " + rejected + " dropped, " + described
                + " dissected; drops by reason (default and strict):" + reasons);

        assertThat(index).isEqualTo(count);
        assertThat(sumOfDrops(decapsulator))
                .as("default decapsulator's drop counters")
                .isEqualTo(rejected);
        assertThat(sumOfDrops(strict)).as("strict decapsulator's drop counters").isEqualTo(strictRejected);
        assertThat(sumOfDrops(shiftedDecapsulator))
                .as("drop counters of the decapsulator at an offset")
                .isEqualTo(rejected);
        // A short rerun of one failing input need not reach every reason; a full run must.
        if (count >= DEFAULT_COUNT) {
            assertThat(unreached)
                    .as("drop reasons decapsulation can give that no input reached (seed %d)", seed)
                    .isEmpty();
            assertThat(accepted).as("inputs decapsulated").isGreaterThan(count / 100);
        }
    }

    private static long sumOfDrops(Decapsulator decapsulator) {
        long sum = 0;
        for (Malformed reason : Malformed.values()) {
            sum += decapsulator.dropped(reason);
        }
        return sum;
    }

    /** Runs every reader on {@code input}; the only allocation is the copies each decapsulator may write into. */
    private void check(long index, byte[] input) {
        int length = input.length;
        MemorySegment segment = MemorySegment.ofArray(input);
        String step = "parse";
        try {
            Malformed checked = checkingParser.parse(segment, 0, length, parsed);
            if (checked == null) {
                checkParsed(index, input);
            }
            step = "parse without the IPv4 checksum";
            if (lenientParser.parse(segment, 0, length, parsed) == null) {
                checkParsed(index, input);
            }
            step = "parseIp";
            if (checkingParser.parseIp(segment, 0, length, parsed) == null) {
                checkParsed(index, input);
            }

            step = "decapsulate";
            byte[] copy = input.clone(); // decapsulation may rewrite the inner ECN field
            Malformed verdict = decapsulator.decapsulate(MemorySegment.ofArray(copy), 0, length, metadata);
            step = "strict decapsulate";
            byte[] strictCopy = input.clone();
            Malformed strictVerdict = strict.decapsulate(MemorySegment.ofArray(strictCopy), 0, length, strictMetadata);
            step = "decapsulate at an offset";
            byte[] shifted = new byte[SHIFT + length];
            System.arraycopy(SHIFT_PREFIX, 0, shifted, 0, SHIFT);
            System.arraycopy(input, 0, shifted, SHIFT, length);
            Malformed shiftedVerdict =
                    shiftedDecapsulator.decapsulate(MemorySegment.ofArray(shifted), SHIFT, length, shiftedMetadata);
            step = "parse at an offset";
            Malformed shiftedParse = checkingParser.parse(MemorySegment.ofArray(shifted), SHIFT, length, parsed);
            step = "checking the verdicts";
            if (shiftedParse != checked) {
                throw failure(index, input, "parse says " + checked + ", at offset " + SHIFT + " " + shiftedParse);
            }
            if (shiftedVerdict != verdict
                    || (verdict == null
                            && (shiftedMetadata.innerOffset() != metadata.innerOffset() + SHIFT
                                    || shiftedMetadata.innerLength() != metadata.innerLength()
                                    || shiftedMetadata.key() != metadata.key()
                                    || shiftedMetadata.flags() != metadata.flags()
                                    || !Arrays.equals(shifted, SHIFT, shifted.length, copy, 0, length)))) {
                throw failure(index, input, "decapsulation at offset " + SHIFT + " differs: " + shiftedVerdict);
            }
            if (verdict == null) {
                accepted++;
                int offset = metadata.innerOffset();
                int innerLength = metadata.innerLength();
                if (offset < 0 || innerLength < 0 || offset > length - innerLength) {
                    throw failure(index, input, "inner packet at " + offset + "+" + innerLength + " is outside it");
                }
                if (checked != null) {
                    throw failure(index, input, "decapsulated although the parser says " + checked);
                }
                if (strictVerdict != null
                        && !(strictVerdict == Malformed.VXLAN_RESERVED_BITS
                                && metadata.has(TunnelMetadata.FLAG_VXLAN_RESERVED))) {
                    throw failure(index, input, "default accepts, strict says " + strictVerdict);
                }
            } else {
                rejected++;
                hits[verdict.ordinal()]++;
                if (verdict.description().isEmpty()) {
                    throw failure(index, input, verdict + " has no description");
                }
                // Strict mode drops as the default does, though reserved bits may be found before a later problem.
                if (strictVerdict != verdict && strictVerdict != Malformed.VXLAN_RESERVED_BITS) {
                    throw failure(index, input, "default says " + verdict + ", strict says " + strictVerdict);
                }
            }
            if (strictVerdict != null) {
                strictRejected++;
                if (strictVerdict == Malformed.VXLAN_RESERVED_BITS) {
                    hits[strictVerdict.ordinal()]++;
                }
            } else if (!Arrays.equals(copy, strictCopy)) {
                throw failure(index, input, "default and strict decapsulation wrote different bytes");
            }

            if (index % 10 == 0) {
                step = "Dissector.describe";
                if (Dissector.describe(input).isEmpty()) {
                    throw failure(index, input, "Dissector.describe said nothing");
                }
                described++;
            } else if (index % 10 == 5) {
                step = "Dissector.describeIp";
                Dissector.describeIp(input);
                described++;
            }
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable t) {
            throw failure(index, input, step + " threw " + t, t);
        }
    }

    /** Offsets a successful parse reports must lie inside the frame, in order. */
    private void checkParsed(long index, byte[] input) {
        long end = input.length;
        long l3 = parsed.l3Offset();
        long l4 = parsed.l4Offset();
        long ipEnd = parsed.ipEnd();
        if (l3 > end || ipEnd > end || (l4 >= 0 && (l4 < l3 || l4 > ipEnd))) {
            throw failure(index, input, "parsed offsets l3 " + l3 + ", l4 " + l4 + ", ip end " + ipEnd);
        }
    }

    private AssertionError failure(long index, byte[] input, String what) {
        return failure(index, input, what, null);
    }

    private AssertionError failure(long index, byte[] input, String what, Throwable cause) {
        return new AssertionError(
                "seed " + seed + ", input " + index + " (" + input.length + " bytes): " + what
                        + "\n  input: " + HexFormat.of().formatHex(input)
                        + "\n  rerun: -Djvs.fuzz.seed=" + seed + " -Djvs.fuzz.count=" + (index + 1),
                cause);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The valid packets.

    private static final long VM1 = MacAddress.parse("fa:16:3e:00:00:01");
    private static final long VM2 = MacAddress.parse("fa:16:3e:00:00:02");
    private static final int VM1_IP = Ipv4Address.parse("10.0.0.1");
    private static final int VM2_IP = Ipv4Address.parse("10.0.0.2");
    private static final byte[] VM1_IP6 = Ipv6Address.parse("2001:db8:1::1");
    private static final byte[] VM2_IP6 = Ipv6Address.parse("2001:db8:1::2");

    /** Ethernet frames for legacy_l2 tunnels, with each ECN codepoint inside so that RFC 6040 has work to do. */
    private static List<byte[]> ethernetFrames() {
        return List.of(
                new FrameBuilder()
                        .ethernet(VM1, MacAddress.BROADCAST)
                        .arp(Arp.OP_REQUEST, VM1, VM1_IP, 0, VM2_IP)
                        .build(),
                new FrameBuilder()
                        .ethernet(VM1, VM2)
                        .ipv4(VM1_IP, VM2_IP)
                        .udp(40000, 53)
                        .payload(new byte[19])
                        .build(),
                new FrameBuilder()
                        .ethernet(VM1, VM2)
                        .ipv4(VM1_IP, VM2_IP)
                        .tos(0xb8 | 2) // EF, ECT(0)
                        .icmpEcho(true, 1, 1)
                        .payload(new byte[8])
                        .build(),
                // Long enough for an IPv6 outer header to hold 17 extension headers once mutated.
                new FrameBuilder()
                        .ethernet(VM2, VM1)
                        .ipv6(VM2_IP6, VM1_IP6)
                        .tos(1) // ECT(1)
                        .udp(40000, 5001)
                        .payload(new byte[140])
                        .build(),
                new FrameBuilder()
                        .ethernet(VM2, VM1)
                        .vlan(100)
                        .ipv4(VM2_IP, VM1_IP)
                        .tos(3) // CE
                        .tcp(22, 43210, Tcp.SYN | Tcp.ACK)
                        .build());
    }

    /** IP packets for legacy_l3 GRE tunnels. */
    private static List<byte[]> ipPackets() {
        return List.of(
                new FrameBuilder()
                        .ipv4(VM1_IP, VM2_IP)
                        .icmpEcho(true, 7, 1)
                        .payload(new byte[5])
                        .buildL3(),
                new FrameBuilder().ipv4(VM1_IP, VM2_IP).tos(3).udp(1, 2).buildL3(),
                new FrameBuilder().ipv6(VM1_IP6, VM2_IP6).icmpEcho(false, 7, 1).buildL3(),
                new FrameBuilder()
                        .ipv6(VM1_IP6, VM2_IP6)
                        .tos(2)
                        .udp(3, 4)
                        .payload(new byte[150])
                        .buildL3());
    }

    /** Every tunnel type over both underlays, with and without checksums, keys and sequence numbers. */
    private static List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        String[][] underlays = {{"198.18.0.1", "198.18.0.2"}, {"2001:db8::1", "2001:db8::2"}};
        try (Arena arena = Arena.ofConfined()) {
            for (TunnelType type : TunnelType.values()) {
                for (String[] underlay : underlays) {
                    for (boolean l3 : type == TunnelType.GRE ? new boolean[] {false, true} : new boolean[] {false}) {
                        for (int variant = 0; variant < 4; variant++) {
                            Map<String, String> options = new HashMap<>(Map.of(
                                    "local_ip",
                                    underlay[0],
                                    "remote_ip",
                                    underlay[1],
                                    "tos",
                                    "inherit",
                                    "csum",
                                    Boolean.toString((variant & 1) != 0)));
                            if ((variant & 2) != 0) {
                                options.put("key", "5000");
                                if (type.isGre()) {
                                    options.put("seq", "true");
                                }
                            }
                            if (l3) {
                                options.put("packet_type", "legacy_l3");
                            }
                            TunnelConfig config = TunnelConfig.fromOptions(type, options);
                            HeaderTemplate template = new HeaderTemplate(
                                    config,
                                    config.localIp(),
                                    config.remoteIp(),
                                    MacAddress.parse("02:00:c6:12:00:01"),
                                    MacAddress.parse("02:00:c6:12:00:02"));
                            Encapsulator encapsulator = new Encapsulator(template);
                            for (byte[] inner : l3 ? ipPackets() : ethernetFrames()) {
                                PacketBuffer packet = PacketBuffer.of(arena, inner);
                                assertThat(encapsulator.encapsulate(packet, 0)).isNull();
                                int l4 = template.ipOffset() + (template.ipv6() ? 40 : 20);
                                samples.add(new Sample(
                                        packet.toByteArray(), type, template.ipv6(), l4, template.tunnelOffset()));
                            }
                        }
                    }
                }
            }
        }
        return samples;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Mutations.

    /** Mutates copies of samples; knows where their outer headers are and follows them when VLAN tags move them. */
    private static final class Mutator {
        private static final int[] ETHER_TYPES = {0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x6558, 0x880b, 0, 0xffff};
        private static final int[] VERSION_IHL = {0x45, 0x40, 0x44, 0x46, 0x47, 0x4f, 0x65, 0x35, 0x05, 0x60};
        private static final int[] FRAGMENT = {0, 0x4000, 0x2000, 0x6000, 0x0001, 0x1fff, 0x4001};
        private static final int[] PROTOCOLS = {17, 47, 1, 6, 58, 0, 43, 44, 50, 51, 59, 60, 135, 139, 140, 255};
        private static final int[] UDP_PORTS = {4789, 4754, 8472, 6081, 0, 53};
        private static final int[] GRE_FLAGS = {
            0x0000, 0x2000, 0x8000, 0x1000, 0xb000, 0x3000, 0xa000, 0x4000, 0x0800, 0x0400, 0x0200, 0x0080, 0x0001,
            0x0002, 0x0007, 0x2001, 0x3001, 0x3081, 0x2081, 0xa001
        };
        private static final int[] GRE_PROTOCOLS = {0x6558, 0x0800, 0x86dd, 0x880b, 0x0000, 0x8847};
        private static final int[] VXLAN_FLAGS = {0x08, 0x00, 0x0c, 0x88, 0x09, 0xff, 0xf7};
        /** Offsets of the VXLAN header's reserved bytes (the flags byte aside). */
        private static final int[] VXLAN_RESERVED = {1, 2, 3, 7};

        private static final int[] EXTENSION_TYPES = {0, 43, 44, 51, 60, 135, 139, 140};
        private static final int[] BYTES = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x45, 0x60};

        private final SplittableRandom random;
        private byte[] bytes;
        private int ip;
        private boolean ipv6;
        private int l4;
        private int tunnel;
        private TunnelType type;

        Mutator(SplittableRandom random) {
            this.random = random;
        }

        byte[] mutate(Sample sample) {
            bytes = sample.bytes().clone();
            ip = 14;
            ipv6 = sample.ipv6();
            l4 = sample.l4Offset();
            tunnel = sample.tunnelOffset();
            type = sample.type();
            int operations = 1 + random.nextInt(4);
            for (int i = 0; i < operations; i++) {
                mutateOnce();
            }
            int fix = random.nextInt(4);
            if (fix != 0) { // three times in four, the checksums a mutation broke are made right again
                fixChecksums(fix != 1);
            }
            return bytes;
        }

        private int pick(int[] values) {
            return random.nextInt(8) == 0 ? random.nextInt(0x10000) : values[random.nextInt(values.length)];
        }

        /** A length near {@code actual}, or one of the edges a parser must get right. */
        private int length(int actual, int... edges) {
            return switch (random.nextInt(4)) {
                case 0 -> actual + random.nextInt(9) - 4;
                case 1 -> edges[random.nextInt(edges.length)];
                case 2 -> random.nextInt(0x10000);
                default -> random.nextBoolean() ? 0 : 0xffff;
            };
        }

        private void mutateOnce() {
            int ipLength = bytes.length - ip;
            switch (random.nextInt(19)) {
                case 0, 1, 2 -> { // flip a bit, usually in the headers
                    if (bytes.length > 0) {
                        int at = random.nextInt(Math.min(bytes.length, random.nextBoolean() ? 90 : bytes.length));
                        bytes[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 3 -> { // overwrite a byte
                    if (bytes.length > 0) {
                        int at = random.nextInt(Math.min(bytes.length, 90));
                        bytes[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : BYTES[random.nextInt(8)]);
                    }
                }
                case 4 -> put16(ip - 2, pick(ETHER_TYPES));
                case 5 -> put8(ip, ipv6 ? 0x60 | random.nextInt(16) : pick(VERSION_IHL) & 0xff);
                case 6 -> {
                    if (ipv6) {
                        put16(ip + 4, length(ipLength - 40, 0, 7, 8, 15, 16, 23, 24));
                    } else {
                        put16(ip + 2, length(ipLength, 0, 19, 20, 27, 28, 35, 36));
                    }
                }
                case 7 -> { // fragment bits; IPv6 has them in a fragment header, which the chain may bring
                    if (ipv6) {
                        extensionChain();
                    } else {
                        put16(ip + 6, pick(FRAGMENT));
                    }
                }
                case 8 -> put8(ipv6 ? ip + 6 : ip + 9, pick(PROTOCOLS) & 0xff);
                case 9 -> { // the ECN field, to any codepoint; CE over a Not-ECT inner packet must be dropped
                    int ecn = random.nextInt(4);
                    if (ipv6) {
                        put8(ip + 1, (get8(ip + 1) & ~0x30) | (ecn << 4));
                    } else {
                        put8(ip + 1, (get8(ip + 1) & ~3) | ecn);
                    }
                }
                case 10 -> put16(l4 + 4, length(bytes.length - l4, 0, 7, 8, 11, 12, 15, 16, 29, 30));
                case 11 -> put16(l4 + 2, pick(UDP_PORTS));
                case 12 -> put16(tunnel, pick(GRE_FLAGS));
                case 13 -> put16(tunnel + 2, pick(GRE_PROTOCOLS));
                case 14 -> {
                    put8(tunnel, pick(VXLAN_FLAGS) & 0xff);
                    if (random.nextBoolean()) {
                        put8(tunnel + VXLAN_RESERVED[random.nextInt(VXLAN_RESERVED.length)], random.nextInt(256));
                    }
                }
                case 15 -> extensionChain();
                case 16 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                case 17 -> { // padding after the packet, as short Ethernet frames have
                    int before = bytes.length;
                    bytes = Arrays.copyOf(bytes, before + 1 + random.nextInt(16));
                    if (random.nextBoolean()) {
                        for (int i = before; i < bytes.length; i++) {
                            bytes[i] = (byte) random.nextInt(256);
                        }
                    }
                }
                default -> pushVlanTag();
            }
        }

        /** Overwrites the start of the outer IPv6 payload with 1 to 20 extension headers, some cut short. */
        private void extensionChain() {
            if (!ipv6 || ip + 40 > bytes.length) {
                return;
            }
            int headers = 1 + random.nextInt(20);
            int previous = ip + 6; // where the next-header value of the current header goes
            int at = ip + 40;
            for (int h = 0; h < headers && at + 8 <= bytes.length; h++) {
                int extension = EXTENSION_TYPES[random.nextInt(EXTENSION_TYPES.length)];
                bytes[previous] = (byte) extension;
                int units = random.nextInt(8) == 0 ? random.nextInt(256) : 0;
                bytes[at + 1] = (byte) units;
                if (extension == 44) { // fragment: offset 0 and M clear (atomic) or a real fragment
                    put16(at + 2, random.nextInt(4) == 0 ? random.nextInt(0x10000) : 0);
                }
                previous = at;
                at += extension == 44 ? 8 : extension == 51 ? (units + 2) * 4 : (units + 1) * 8;
            }
            if (previous < bytes.length) {
                bytes[previous] = (byte) pick(PROTOCOLS);
            }
        }

        /** Inserts an 802.1Q or 802.1ad tag after the MAC addresses, moving every header behind it. */
        private void pushVlanTag() {
            if (bytes.length < 12) {
                return;
            }
            byte[] tagged = new byte[bytes.length + 4];
            System.arraycopy(bytes, 0, tagged, 0, 12);
            System.arraycopy(bytes, 12, tagged, 16, bytes.length - 12);
            MemorySegment segment = MemorySegment.ofArray(tagged);
            Bytes.u16(segment, 12, random.nextInt(4) == 0 ? 0x88a8 : 0x8100);
            Bytes.u16(segment, 14, random.nextInt(0x10000));
            bytes = tagged;
            ip += 4;
            l4 += 4;
            tunnel += 4;
        }

        /**
         * Makes the outer IPv4 header checksum right again, and with {@code layer4} the GRE and UDP checksums when
         * present, over whatever lengths the (possibly mutated) headers claim, within the bytes there are.
         */
        private void fixChecksums(boolean layer4) {
            MemorySegment segment = MemorySegment.ofArray(bytes);
            int end = bytes.length;
            if (layer4 && type.overUdp() && l4 + 8 <= end && ip + (ipv6 ? 40 : 20) <= end && get16(l4 + 6) != 0) {
                int udpLength = Math.min(get16(l4 + 4), end - l4);
                if (type.isGre()) {
                    fixGre(segment, l4 + 8, udpLength - 8);
                }
                if (udpLength >= 8) {
                    long pseudo = ipv6
                            ? Checksum.ipv6PseudoHeader(segment, ip + 8, ip + 24, 17, udpLength)
                            : Checksum.ipv4PseudoHeader(
                                    Bytes.u32(segment, ip + 12), Bytes.u32(segment, ip + 16), 17, udpLength);
                    Bytes.u16(segment, l4 + 6, 0);
                    int checksum = Checksum.finish(Checksum.add(segment, l4, udpLength, pseudo));
                    Bytes.u16(segment, l4 + 6, checksum == 0 ? 0xffff : checksum);
                }
            } else if (layer4 && type == TunnelType.GRE) {
                int ipEnd = ipv6 ? ip + 40 + get16(ip + 4) : ip + get16(ip + 2);
                fixGre(segment, l4, Math.min(ipEnd, end) - l4);
            }
            if (!ipv6 && ip + 20 <= end) {
                int headerLength = Math.max(20, Math.min((get8(ip) & 0xf) * 4, end - ip));
                Bytes.u16(segment, ip + 10, 0);
                Bytes.u16(segment, ip + 10, Checksum.compute(segment, ip, headerLength));
            }
        }

        private void fixGre(MemorySegment segment, int at, int length) {
            if (length >= 8 && at + length <= bytes.length && (get16(at) & 0x8000) != 0) {
                Bytes.u16(segment, at + 4, 0);
                Bytes.u16(segment, at + 4, Checksum.compute(segment, at, length));
            }
        }

        private int get8(int at) {
            return at >= 0 && at < bytes.length ? bytes[at] & 0xff : 0;
        }

        private int get16(int at) {
            return (get8(at) << 8) | get8(at + 1);
        }

        private void put8(int at, int value) {
            if (at >= 0 && at < bytes.length) {
                bytes[at] = (byte) value;
            }
        }

        private void put16(int at, int value) {
            put8(at, value >>> 8);
            put8(at + 1, value);
        }
    }
}
