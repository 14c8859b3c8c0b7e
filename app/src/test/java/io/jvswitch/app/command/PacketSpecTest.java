package io.jvswitch.app.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l4.Tcp;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@code --inner}'s packet language. Defaults are pinned as bytes; each field is compared with the frame {@link
 * FrameBuilder} (pinned byte for byte in its own test) builds from the same values.
 */
class PacketSpecTest {
    private static final long VM1_MAC = MacAddress.parse("fa:16:3e:00:00:01");
    private static final long VM2_MAC = MacAddress.parse("fa:16:3e:00:00:02");
    private static final int VM1 = Ipv4Address.parse("10.0.0.1");
    private static final int VM2 = Ipv4Address.parse("10.0.0.2");
    private static final byte[] VM1_V6 = Ipv6Address.parse("fd00::1");
    private static final byte[] VM2_V6 = Ipv6Address.parse("fd00::2");

    private static final String COUNTING_32 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String COUNTING_56 = COUNTING_32 + "202122232425262728292a2b2c2d2e2f3031323334353637";

    private static String hex(String spec) {
        return HexFormat.of().formatHex(PacketSpec.parse(spec).build());
    }

    private static String hex(FrameBuilder builder) {
        return HexFormat.of().formatHex(builder.build());
    }

    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static FrameBuilder vm1ToVm2() {
        return new FrameBuilder().ethernet(VM1_MAC, VM2_MAC).ipv4(VM1, VM2);
    }

    private static FrameBuilder vm1ToVm2V6() {
        return new FrameBuilder().ethernet(VM1_MAC, VM2_MAC).ipv6(VM1_V6, VM2_V6);
    }

    // ---- Defaults: the tutorial's VM1 talking to VM2 ----

    @Test
    void arpDefaultsToTheTutorialsRequest() {
        assertThat(hex("arp"))
                .isEqualTo("ffffffffffff" + "fa163e000001" + "0806" + "0001080006040001" + "fa163e000001" + "0a000001"
                        + "000000000000" + "0a000002");
    }

    @Test
    void arpReplyDefaultsToVm1AnsweringVm2() {
        assertThat(hex("arp,arp_op=2"))
                .isEqualTo("fa163e000002" + "fa163e000001" + "0806" + "0001080006040002" + "fa163e000001" + "0a000001"
                        + "fa163e000002" + "0a000002");
    }

    @Test
    void icmpDefaultsToAPingWithFiftySixBytes() {
        assertThat(hex("icmp"))
                .isEqualTo("fa163e000002" + "fa163e000001" + "0800"
                        + "45000054" + "00004000" + "400126a7" + "0a000001" + "0a000002"
                        + "0800" + "00eb" + "0001" + "0001" + COUNTING_56);
    }

    @Test
    void udpDefaultsToThirtyTwoBytesToTheEchoPort() {
        assertThat(hex("udp"))
                .isEqualTo("fa163e000002" + "fa163e000001" + "0800"
                        + "4500003c" + "00004000" + "401126af" + "0a000001" + "0a000002"
                        + "3039" + "0007" + "0028" + "ca5a" + COUNTING_32);
    }

    @Test
    void tcpDefaultsToASynToPortEighty() {
        assertThat(hex("tcp")).isEqualTo(hex(vm1ToVm2().tcp(12345, 80, Tcp.SYN).payload(counting(32))));
    }

    @Test
    void ipv6Defaults() {
        assertThat(hex("udp6"))
                .isEqualTo("fa163e000002" + "fa163e000001" + "86dd"
                        + "60000000" + "0028" + "11" + "40"
                        + "fd000000000000000000000000000001" + "fd000000000000000000000000000002"
                        + "3039" + "0007" + "0028" + "e458" + COUNTING_32);
        assertThat(hex("icmp6")).isEqualTo(hex(vm1ToVm2V6().icmpEcho(true, 1, 1).payload(counting(56))));
        assertThat(hex("tcp6"))
                .isEqualTo(hex(vm1ToVm2V6().tcp(12345, 80, Tcp.SYN).payload(counting(32))));
    }

    // ---- Each field ----

    @Test
    void ethernetAddresses() {
        assertThat(hex("udp,dl_src=02:00:00:00:00:0a,dl_dst=02:00:00:00:00:0b"))
                .isEqualTo(hex(new FrameBuilder()
                        .ethernet(0x02000000000aL, 0x02000000000bL)
                        .ipv4(VM1, VM2)
                        .udp(12345, 7)
                        .payload(counting(32))));
    }

    @Test
    void vlan() {
        assertThat(hex("icmp,dl_vlan=100"))
                .isEqualTo(hex(vm1ToVm2().vlan(100).icmpEcho(true, 1, 1).payload(counting(56))));
        assertThat(hex("arp,dl_vlan=0x0ffe").substring(24, 36)).isEqualTo("8100" + "0ffe" + "0806");
    }

    @Test
    void ipv4Addresses() {
        assertThat(hex("icmp,nw_src=192.168.1.1,nw_dst=192.168.2.1"))
                .isEqualTo(hex(new FrameBuilder()
                        .ethernet(VM1_MAC, VM2_MAC)
                        .ipv4(Ipv4Address.parse("192.168.1.1"), Ipv4Address.parse("192.168.2.1"))
                        .icmpEcho(true, 1, 1)
                        .payload(counting(56))));
    }

    @Test
    void ipv6Addresses() {
        assertThat(hex("udp6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2"))
                .isEqualTo(hex(new FrameBuilder()
                        .ethernet(VM1_MAC, VM2_MAC)
                        .ipv6(Ipv6Address.parse("2001:db8::1"), Ipv6Address.parse("2001:db8::2"))
                        .udp(12345, 7)
                        .payload(counting(32))));
    }

    @Test
    void arpFields() {
        assertThat(
                        hex(
                                "arp,arp_op=2,dl_src=fa:16:3e:1f:19:55,dl_dst=fa:16:3e:00:00:01,nw_src=10.0.0.2,nw_dst=10.0.0.1"))
                .isEqualTo("fa163e000001" + "fa163e1f1955" + "0806" + "0001080006040002" + "fa163e1f1955" + "0a000002"
                        + "fa163e000001" + "0a000001");
        // The ARP addresses can differ from the Ethernet ones, as a proxy's or a spoofer's do.
        assertThat(hex("arp,arp_sha=02:00:00:00:00:01,arp_tha=02:00:00:00:00:02"))
                .isEqualTo(hex(new FrameBuilder()
                        .ethernet(VM1_MAC, MacAddress.BROADCAST)
                        .arp(Arp.OP_REQUEST, 0x020000000001L, VM1, 0x020000000002L, VM2)));
    }

    @Test
    void tosAndTtl() {
        assertThat(hex("udp,nw_tos=0xb8,nw_ttl=1"))
                .isEqualTo(hex(vm1ToVm2().tos(0xb8).ttl(1).udp(12345, 7).payload(counting(32))));
        assertThat(hex("udp6,nw_tos=3,nw_ttl=255"))
                .isEqualTo(hex(vm1ToVm2V6().tos(3).ttl(255).udp(12345, 7).payload(counting(32))));
    }

    @Test
    void ports() {
        assertThat(hex("udp,tp_src=53,tp_dst=0x35"))
                .isEqualTo(hex(vm1ToVm2().udp(53, 53).payload(counting(32))));
        assertThat(hex("tcp,tp_src=40000,tp_dst=443"))
                .isEqualTo(hex(vm1ToVm2().tcp(40000, 443, Tcp.SYN).payload(counting(32))));
        assertThat(hex("tcp6,tp_src=0,tp_dst=65535"))
                .isEqualTo(hex(vm1ToVm2V6().tcp(0, 65535, Tcp.SYN).payload(counting(32))));
    }

    @Test
    void icmpType() {
        assertThat(hex("icmp,icmp_type=0"))
                .isEqualTo(hex(vm1ToVm2().icmpEcho(false, 1, 1).payload(counting(56))));
        assertThat(hex("icmp,icmp_type=8")).isEqualTo(hex("icmp"));
        assertThat(hex("icmp6,icmp_type=129"))
                .isEqualTo(hex(vm1ToVm2V6().icmpEcho(false, 1, 1).payload(counting(56))));
    }

    @Test
    void payloadLength() {
        assertThat(hex("udp,payload=0")).isEqualTo(hex(vm1ToVm2().udp(12345, 7)));
        assertThat(hex("icmp,payload=1000"))
                .isEqualTo(hex(vm1ToVm2().icmpEcho(true, 1, 1).payload(counting(1000))));
        assertThat(PacketSpec.parse("udp,payload=9000").build()).hasSize(14 + 20 + 8 + 9000);
    }

    @Test
    void spacesAroundWordsAreIgnored() {
        assertThat(hex(" udp , tp_dst=9 "))
                .isEqualTo(hex(vm1ToVm2().udp(12345, 9).payload(counting(32))));
    }

    @Test
    void theHelpListsEveryFieldTheParserKnows() {
        assertThat(PacketSpec.FIELDS)
                .isEqualTo("dl_src, dl_dst, dl_vlan, nw_src, nw_dst, ipv6_src, ipv6_dst, arp_op, arp_sha, arp_tha,"
                        + " nw_tos, nw_ttl, tp_src, tp_dst, icmp_type, payload");
    }

    // ---- Errors: IllegalArgumentException naming the field and the value ----

    private static void assertRefused(String spec, String message) {
        assertThatThrownBy(() -> PacketSpec.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void unknownProtocols() {
        String expected = " (expected arp, icmp, udp, tcp, icmp6, udp6 or tcp6)";
        assertRefused("sctp", "unknown protocol 'sctp'" + expected);
        assertRefused("arp6", "unknown protocol 'arp6'" + expected);
        assertRefused("ip", "unknown protocol 'ip'" + expected);
        assertRefused("6", "unknown protocol '6'" + expected);
        assertRefused("", "unknown protocol ''" + expected);
        assertRefused("UDP", "unknown protocol 'UDP'" + expected);
        assertRefused("dl_src=fa:16:3e:00:00:01", "unknown protocol 'dl_src=fa:16:3e:00:00:01'" + expected);
    }

    @Test
    void wordsThatAreNotFieldEqualsValue() {
        assertRefused("udp,tp_src", "'tp_src' is not field=value (in 'udp,tp_src')");
        assertRefused("udp,=7", "'=7' is not field=value (in 'udp,=7')");
        assertRefused("udp,", "'' is not field=value (in 'udp,')");
    }

    @Test
    void aFieldGivenTwice() {
        assertRefused("udp,tp_src=1,tp_src=2", "tp_src is given twice");
    }

    @Test
    void unknownAndInapplicableFields() {
        String fields = " (fields: " + PacketSpec.FIELDS + ")";
        assertRefused("udp,vni=5", "unknown or inapplicable field vni for udp" + fields);
        assertRefused("udp,a=1,b=2", "unknown or inapplicable fields a, b for udp" + fields);
        assertRefused("arp,tp_src=1", "unknown or inapplicable field tp_src for arp" + fields);
        assertRefused("arp,nw_ttl=1", "unknown or inapplicable field nw_ttl for arp" + fields);
        assertRefused("icmp,tp_dst=1", "unknown or inapplicable field tp_dst for icmp" + fields);
        assertRefused("udp,icmp_type=8", "unknown or inapplicable field icmp_type for udp" + fields);
        assertRefused("udp6,nw_src=10.0.0.1", "unknown or inapplicable field nw_src for udp6" + fields);
        assertRefused("udp,ipv6_src=fd00::1", "unknown or inapplicable field ipv6_src for udp" + fields);
        assertRefused("tcp,arp_sha=fa:16:3e:00:00:01", "unknown or inapplicable field arp_sha for tcp" + fields);
        assertRefused("udp,arp_op=2", "unknown or inapplicable field arp_op for udp" + fields);
        assertRefused("icmp6,arp_op=1", "unknown or inapplicable field arp_op for icmp6" + fields);
    }

    @Test
    void badAddresses() {
        assertRefused(
                "arp,dl_src=fa:16:3e:00:00",
                "dl_src=fa:16:3e:00:00: 'fa:16:3e:00:00' is not a MAC address (expected xx:xx:xx:xx:xx:xx)");
        assertRefused("udp,dl_dst=", "dl_dst=: '' is not a MAC address (expected xx:xx:xx:xx:xx:xx)");
        assertRefused(
                "arp,arp_tha=zz:zz:zz:zz:zz:zz",
                "arp_tha=zz:zz:zz:zz:zz:zz: 'zz:zz:zz:zz:zz:zz' is not a MAC address ('zz' is not hexadecimal)");
        assertRefused(
                "udp,nw_src=10.0.0.256", "nw_src=10.0.0.256: '10.0.0.256' is not an IPv4 address (expected a.b.c.d)");
        assertRefused("arp,nw_dst=10.0.0", "nw_dst=10.0.0: '10.0.0' is not an IPv4 address (expected a.b.c.d)");
        assertRefused("udp6,ipv6_dst=fd00::g", "ipv6_dst=fd00::g: 'fd00::g' is not an IPv6 address");
    }

    @Test
    void numbersOutOfRange() {
        assertRefused("icmp,dl_vlan=4096", "dl_vlan=4096: out of range (0 to 4095)");
        assertRefused("icmp,dl_vlan=-1", "dl_vlan=-1: out of range (0 to 4095)");
        assertRefused("arp,arp_op=3", "arp_op=3: out of range (1 to 2)");
        assertRefused("arp,arp_op=0", "arp_op=0: out of range (1 to 2)");
        assertRefused("udp,nw_tos=256", "nw_tos=256: out of range (0 to 255)");
        assertRefused("udp,nw_ttl=0", "nw_ttl=0: out of range (1 to 255)");
        assertRefused("udp,tp_src=65536", "tp_src=65536: out of range (0 to 65535)");
        assertRefused("tcp,tp_dst=0x10000", "tp_dst=0x10000: out of range (0 to 65535)");
        assertRefused("udp,payload=9001", "payload=9001: out of range (0 to 9000)");
    }

    @Test
    void notNumbers() {
        assertRefused("udp,tp_src=http", "tp_src=http: not a number");
        assertRefused("udp,tp_src=0x", "tp_src=0x: not a number");
        assertRefused("udp,nw_ttl=", "nw_ttl=: not a number");
        assertRefused("udp,nw_tos=1.5", "nw_tos=1.5: not a number");
    }

    @Test
    void icmpTypesOtherThanEcho() {
        assertRefused("icmp,icmp_type=3", "icmp_type=3: jvs builds echo request (8) and echo reply (0)");
        assertRefused("icmp6,icmp_type=8", "icmp_type=8: jvs builds echo request (128) and echo reply (129)");
    }
}
