package io.jvswitch.ofproto.text;

import static io.jvswitch.ofproto.table.FlowMod.Command.ADD;
import static io.jvswitch.ofproto.table.FlowMod.Command.DELETE;
import static io.jvswitch.ofproto.table.FlowMod.Command.DELETE_STRICT;
import static io.jvswitch.ofproto.table.FlowMod.Command.MODIFY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowTables;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error a flow's text can have, exactly as users see it: what is wrong and what would be right, then the text
 * with a caret line under the offending token (or the part of it that is wrong, such as a mask).
 */
class FlowParserErrorTest {
    static Stream<Arguments> errors() {
        return Stream.of(
                // An unknown keyword or field, and a keyword without its value.
                error(ADD, "priority=1,in_prot=1 actions=drop", """
                    unknown keyword or field 'in_prot' (keywords: table, priority, idle_timeout, hard_timeout, cookie, out_port; fields: in_port, metadata, reg0, reg1, reg2, reg3, reg4, reg5, reg6, reg7, tun_id, tun_src, tun_dst, dl_dst, dl_type, dl_src, vlan_tci, dl_vlan, dl_vlan_pcp, nw_src, nw_dst, ipv6_src, ipv6_dst, nw_proto, nw_tos, ip_dscp, nw_ecn, nw_ttl, tp_src, tp_dst, icmp_type, icmp_code, arp_op, arp_spa, arp_tpa, arp_sha, arp_tha; shorthands: ip, ipv6, arp, icmp, icmp6, tcp, udp, sctp, tcp6, udp6, sctp6)
                      priority=1,in_prot=1 actions=drop
                                 ^^^^^^^"""),
                error(ADD, "tabel=1,in_port=1 actions=drop", """
                    unknown keyword or field 'tabel' (keywords: table, priority, idle_timeout, hard_timeout, cookie, out_port; fields: in_port, metadata, reg0, reg1, reg2, reg3, reg4, reg5, reg6, reg7, tun_id, tun_src, tun_dst, dl_dst, dl_type, dl_src, vlan_tci, dl_vlan, dl_vlan_pcp, nw_src, nw_dst, ipv6_src, ipv6_dst, nw_proto, nw_tos, ip_dscp, nw_ecn, nw_ttl, tp_src, tp_dst, icmp_type, icmp_code, arp_op, arp_spa, arp_tpa, arp_sha, arp_tha; shorthands: ip, ipv6, arp, icmp, icmp6, tcp, udp, sctp, tcp6, udp6, sctp6)
                      tabel=1,in_port=1 actions=drop
                      ^^^^^"""),
                error(ADD, "in_port=1 x actions=drop", """
                    unknown keyword or field 'x' (keywords: table, priority, idle_timeout, hard_timeout, cookie, out_port; fields: in_port, metadata, reg0, reg1, reg2, reg3, reg4, reg5, reg6, reg7, tun_id, tun_src, tun_dst, dl_dst, dl_type, dl_src, vlan_tci, dl_vlan, dl_vlan_pcp, nw_src, nw_dst, ipv6_src, ipv6_dst, nw_proto, nw_tos, ip_dscp, nw_ecn, nw_ttl, tp_src, tp_dst, icmp_type, icmp_code, arp_op, arp_spa, arp_tpa, arp_sha, arp_tha; shorthands: ip, ipv6, arp, icmp, icmp6, tcp, udp, sctp, tcp6, udp6, sctp6)
                      in_port=1 x actions=drop
                                ^"""),
                error(ADD, "table actions=drop", """
                    table needs a value (table=...)
                      table actions=drop
                      ^^^^^"""),
                // Masks: on a field that cannot be masked, and masks that cannot be read; the caret is on the mask.
                error(ADD, "in_port=1/2 actions=drop", """
                    in_port cannot be masked (it matches exactly or not at all)
                      in_port=1/2 actions=drop
                               ^^"""),
                error(ADD, "ip,nw_proto=6/1 actions=drop", """
                    nw_proto cannot be masked (it matches exactly or not at all)
                      ip,nw_proto=6/1 actions=drop
                                   ^^"""),
                error(ADD, "ip,nw_src=10.0.0.0/33 actions=drop", """
                    nw_src: prefix length 33 is out of range (0 to 32)
                      ip,nw_src=10.0.0.0/33 actions=drop
                                         ^^"""),
                error(ADD, "ip,nw_src=10.0.0.0/ actions=drop", """
                    nw_src: nothing after '/' (expected a mask or a prefix length)
                      ip,nw_src=10.0.0.0/ actions=drop
                                        ^"""),
                error(ADD, "ip,nw_src=/8 actions=drop", """
                    nw_src: nothing before '/' (expected a value)
                      ip,nw_src=/8 actions=drop
                                ^"""),
                error(ADD, "ip,nw_src=10.0.0.0/8x actions=drop", """
                    nw_src: '8x' is neither a mask nor a prefix length (0 to 32)
                      ip,nw_src=10.0.0.0/8x actions=drop
                                         ^^"""),
                error(ADD, "ip,nw_src=10.0.0.0/255.0.x.0 actions=drop", """
                    nw_src mask: '255.0.x.0' is not an IPv4 address (expected a.b.c.d)
                      ip,nw_src=10.0.0.0/255.0.x.0 actions=drop
                                         ^^^^^^^^^"""),
                error(ADD, "ipv6,ipv6_src=::1/129 actions=drop", """
                    ipv6_src: prefix length 129 is out of range (0 to 128)
                      ipv6,ipv6_src=::1/129 actions=drop
                                        ^^^"""),
                error(ADD, "dl_dst=01:00:00:00:00:00/zz actions=drop", """
                    dl_dst mask: 'zz' is not a MAC address (expected xx:xx:xx:xx:xx:xx)
                      dl_dst=01:00:00:00:00:00/zz actions=drop
                                               ^^"""),
                error(ADD, "dl_dst=01:00:00:00:00/ff:ff:ff:ff:ff:ff actions=drop", """
                    dl_dst: '01:00:00:00:00' is not a MAC address (expected xx:xx:xx:xx:xx:xx)
                      dl_dst=01:00:00:00:00/ff:ff:ff:ff:ff:ff actions=drop
                             ^^^^^^^^^^^^^^"""),
                error(ADD, "tun_id=0x5/0x1/2 actions=drop", """
                    tun_id: mask '0x1/2' is not a number
                      tun_id=0x5/0x1/2 actions=drop
                                 ^^^^^"""),
                error(ADD, "reg0=1/0x100000000 actions=drop", """
                    reg0: mask 0x100000000 does not fit in 32 bits
                      reg0=1/0x100000000 actions=drop
                             ^^^^^^^^^^^"""),
                // Prerequisites: a field that means nothing without its protocol in the match.
                error(ADD, "tp_dst=80 actions=drop", """
                    tp_dst requires ip or ipv6 with nw_proto=6, 17 or 132 (tcp, udp, sctp) in the match
                      tp_dst=80 actions=drop
                      ^^^^^^^^^"""),
                error(ADD, "ip,tp_dst=80 actions=drop", """
                    tp_dst requires ip or ipv6 with nw_proto=6, 17 or 132 (tcp, udp, sctp) in the match
                      ip,tp_dst=80 actions=drop
                         ^^^^^^^^^"""),
                error(ADD, "nw_src=10.0.0.1 actions=drop", """
                    nw_src requires dl_type=0x0800 (ip) or dl_type=0x0806 (arp) in the match
                      nw_src=10.0.0.1 actions=drop
                      ^^^^^^^^^^^^^^^"""),
                error(ADD, "arp_spa=10.0.0.1 actions=drop", """
                    arp_spa requires dl_type=0x0806 (arp) in the match
                      arp_spa=10.0.0.1 actions=drop
                      ^^^^^^^^^^^^^^^^"""),
                error(ADD, "icmp_type=8 actions=drop", """
                    icmp_type requires icmp (ip with nw_proto=1) or icmp6 (ipv6 with nw_proto=58) in the match
                      icmp_type=8 actions=drop
                      ^^^^^^^^^^^"""),
                error(ADD, "tcp,icmp_type=8 actions=drop", """
                    icmp_type requires icmp (ip with nw_proto=1) or icmp6 (ipv6 with nw_proto=58) in the match
                      tcp,icmp_type=8 actions=drop
                          ^^^^^^^^^^^"""),
                // Shorthands and fields that contradict each other.
                error(ADD, "tcp,udp actions=drop", """
                    udp contradicts tcp: nw_proto cannot be both 17 and 6
                      tcp,udp actions=drop
                          ^^^"""),
                error(ADD, "ip,arp actions=drop", """
                    arp contradicts ip: dl_type cannot be both 0x0806 and 0x0800
                      ip,arp actions=drop
                         ^^^"""),
                error(ADD, "udp,nw_proto=6 actions=drop", """
                    nw_proto=6 contradicts udp: nw_proto cannot be both 6 and 17
                      udp,nw_proto=6 actions=drop
                          ^^^^^^^^^^"""),
                // A field given twice, under one name or two.
                error(ADD, "in_port=1,in_port=2 actions=drop", """
                    in_port is given twice (first as in_port=1)
                      in_port=1,in_port=2 actions=drop
                                ^^^^^^^^^"""),
                error(ADD, "ip,nw_src=1.1.1.1,ip_src=1.1.1.2 actions=drop", """
                    ip_src is given twice (first as nw_src=1.1.1.1)
                      ip,nw_src=1.1.1.1,ip_src=1.1.1.2 actions=drop
                                        ^^^^^^^^^^^^^^"""),
                // Values out of range.
                error(ADD, "priority=70000 actions=drop", """
                    priority=70000 is out of range (0 to 65535)
                      priority=70000 actions=drop
                               ^^^^^"""),
                error(ADD, "dl_vlan=5000 actions=drop", """
                    dl_vlan=5000 is out of range (0 to 4095, or 0xffff for no VLAN)
                      dl_vlan=5000 actions=drop
                              ^^^^"""),
                error(ADD, "tcp,tp_dst=65536 actions=drop", """
                    tp_dst=65536 is out of range (0 to 65535)
                      tcp,tp_dst=65536 actions=drop
                                 ^^^^^"""),
                error(ADD, "in_port=70000 actions=drop", """
                    in_port: port 70000 is out of range (0 to 65535)
                      in_port=70000 actions=drop
                              ^^^^^"""),
                // A number too big for any field is out of range, not "not a number".
                error(ADD, "tun_id=0x1ffffffffffffffff actions=drop", """
                    tun_id=0x1ffffffffffffffff is out of range (0 to 18446744073709551615)
                      tun_id=0x1ffffffffffffffff actions=drop
                             ^^^^^^^^^^^^^^^^^^^"""),
                error(ADD, "tun_id=1/0x1ffffffffffffffff actions=drop", """
                    tun_id: mask 0x1ffffffffffffffff does not fit in 64 bits
                      tun_id=1/0x1ffffffffffffffff actions=drop
                               ^^^^^^^^^^^^^^^^^^^"""),
                error(ADD, "idle_timeout=70000 actions=drop", """
                    idle_timeout=70000 is out of range (0 to 65535)
                      idle_timeout=70000 actions=drop
                                   ^^^^^"""),
                error(ADD, "ip,nw_tos=3 actions=drop", """
                    nw_tos=3 is not a multiple of 4 (nw_tos is the DSCP part of the ToS byte; ECN is nw_ecn)
                      ip,nw_tos=3 actions=drop
                                ^"""),
                // Tables that cannot exist: for the flow, and in its actions.
                error(ADD, "table=256 actions=drop", """
                    table 256 does not exist (tables are 0 to 254)
                      table=256 actions=drop
                            ^^^"""),
                error(DELETE, "table=256", """
                    table 256 does not exist (tables are 0 to 254; 255 means every table)
                      table=256
                            ^^^"""),
                error(ADD, "actions=resubmit(,255)", """
                    resubmit(,255): table 255 does not exist (tables are 0 to 254)
                      actions=resubmit(,255)
                                        ^^^"""),
                error(ADD, "actions=goto_table:255", """
                    goto_table:255: table 255 does not exist (tables are 0 to 254)
                      actions=goto_table:255
                                         ^^^"""),
                error(ADD, "actions=learn(table=255,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[])", """
                    learn: table=255: table 255 does not exist (tables are 0 to 254)
                      actions=learn(table=255,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[])
                                          ^^^"""),
                error(ADD, "table=255,actions=drop", """
                    table 255 does not exist (tables are 0 to 254)
                      table=255,actions=drop
                            ^^^"""),
                // Actions: required to add or modify, refused to delete.
                error(ADD, "priority=1,in_port=1", """
                    must specify an action (actions=...; actions=drop to drop)
                      priority=1,in_port=1
                                          ^"""),
                error(MODIFY, "in_port=1", """
                    must specify an action (actions=...; actions=drop to drop)
                      in_port=1
                               ^"""),
                error(DELETE, "in_port=1 actions=drop", """
                    del-flows takes no actions
                      in_port=1 actions=drop
                                ^^^^^^^^^^^^"""),
                // Cookies: a mask selects flows, a bare value sets the cookie.
                error(ADD, "cookie=0x1/-1,in_port=1 actions=drop", """
                    cookie=0x1/-1: a cookie mask selects flows to change or delete; add-flow sets a cookie (cookie=0x1)
                      cookie=0x1/-1,in_port=1 actions=drop
                                ^^^"""),
                error(DELETE, "cookie=0x1,in_port=1", """
                    del-flows cannot set a cookie: cookie=0x1/-1 selects the flows with this cookie
                      cookie=0x1,in_port=1
                      ^^^^^^^^^^"""),
                error(DELETE, "cookie=0x1/0xzz,in_port=1", """
                    cookie: mask '0xzz' is not a number
                      cookie=0x1/0xzz,in_port=1
                                 ^^^^"""),
                error(MODIFY, "cookie=0x1/-1,cookie=0x4 actions=drop", """
                    mod-flows takes cookie=VALUE/MASK to select flows or cookie=VALUE to set their cookie, not both (the other here: cookie=0x1/-1)
                      cookie=0x1/-1,cookie=0x4 actions=drop
                                    ^^^^^^^^^^"""),
                // What a command does not take (ovs-ofctl refuses these too).
                error(MODIFY, "out_port=1,in_port=1 actions=drop", """
                    out_port selects flows to delete; mod-flows does not take it
                      out_port=1,in_port=1 actions=drop
                      ^^^^^^^^^^"""),
                error(ADD, "out_port=1,in_port=1 actions=drop", """
                    out_port selects flows to delete; add-flow does not take it
                      out_port=1,in_port=1 actions=drop
                      ^^^^^^^^^^"""),
                error(DELETE, "priority=5,in_port=1", """
                    priority selects nothing in a del-flows without --strict (it deletes every flow within the match whatever its priority)
                      priority=5,in_port=1
                      ^^^^^^^^^^"""),
                error(DELETE_STRICT, "idle_timeout=5,in_port=1", """
                    idle_timeout does not select flows; del-flows does not take it
                      idle_timeout=5,in_port=1
                      ^^^^^^^^^^^^^^"""),
                // Fields matched whole or not at all.
                error(ADD, "dl_type=0x0800/0xff00 actions=drop", """
                    dl_type cannot be masked (it matches exactly or not at all)
                      dl_type=0x0800/0xff00 actions=drop
                                    ^^^^^^^"""),
                error(ADD, "dl_vlan=1/0xfff actions=drop", """
                    dl_vlan cannot be masked (it matches exactly or not at all)
                      dl_vlan=1/0xfff actions=drop
                               ^^^^^^"""));
    }

    private static Arguments error(FlowMod.Command command, String text, String message) {
        return Arguments.of(command, text, message);
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("errors")
    void pointsAtWhatIsWrong(FlowMod.Command command, String text, String message) {
        assertThatThrownBy(() -> FlowParser.parse(text, command))
                .isInstanceOf(FlowParseException.class)
                .hasMessage(message);
    }

    @Test
    void aBadLineOfAFileNamesTheFileAndLineAndNothingOfTheFileIsApplied() {
        FlowTables tables = new FlowTables(new ManualClock(0));
        tables.apply(FlowParser.parse("priority=0 actions=drop", ADD));
        List<String> lines = List.of(
                "# br-tun, table 0",
                "priority=1,in_port=1 actions=resubmit(,1)",
                "priority=1,in_port=2,tp_dst=80 actions=resubmit(,2)",
                "priority=1,in_port=3 actions=resubmit(,2)");

        assertThatThrownBy(() -> tables.applyAll(FlowParser.parseLines(lines, ADD, "br-tun.flows")))
                .isInstanceOf(FlowParseException.class)
                .hasMessage("""
                        br-tun.flows:3: tp_dst requires ip or ipv6 with nw_proto=6, 17 or 132 (tcp, udp, sctp) in the match
                          priority=1,in_port=2,tp_dst=80 actions=resubmit(,2)
                                               ^^^^^^^^^""");

        assertThat(tables.size()).isOne();
    }

    @Test
    void aFileLineKeepsItsCaretWhenTheLineIsIndented() {
        List<String> lines = List.of("", "   table=300 actions=drop");
        assertThatThrownBy(() -> FlowParser.parseLines(lines, ADD, "f")).hasMessage("""
                        f:2: table 300 does not exist (tables are 0 to 254)
                          table=300 actions=drop
                                ^^^""");
    }
}
