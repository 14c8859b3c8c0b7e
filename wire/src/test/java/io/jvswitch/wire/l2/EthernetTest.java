package io.jvswitch.wire.l2;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EthernetTest {
    // VM1's broadcast ARP request in the tutorial: to ff:ff:ff:ff:ff:ff from fa:16:3e:00:00:01, type ARP.
    private static final String GOLDEN = "ffffffffffff" + "fa163e000001" + "0806";

    @Test
    void decodesGoldenBytes() {
        Ethernet ethernet =
                new Ethernet().wrap(MemorySegment.ofArray(HexFormat.of().parseHex(GOLDEN)), 0);
        assertThat(ethernet.destination()).isEqualTo(0xffffffffffffL);
        assertThat(ethernet.source()).isEqualTo(0xfa163e000001L);
        assertThat(ethernet.etherType()).isEqualTo(Ethernet.TYPE_ARP);
    }

    @Test
    void encodesGoldenBytesAtAnOffset() {
        byte[] frame = new byte[2 + Ethernet.HEADER_LENGTH];
        new Ethernet().wrap(MemorySegment.ofArray(frame), 2).write(0xffffffffffffL, 0xfa163e000001L, Ethernet.TYPE_ARP);
        assertThat(HexFormat.of().formatHex(frame)).isEqualTo("0000" + GOLDEN);
    }
}
