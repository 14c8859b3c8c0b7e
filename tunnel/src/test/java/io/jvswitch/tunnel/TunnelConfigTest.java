package io.jvswitch.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TunnelConfigTest {
    private static Map<String, String> options(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void neutronsTunnelPortReadsAsTheTutorialShowsIt() {
        TunnelConfig config = TunnelConfig.fromOptions(
                TunnelType.GRE,
                options(
                        "remote_ip",
                        "192.168.1.101",
                        "local_ip",
                        "192.168.1.100",
                        "in_key",
                        "flow",
                        "out_key",
                        "flow"));
        assertThat(config.inKey()).isEqualTo(TunnelKey.FLOW);
        assertThat(config.outKey()).isEqualTo(TunnelKey.FLOW);
        assertThat(config.optionsText())
                .isEqualTo("{in_key=flow, local_ip=\"192.168.1.100\", out_key=flow, remote_ip=\"192.168.1.101\"}");
        assertThat(config.ttl()).isEqualTo(64);
        assertThat(config.tos()).isZero();
        assertThat(config.dontFragment()).isTrue();
        assertThat(config.checksum()).isFalse();
        assertThat(config.payloadType()).isEqualTo(TunnelConfig.PayloadType.LEGACY_L2);
    }

    @Test
    void defaultsOfUdpTunnels() {
        TunnelConfig vxlan =
                TunnelConfig.fromOptions(TunnelType.VXLAN, options("remote_ip", "239.1.1.1", "key", "5000"));
        assertThat(vxlan.destinationPort()).isEqualTo(4789);
        assertThat(vxlan.sourcePortMin()).isEqualTo(49152);
        assertThat(vxlan.sourcePortMax()).isEqualTo(65535);
        assertThat(vxlan.outKey()).isEqualTo(TunnelKey.of(5000));
        assertThat(TunnelConfig.fromOptions(TunnelType.GRE_UDP, options("remote_ip", "198.18.0.2"))
                        .destinationPort())
                .isEqualTo(4754);
        TunnelConfig v6 =
                TunnelConfig.fromOptions(TunnelType.VXLAN, options("remote_ip", "2001:db8::1", "csum", "false"));
        assertThat(v6.checksum()).isFalse();
        assertThat(v6.ipv6()).isTrue();
    }

    @Test
    void everyOptionIsRead() {
        TunnelConfig config = TunnelConfig.fromOptions(
                TunnelType.GRE_UDP,
                options(
                        "remote_ip",
                        "198.18.0.2",
                        "local_ip",
                        "198.18.0.1",
                        "key",
                        "0xffffffff",
                        "csum",
                        "true",
                        "seq",
                        "true",
                        "ttl",
                        "inherit",
                        "tos",
                        "inherit",
                        "df_default",
                        "false",
                        "dst_port",
                        "6000",
                        "src_port_range",
                        "1000-2000",
                        "packet_type",
                        "legacy_l3"));
        assertThat(config.outKey().value()).isEqualTo(0xffffffffL);
        assertThat(config.checksum()).isTrue();
        assertThat(config.sequence()).isTrue();
        assertThat(config.ttl()).isEqualTo(TunnelConfig.INHERIT);
        assertThat(config.tos()).isEqualTo(TunnelConfig.INHERIT);
        assertThat(config.dontFragment()).isFalse();
        assertThat(config.destinationPort()).isEqualTo(6000);
        assertThat(config.sourcePortMin()).isEqualTo(1000);
        assertThat(config.sourcePortMax()).isEqualTo(2000);
        assertThat(config.payloadType()).isEqualTo(TunnelConfig.PayloadType.LEGACY_L3);
    }

    private static void refused(TunnelType type, Map<String, String> options, String message) {
        assertThatThrownBy(() -> TunnelConfig.fromOptions(type, options))
                .isInstanceOf(TunnelConfigException.class)
                .hasMessage(message);
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionAndWhatIsAllowed() {
        refused(
                TunnelType.VXLAN,
                options("remote_ip", "198.18.0.2", "key", "16777216"),
                "options:key=16777216 is out of range: a VXLAN VNI is 24 bits (0 to 16777215)");
        refused(
                TunnelType.GRE,
                options("remote_ip", "198.18.0.2", "out_key", "4294967296"),
                "options:out_key=4294967296 is out of range: a GRE key is 32 bits (0 to 4294967295)");
        refused(
                TunnelType.GRE,
                options("remote_ip", "198.18.0.2", "key", "five"),
                "options:key=five is not a number or flow");
        refused(
                TunnelType.GRE,
                options("remote_ip", "198.18.0.300"),
                "options:remote_ip=198.18.0.300 is not an IPv4 or IPv6 address (or flow) for gre");
        refused(
                TunnelType.GRE,
                options("local_ip", "198.18.0.1"),
                "gre interface needs options:remote_ip (an address, or flow)");
        refused(
                TunnelType.GRE,
                options("remote_ip", "239.1.1.1"),
                "options:remote_ip=239.1.1.1 is a multicast group; only vxlan tunnels send to a group");
        refused(
                TunnelType.GRE,
                options("remote_ip", "2001:db8::1", "local_ip", "198.18.0.1"),
                "options:local_ip=198.18.0.1 and options:remote_ip=2001:db8::1 are of different IP families");
        refused(
                TunnelType.GRE,
                options("remote_ip", "198.18.0.2", "tos", "0x03"),
                "options:tos=0x03 sets ECN bits; ECN is always inherited from the inner packet (RFC 6040), give DSCP << 2");
        refused(
                TunnelType.GRE,
                options("remote_ip", "198.18.0.2", "ttl", "0"),
                "options:ttl=0 is out of range (1 to 255)");
        refused(
                TunnelType.GRE,
                options("remote_ip", "198.18.0.2", "csum", "yes"),
                "options:csum=yes: expected true or false");
        refused(
                TunnelType.VXLAN,
                options("remote_ip", "198.18.0.2", "seq", "true"),
                "options:seq applies to GRE tunnels only, not vxlan");
        refused(
                TunnelType.GRE,
                options("remote_ip", "198.18.0.2", "dst_port", "4789"),
                "options:dst_port applies to UDP tunnels, not gre");
        refused(
                TunnelType.VXLAN,
                options("remote_ip", "198.18.0.2", "src_port_range", "2000-1000"),
                "options:src_port_range=2000-1000: the first port must not exceed the second");
        refused(
                TunnelType.VXLAN,
                options("remote_ip", "198.18.0.2", "packet_type", "legacy_l3"),
                "options:packet_type=legacy_l3: VXLAN carries Ethernet frames only");
        refused(
                TunnelType.GRE,
                options("remote_ip", "198.18.0.2", "colour", "blue"),
                "unknown option colour for a gre interface (known: remote_ip, local_ip, key, in_key, out_key, csum,"
                        + " seq, ttl, tos, df_default, dst_port, packet_type, src_port_range)");
    }

    @Test
    void unknownTunnelTypesAreNamed() {
        assertThat(TunnelType.parse("VXLAN")).isEqualTo(TunnelType.VXLAN);
        assertThatThrownBy(() -> TunnelType.parse("geneve"))
                .hasMessage("unknown tunnel type 'geneve' (known: gre, vxlan, gre-udp)");
    }
}
