package io.jvswitch.wire.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.l4.Udp;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GreInUdpTest {
    // The tutorial's GRE packet (key 0x1388, Ethernet payload: VM1's ARP request) in UDP from 192.168.1.100:50000 to
    // 192.168.1.101:4754. UDP length 8 + 8 + 42 = 58; pseudo-header 0x18464, header and data 0x70936, 0x88d9a folds
    // to 0x8da2, checksum 0x725d. tshark 4.0 decodes UDP port 4754 as GRE by itself: checksum Good, key 0x1388.
    private static final String DATAGRAM = "c350" + "1292" + "003a" + "725d"
            + "2000" + "6558" + "00001388"
            + "ffffffffffff" + "fa163e000001" + "0806"
            + "0001" + "0800" + "06" + "04" + "0001" + "fa163e000001" + "0a000001" + "000000000000" + "0a000002";

    @Test
    void portsAreTheIanaAssignments() {
        assertThat(GreInUdp.PORT).isEqualTo(4754);
        assertThat(GreInUdp.DTLS_PORT).isEqualTo(4755);
    }

    @Test
    void onlyThePlainPortCarriesAGreHeader() {
        assertThat(GreInUdp.isGreInUdpPort(4754)).isTrue();
        assertThat(GreInUdp.isGreInUdpPort(GreInUdp.DTLS_PORT)).isFalse();
        assertThat(GreInUdp.isGreInUdpPort(Vxlan.PORT)).isFalse();
        assertThat(GreInUdp.isGreInUdpPort(0)).isFalse();
        assertThat(GreInUdp.isGreInUdpPort(4754 + 65536)).isFalse();
    }

    @Test
    void theGreHeaderStartsRightAfterUdp() {
        MemorySegment segment = MemorySegment.ofArray(HexFormat.of().parseHex(DATAGRAM));
        assertThat(Udp.validate(segment, 0, 58)).isNull();
        Udp udp = new Udp().wrap(segment, 0);
        assertThat(GreInUdp.isGreInUdpPort(udp.destinationPort())).isTrue();
        assertThat(udp.checksumValid(Checksum.ipv4PseudoHeader(0xc0a80164, 0xc0a80165, 17, 58), 58))
                .isTrue();

        long at = Udp.HEADER_LENGTH;
        assertThat(Gre.version(segment, at)).isZero();
        assertThat(Gre.validate(segment, at, udp.length() - Udp.HEADER_LENGTH)).isNull();
        Gre gre = new Gre().wrap(segment, at);
        assertThat(gre.protocol()).isEqualTo(Gre.PROTOCOL_TEB);
        assertThat(gre.key()).isEqualTo(0x1388);
        assertThat(at + gre.headerLength()).isEqualTo(16);
    }
}
