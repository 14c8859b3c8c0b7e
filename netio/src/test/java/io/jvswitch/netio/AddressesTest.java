package io.jvswitch.netio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Addresses in error messages: dotted quads and RFC 5952 IPv6 text. */
class AddressesTest {
    @Test
    void ipv4() {
        assertThat(Addresses.ipv4(0xc6120001)).isEqualTo("198.18.0.1");
        assertThat(Addresses.ipv4(0xffffffff, 65535)).isEqualTo("255.255.255.255:65535");
        assertThat(Addresses.ipv4(0)).isEqualTo("0.0.0.0");
    }

    @Test
    void ipv6FollowsRfc5952() {
        assertThat(Addresses.ipv6(0x20010db800000000L, 1)).isEqualTo("2001:db8::1");
        assertThat(Addresses.ipv6(0, 0)).isEqualTo("::");
        assertThat(Addresses.ipv6(0, 1)).isEqualTo("::1");
        assertThat(Addresses.ipv6(0xff02000000000000L, 0x1ff000002L)).isEqualTo("ff02::1:ff00:2");
        // The longest run of zero groups is shortened, the first on a tie, and a single zero group is not.
        assertThat(Addresses.ipv6(0x20010db800000000L, 0x0001000000000001L)).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Addresses.ipv6(0x20010db800000001L, 0x0001000100010001L)).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Addresses.ipv6(0x2001000000000000L, 0)).isEqualTo("2001::");
        assertThat(Addresses.ipv6(0x20010db800000000L, 0x0000000100000000L, 4789))
                .isEqualTo("[2001:db8::1:0:0]:4789");
    }

    @Test
    void portsAreChecked() {
        assertThatThrownBy(() -> Addresses.checkPort(65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port 65536 is not between 0 and 65535");
    }
}
