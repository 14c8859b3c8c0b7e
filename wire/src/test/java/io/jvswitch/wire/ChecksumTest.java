package io.jvswitch.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    private static MemorySegment bytes(String hex) {
        return MemorySegment.ofArray(HexFormat.of().parseHex(hex));
    }

    @Test
    void rfc1071NumericalExample() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2, so the checksum is 220d.
        MemorySegment data = bytes("0001f203f4f5f6f7");
        assertThat(Checksum.fold(Checksum.add(data, 0, 8, 0))).isEqualTo(0xddf2);
        assertThat(Checksum.compute(data, 0, 8)).isEqualTo(0x220d);
    }

    @Test
    void oddLengthPadsTheLastByteOnTheRight() {
        assertThat(Checksum.fold(Checksum.add(bytes("0001f2"), 0, 3, 0))).isEqualTo(0x0001 + 0xf200);
    }

    @Test
    void ipv4HeaderVerifiesWithItsOwnChecksum() {
        // A real header (Wikipedia's IPv4 checksum example): checksum field b861.
        MemorySegment header = bytes("450000730000400040110000c0a80001c0a800c7");
        assertThat(Checksum.compute(header, 0, 20)).isEqualTo(0xb861);
        Bytes.u16(header, 10, 0xb861);
        assertThat(Checksum.verifies(header, 0, 20, 0)).isTrue();
        Bytes.u16(header, 10, 0xb862);
        assertThat(Checksum.verifies(header, 0, 20, 0)).isFalse();
    }

    @Test
    void rfc1624Equation3Example() {
        // RFC 1624 section 4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000 (eqn 3), not 0xffff.
        assertThat(Checksum.update16(0xdd2f, 0x5555, 0x3285)).isEqualTo(0x0000);
    }

    @Test
    void incrementalUpdatesMatchFullRecomputation() {
        Random random = new Random(1624);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(40);
            for (int round = 0; round < 20_000; round++) {
                for (int i = 0; i < 40; i += 4) {
                    Bytes.u32(data, i, random.nextInt());
                }
                Bytes.u16(data, 10, 0);
                int checksum = Checksum.compute(data, 0, 40);
                Bytes.u16(data, 10, checksum);

                int word = 2 * random.nextInt(20);
                if (word == 10) {
                    continue;
                }
                int oldWord = Bytes.u16(data, word);
                int newWord = random.nextInt(0x10000);
                Bytes.u16(data, word, newWord);
                int updated = Checksum.update16(checksum, oldWord, newWord);
                Bytes.u16(data, 10, updated);
                assertThat(Checksum.verifies(data, 0, 40, 0))
                        .as("round %d word %d %04x->%04x", round, word, oldWord, newWord)
                        .isTrue();

                int oldLong = Bytes.u32(data, 12);
                int newLong = random.nextInt();
                Bytes.u32(data, 12, newLong);
                Bytes.u16(data, 10, Checksum.update32(updated, oldLong, newLong));
                assertThat(Checksum.verifies(data, 0, 40, 0)).isTrue();
            }
        }
    }

    @Test
    void pseudoHeaderSumsMatchTheirBytes() {
        MemorySegment v4 = bytes("c0a80164c0a80165" + "0011" + "0024");
        assertThat(Checksum.fold(Checksum.ipv4PseudoHeader(0xc0a80164, 0xc0a80165, 17, 0x24)))
                .isEqualTo(Checksum.fold(Checksum.add(v4, 0, 12, 0)));

        MemorySegment v6 = bytes("20010db8000000000000000000000001" + "20010db8000000000000000000000002");
        MemorySegment v6Pseudo = bytes(
                "20010db8000000000000000000000001" + "20010db8000000000000000000000002" + "00010024" + "00000011");
        assertThat(Checksum.fold(Checksum.ipv6PseudoHeader(v6, 0, 16, 17, 0x10024)))
                .isEqualTo(Checksum.fold(Checksum.add(v6Pseudo, 0, 40, 0)));
    }
}
