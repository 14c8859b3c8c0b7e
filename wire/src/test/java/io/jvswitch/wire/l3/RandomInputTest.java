package io.jvswitch.wire.l3;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l2.VlanTag;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every L2/L3 validate (and the IPv6 extension walk) on random bytes at random offsets, in segments sized exactly to
 * the input, as the fuzzer calls them: none may throw, which also proves none reads past the input's end.
 */
class RandomInputTest {
    @Test
    void validatorsNeverThrowOnRandomInput() {
        Random random = new Random(0x4a565357L);
        Ipv6Extensions walker = new Ipv6Extensions();
        for (int round = 0; round < 200_000; round++) {
            byte[] input = new byte[random.nextInt(130)];
            random.nextBytes(input);
            int offset = input.length == 0 ? 0 : random.nextInt(Math.min(input.length, 16) + 1);
            if (input.length > offset) {
                // Plausible first bytes reach deeper checks.
                input[offset] = (byte) (random.nextBoolean() ? 0x40 | random.nextInt(16) : 0x60 | random.nextInt(16));
            }
            MemorySegment segment = MemorySegment.ofArray(input);
            long available = input.length - offset;
            assertThatCode(() -> {
                        VlanTag.validate(segment, offset, available);
                        Arp.validate(segment, offset, available);
                        Ipv4.validate(segment, offset, available);
                        Ipv6.validate(segment, offset, available);
                        Icmpv4.validate(segment, offset, available);
                        Icmpv6.validate(segment, offset, available);
                        walker.walk(segment, offset, input.length);
                    })
                    .as("round %d", round)
                    .doesNotThrowAnyException();
        }
    }
}
