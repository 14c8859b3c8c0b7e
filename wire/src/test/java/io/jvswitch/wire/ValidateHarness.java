package io.jvswitch.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Checks every codec's {@code validate} against truncated and random input, in segments sized exactly to the input so
 * that a read past the end throws.
 */
public final class ValidateHarness {
    /** A codec's {@code static Malformed validate(MemorySegment, long, long)}. */
    @FunctionalInterface
    public interface Validator {
        Malformed validate(MemorySegment segment, long offset, long available);
    }

    /** What a test does with input that validated: reads every field the header says is there. */
    @FunctionalInterface
    public interface Reader {
        /** Reads the header at {@code offset} and returns its length, which must fit in {@code available}. */
        long readAll(MemorySegment segment, long offset, long available);
    }

    private ValidateHarness() {}

    /**
     * For every prefix of {@code packet} shorter than it (and for the whole of it), validates the prefix at offset 3
     * of a segment that ends with it, and at offset 3 of a segment that holds the whole packet but says only the
     * prefix is available: both must give {@code expected.apply(length)} (null for the whole packet, normally).
     */
    public static void everyTruncation(Validator validator, byte[] packet, IntFunction<Malformed> expected) {
        for (int length = 0; length <= packet.length; length++) {
            byte[] exact = new byte[3 + length];
            System.arraycopy(packet, 0, exact, 3, length);
            byte[] roomy = new byte[3 + packet.length + 16];
            Arrays.fill(roomy, (byte) 0x5a);
            System.arraycopy(packet, 0, roomy, 3, packet.length);
            int n = length;
            assertThat(validator.validate(MemorySegment.ofArray(exact), 3, n))
                    .as("%d of %d bytes, segment ends there", n, packet.length)
                    .isEqualTo(expected.apply(n));
            assertThat(validator.validate(MemorySegment.ofArray(roomy), 3, n))
                    .as("%d of %d bytes available in a longer segment", n, packet.length)
                    .isEqualTo(expected.apply(n));
        }
    }

    /**
     * Random inputs of 0 to {@code maxLength} bytes, each starting with a random one of {@code seeds} (golden headers)
     * with a few bytes flipped, or wholly random; each is validated in a segment that ends where it ends. Nothing may
     * throw; input that validates must be readable by {@code reader} within its length. Returns how many validated,
     * so a test can check the inputs were not all rejected.
     */
    public static int randomInputs(
            Validator validator, Reader reader, long seed, int rounds, int maxLength, byte[]... seeds) {
        Random random = new Random(seed);
        int accepted = 0;
        for (int round = 0; round < rounds; round++) {
            int length = random.nextInt(maxLength + 1);
            int offset = random.nextInt(4);
            byte[] bytes = new byte[offset + length];
            random.nextBytes(bytes);
            if (seeds.length > 0 && random.nextInt(4) != 0) {
                byte[] start = seeds[random.nextInt(seeds.length)];
                System.arraycopy(start, 0, bytes, offset, Math.min(start.length, length));
                for (int flips = random.nextInt(3); flips > 0 && length > 0; flips--) {
                    bytes[offset + random.nextInt(Math.min(length, 16))] ^= (byte) (1 << random.nextInt(8));
                }
            }
            MemorySegment segment = MemorySegment.ofArray(bytes);
            long available = length;
            Malformed[] result = new Malformed[1];
            assertThatCode(() -> result[0] = validator.validate(segment, offset, available))
                    .as("round %d: %s", round, java.util.HexFormat.of().formatHex(bytes))
                    .doesNotThrowAnyException();
            if (result[0] == null) {
                accepted++;
                long[] headerLength = new long[1];
                assertThatCode(() -> headerLength[0] = reader.readAll(segment, offset, available))
                        .as(
                                "round %d: reading validated %s",
                                round, java.util.HexFormat.of().formatHex(bytes))
                        .doesNotThrowAnyException();
                assertThat(headerLength[0]).isLessThanOrEqualTo(available);
            }
        }
        return accepted;
    }

    /**
     * Offsets and lengths that do not fit the segment at all (a caller's bug) give a reason, never an exception: a
     * negative offset or length, an offset at or past the end, a length longer than what the segment holds past the
     * offset.
     */
    public static void nonsenseBounds(Validator validator) {
        MemorySegment segment = MemorySegment.ofArray(new byte[20]);
        long[][] cases = {
            {-1, 20},
            {0, -1},
            {21, 4},
            {20, 0},
            {18, 100},
            {Long.MAX_VALUE, 8},
            {Long.MIN_VALUE, 8},
            {3, Long.MIN_VALUE}
        };
        for (long[] c : cases) {
            Malformed[] result = new Malformed[1];
            assertThatCode(() -> result[0] = validator.validate(segment, c[0], c[1]))
                    .as("offset %d, available %d", c[0], c[1])
                    .doesNotThrowAnyException();
            assertThat(result[0]).as("offset %d, available %d", c[0], c[1]).isNotNull();
        }
        assertThat(validator.validate(MemorySegment.NULL, 0, 64)).isNotNull();
    }
}
