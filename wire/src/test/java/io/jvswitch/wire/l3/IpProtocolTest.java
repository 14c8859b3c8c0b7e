package io.jvswitch.wire.l3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpProtocolTest {
    @Test
    void numbersAreTheIanaAssignments() {
        assertThat(new int[] {
                    IpProtocol.HOPOPT,
                    IpProtocol.ICMP,
                    IpProtocol.TCP,
                    IpProtocol.UDP,
                    IpProtocol.IPV6,
                    IpProtocol.ROUTING,
                    IpProtocol.FRAGMENT,
                    IpProtocol.GRE,
                    IpProtocol.ESP,
                    IpProtocol.AH,
                    IpProtocol.ICMPV6,
                    IpProtocol.NO_NEXT_HEADER,
                    IpProtocol.DESTINATION_OPTIONS,
                    IpProtocol.MOBILITY,
                    IpProtocol.HIP,
                    IpProtocol.SHIM6
                })
                .containsExactly(0, 1, 6, 17, 41, 43, 44, 47, 50, 51, 58, 59, 60, 135, 139, 140);
    }

    @Test
    void namesForPrinting() {
        assertThat(IpProtocol.name(6)).isEqualTo("tcp");
        assertThat(IpProtocol.name(17)).isEqualTo("udp");
        assertThat(IpProtocol.name(47)).isEqualTo("gre");
        assertThat(IpProtocol.name(1)).isEqualTo("icmp");
        assertThat(IpProtocol.name(58)).isEqualTo("icmpv6");
        assertThat(IpProtocol.name(0)).isEqualTo("hopopt");
        assertThat(IpProtocol.name(41)).isEqualTo("ipv6");
        assertThat(IpProtocol.name(43)).isEqualTo("ipv6-route");
        assertThat(IpProtocol.name(44)).isEqualTo("ipv6-frag");
        assertThat(IpProtocol.name(50)).isEqualTo("esp");
        assertThat(IpProtocol.name(51)).isEqualTo("ah");
        assertThat(IpProtocol.name(59)).isEqualTo("ipv6-nonxt");
        assertThat(IpProtocol.name(60)).isEqualTo("ipv6-opts");
        assertThat(IpProtocol.name(135)).isEqualTo("mobility");
        assertThat(IpProtocol.name(139)).isEqualTo("hip");
        assertThat(IpProtocol.name(140)).isEqualTo("shim6");
    }

    @Test
    void unknownNumbersPrintAsNumbers() {
        assertThat(IpProtocol.name(132)).isEqualTo("132"); // SCTP: not named here
        assertThat(IpProtocol.name(255)).isEqualTo("255");
    }

    @Test
    void extensionHeadersAreExactlyTheRegistrysUpTo140() {
        for (int protocol = 0; protocol < 256; protocol++) {
            boolean expected = switch (protocol) {
                case 0, 43, 44, 50, 51, 60, 135, 139, 140 -> true;
                default -> false;
            };
            assertThat(IpProtocol.isIpv6Extension(protocol))
                    .as("protocol %d", protocol)
                    .isEqualTo(expected);
        }
    }
}
