package io.jvswitch.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AddressTest {
    @Test
    void macRoundTripsAndKnowsGroupAddresses() {
        long mac = MacAddress.parse("FA:16:3e:1f:19:55");
        assertThat(mac).isEqualTo(0xfa163e1f1955L);
        assertThat(MacAddress.format(mac)).isEqualTo("fa:16:3e:1f:19:55");
        assertThat(MacAddress.format(0x000000000001L)).isEqualTo("00:00:00:00:00:01");
        assertThat(MacAddress.isMulticast(MacAddress.BROADCAST)).isTrue();
        assertThat(MacAddress.isMulticast(0x01005e000001L)).isTrue();
        assertThat(MacAddress.isMulticast(mac)).isFalse();
    }

    @Test
    void badMacsAreRefusedWithTheText() {
        assertThatThrownBy(() -> MacAddress.parse("fa:16:3e:1f:19"))
                .hasMessage("'fa:16:3e:1f:19' is not a MAC address (expected xx:xx:xx:xx:xx:xx)");
        assertThatThrownBy(() -> MacAddress.parse("fa:16:3e:1f:19:zz"))
                .hasMessage("'fa:16:3e:1f:19:zz' is not a MAC address ('zz' is not hexadecimal)");
        assertThatThrownBy(() -> MacAddress.parse("fa:16:3e:1f:19:555")).hasMessageContaining("not a MAC address");
    }

    @Test
    void ipv4RoundTripsAndRefusesWhatIsNotDottedQuad() {
        assertThat(Ipv4Address.parse("192.168.1.100")).isEqualTo(0xc0a80164);
        assertThat(Ipv4Address.format(0xc0a80164)).isEqualTo("192.168.1.100");
        assertThat(Ipv4Address.format(0xffffffff)).isEqualTo("255.255.255.255");
        assertThat(Ipv4Address.isMulticast(Ipv4Address.parse("239.1.1.1"))).isTrue();
        for (String bad : new String[] {"1.2.3", "1.2.3.256", "1.2.3.4.5", "01.2.3.4", "a.b.c.d", "", "1..2.3"}) {
            assertThatThrownBy(() -> Ipv4Address.parse(bad))
                    .hasMessage("'" + bad + "' is not an IPv4 address (expected a.b.c.d)");
        }
    }

    @Test
    void ipv6PrintsInRfc5952Form() {
        assertThat(Ipv6Address.format(Ipv6Address.parse("2001:0DB8:0:0:0:0:0:1")))
                .isEqualTo("2001:db8::1");
        assertThat(Ipv6Address.format(Ipv6Address.parse("2001:db8:0:0:1:0:0:1")))
                .isEqualTo("2001:db8::1:0:0:1");
        assertThat(Ipv6Address.format(Ipv6Address.parse("2001:db8:0:1:1:1:1:1")))
                .isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Ipv6Address.format(Ipv6Address.parse("::"))).isEqualTo("::");
        assertThat(Ipv6Address.format(Ipv6Address.parse("fe80::"))).isEqualTo("fe80::");
        assertThat(Ipv6Address.format(0x20010db800000000L, 1))
                .as("two longs, high first")
                .isEqualTo("2001:db8::1");
        assertThat(Ipv6Address.format(0xfe80000000000000L, 0x00ff_fe00_0000_0001L))
                .isEqualTo("fe80::ff:fe00:0:1");
        assertThat(HexFormat.of().formatHex(Ipv6Address.parse("::ffff:198.18.0.1")))
                .isEqualTo("00000000000000000000ffffc6120001");
        assertThatThrownBy(() -> Ipv6Address.parse("198.18.0.1")).hasMessage("'198.18.0.1' is not an IPv6 address");
        assertThatThrownBy(() -> Ipv6Address.parse("2001:db8::1::2"))
                .hasMessage("'2001:db8::1::2' is not an IPv6 address");
    }
}
