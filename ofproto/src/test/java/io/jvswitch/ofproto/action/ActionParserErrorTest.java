package io.jvswitch.ofproto.action;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.ofproto.text.FlowParseException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error the parser gives, exactly as users see it: what is wrong and what is allowed, then the text with a caret
 * line under the offending action or argument.
 */
class ActionParserErrorTest {
    static Stream<Arguments> errors() {
        return Stream.of(
                error("outptu:3", """
                    unknown action 'outptu' (actions: output, controller, resubmit, goto_table, mod_vlan_vid, mod_vlan_pcp, strip_vlan, push_vlan, pop_vlan, set_tunnel, set_tunnel64, set_field, load, move, mod_dl_src, mod_dl_dst, mod_nw_src, mod_nw_dst, mod_nw_tos, dec_ttl, note, learn, drop; or a port number or name alone, to output to it)
                      outptu:3
                      ^^^^^^"""),
                error("drop,output:1", """
                    drop must be the only action (it means no actions at all)
                      drop,output:1
                      ^^^^"""),
                error("drop:1", """
                    drop:1: drop takes no argument
                      drop:1
                           ^"""),
                error("output:1,,output:2", """
                    empty action between commas (write drop for no actions)
                      output:1,,output:2
                               ^"""),
                error("resubmit(,2", """
                    '(' is never closed
                      resubmit(,2
                              ^"""),
                error("output:1)", """
                    ')' without a '(' before it
                      output:1)
                              ^"""),
                error("resubmit(,2)x", """
                    resubmit(,2)x: unexpected text after ')'
                      resubmit(,2)x
                                  ^"""),
                error("output", """
                    output: output needs an argument (output:PORT or output:FIELD[])
                      output
                      ^^^^^^"""),
                error("strip_vlan:1", """
                    strip_vlan:1: strip_vlan takes no argument
                      strip_vlan:1
                                 ^"""),
                error("output:foo", """
                    output:foo: 'foo' is not a port number or a reserved port (LOCAL, IN_PORT, NORMAL, FLOOD, ALL, CONTROLLER)
                      output:foo
                             ^^^"""),
                error("output:70000", """
                    output:70000: port 70000 is out of range (0 to 65535)
                      output:70000
                             ^^^^^"""),
                error("output:65290", """
                    output:65290: cannot output to port 65290 (ports are 0 to 65279, IN_PORT, TABLE, NORMAL, FLOOD, ALL or LOCAL; use the controller action for CONTROLLER)
                      output:65290
                             ^^^^^"""),
                error("output:ANY", """
                    output:ANY: cannot output to port ANY (ports are 0 to 65279, IN_PORT, TABLE, NORMAL, FLOOD, ALL or LOCAL; use the controller action for CONTROLLER)
                      output:ANY
                             ^^^"""),
                error("output:NXM_NX_REG0[0..40]", """
                    output:NXM_NX_REG0[0..40]: bits 0..40 do not fit in NXM_NX_REG0, which has 32 bits (0..31)
                      output:NXM_NX_REG0[0..40]
                             ^^^^^^^^^^^^^^^^^^"""),
                error("controller(reason=no_match)", """
                    controller(reason=no_match): 'reason' is not supported (controller takes max_len=N, or nothing)
                      controller(reason=no_match)
                                 ^^^^^^^^^^^^^^^"""),
                error("controller:70000", """
                    controller:70000: max_len 70000 is out of range (0 to 65535)
                      controller:70000
                                 ^^^^^"""),
                error("resubmit(,255)", """
                    resubmit(,255): table 255 does not exist (tables are 0 to 254)
                      resubmit(,255)
                                ^^^"""),
                error("resubmit(,)", """
                    resubmit(,): resubmit needs a port, a table or both (resubmit:PORT, resubmit(,TABLE), resubmit(PORT,TABLE))
                      resubmit(,)
                      ^^^^^^^^^^^"""),
                error("resubmit:IN_PORT", """
                    resubmit:IN_PORT: resubmit needs a port, a table or both (resubmit:PORT, resubmit(,TABLE), resubmit(PORT,TABLE))
                      resubmit:IN_PORT
                      ^^^^^^^^^^^^^^^^"""),
                error("resubmit(,2,ct)", """
                    resubmit(,2,ct): 'ct' is not supported (resubmit takes a port and a table)
                      resubmit(,2,ct)
                                  ^^"""),
                error("resubmit(foo,2)", """
                    resubmit(foo,2): 'foo' is not a port number or a reserved port (LOCAL, IN_PORT, NORMAL, FLOOD, ALL, CONTROLLER)
                      resubmit(foo,2)
                               ^^^"""),
                error("resubmit(,x)", """
                    resubmit(,x): 'x' is not a number
                      resubmit(,x)
                                ^"""),
                error("goto_table:255", """
                    goto_table:255: table 255 does not exist (tables are 0 to 254)
                      goto_table:255
                                 ^^^"""),
                error("goto_table:3,output:1", """
                    goto_table:3: goto_table must be the last action (it is an instruction: the actions run first, then the pipeline goes on)
                      goto_table:3,output:1
                      ^^^^^^^^^^^^"""),
                error("mod_vlan_vid:4096", """
                    mod_vlan_vid:4096: VLAN ID 4096 is out of range (0 to 4095)
                      mod_vlan_vid:4096
                                   ^^^^"""),
                error("mod_vlan_pcp:8", """
                    mod_vlan_pcp:8: VLAN priority 8 is out of range (0 to 7)
                      mod_vlan_pcp:8
                                   ^"""),
                error("push_vlan:0x800", """
                    push_vlan:0x800: ethertype 0x800 is not a VLAN ethertype (0x8100 for 802.1Q or 0x88a8 for 802.1ad)
                      push_vlan:0x800
                                ^^^^^"""),
                error("set_tunnel:0x10000000000000000", """
                    set_tunnel:0x10000000000000000: value 0x10000000000000000 does not fit in 64 bits
                      set_tunnel:0x10000000000000000
                                 ^^^^^^^^^^^^^^^^^^^"""),
                error("set_tunnel:x", """
                    set_tunnel:x: 'x' is not a number
                      set_tunnel:x
                                 ^"""),
                error("set_field:0x1388", """
                    set_field:0x1388: expected set_field:VALUE->FIELD
                      set_field:0x1388
                                ^^^^^^"""),
                error("set_field:1->foo", """
                    set_field:1->foo: unknown field 'foo' (fields: in_port, metadata, reg0, reg1, reg2, reg3, reg4, reg5, reg6, reg7, tun_id, tun_src, tun_dst, dl_dst, dl_type, dl_src, vlan_tci, dl_vlan, dl_vlan_pcp, nw_src, nw_dst, ipv6_src, ipv6_dst, nw_proto, nw_tos, ip_dscp, nw_ecn, nw_ttl, tp_src, tp_dst, icmp_type, icmp_code, arp_op, arp_spa, arp_tpa, arp_sha, arp_tha)
                      set_field:1->foo
                                   ^^^"""),
                error("set_field:0x800->dl_type", """
                    set_field:0x800->dl_type: dl_type is read-only (dl_type and nw_proto cannot be set)
                      set_field:0x800->dl_type
                                       ^^^^^^^"""),
                error("set_field:zz->eth_src", """
                    set_field:zz->eth_src: 'zz' is not a MAC address (expected xx:xx:xx:xx:xx:xx)
                      set_field:zz->eth_src
                                ^^"""),
                error("set_field:0x10000->tp_dst", """
                    set_field:0x10000->tp_dst: value 0x10000 does not fit in 16 bits
                      set_field:0x10000->tp_dst
                                ^^^^^^^"""),
                error("set_field:1/1->nw_ttl", """
                    set_field:1/1->nw_ttl: nw_ttl cannot be masked
                      set_field:1/1->nw_ttl
                                ^^^"""),
                error("set_field:33->nw_tos", """
                    set_field:33->nw_tos: nw_tos 33 is not a ToS value (a multiple of 4 from 0 to 252: the low 2 bits are ECN)
                      set_field:33->nw_tos
                                ^^"""),
                error("set_field:1->", """
                    set_field:1->: nothing after '->' (expected set_field:VALUE->FIELD)
                      set_field:1->
                                   ^"""),
                error("load:0x10000->NXM_OF_VLAN_TCI[0..11]", """
                    load:0x10000->NXM_OF_VLAN_TCI[0..11]: value 0x10000 does not fit in 12 bits
                      load:0x10000->NXM_OF_VLAN_TCI[0..11]
                           ^^^^^^^"""),
                error("load:NXM_NX_REG0[]->NXM_NX_REG1[]", """
                    load:NXM_NX_REG0[]->NXM_NX_REG1[]: load takes a constant (move:SRC[]->DST[] copies a field)
                      load:NXM_NX_REG0[]->NXM_NX_REG1[]
                           ^^^^^^^^^^^^^"""),
                error("load:0x800->NXM_OF_ETH_TYPE[]", """
                    load:0x800->NXM_OF_ETH_TYPE[]: NXM_OF_ETH_TYPE is read-only (dl_type and nw_proto cannot be set)
                      load:0x800->NXM_OF_ETH_TYPE[]
                                  ^^^^^^^^^^^^^^^^^"""),
                error("load:1->NXM_OF_VLAN_TCI[0..16]", """
                    load:1->NXM_OF_VLAN_TCI[0..16]: bits 0..16 do not fit in NXM_OF_VLAN_TCI, which has 16 bits (0..15)
                      load:1->NXM_OF_VLAN_TCI[0..16]
                              ^^^^^^^^^^^^^^^^^^^^^^"""),
                error("load:1->NXM_NX_FOO[]", """
                    load:1->NXM_NX_FOO[]: unknown field 'NXM_NX_FOO' (write an NXM or OXM name such as NXM_NX_TUN_ID or an ovs name such as tun_id)
                      load:1->NXM_NX_FOO[]
                              ^^^^^^^^^^^^"""),
                error("load:0x10000000000000000->NXM_NX_TUN_ID[]", """
                    load:0x10000000000000000->NXM_NX_TUN_ID[]: value 0x10000000000000000 does not fit in 64 bits
                      load:0x10000000000000000->NXM_NX_TUN_ID[]
                           ^^^^^^^^^^^^^^^^^^^"""),
                error("move:NXM_OF_ETH_SRC[]->NXM_OF_VLAN_TCI[]", """
                    move:NXM_OF_ETH_SRC[]->NXM_OF_VLAN_TCI[]: source NXM_OF_ETH_SRC[] has 48 bits but destination NXM_OF_VLAN_TCI[] has 16
                      move:NXM_OF_ETH_SRC[]->NXM_OF_VLAN_TCI[]
                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"""),
                error("move:NXM_OF_ETH_SRC[]", """
                    move:NXM_OF_ETH_SRC[]: expected move:FIELD[]->FIELD[]
                      move:NXM_OF_ETH_SRC[]
                           ^^^^^^^^^^^^^^^^"""),
                error("mod_dl_src:fa:16:3e", """
                    mod_dl_src:fa:16:3e: 'fa:16:3e' is not a MAC address (expected xx:xx:xx:xx:xx:xx)
                      mod_dl_src:fa:16:3e
                                 ^^^^^^^^"""),
                error("mod_nw_src:10.0.0", """
                    mod_nw_src:10.0.0: '10.0.0' is not an IPv4 address (expected a.b.c.d)
                      mod_nw_src:10.0.0
                                 ^^^^^^"""),
                error("mod_nw_tos:33", """
                    mod_nw_tos:33: ToS 33 is not a multiple of 4 from 0 to 252 (the low 2 bits are ECN)
                      mod_nw_tos:33
                                 ^^"""),
                error("note:0g", """
                    note:0g: note takes bytes as pairs of hex digits, such as note:00.01.02
                      note:0g
                           ^^"""),
                error("learn(table=255)", """
                    learn: table=255: table 255 does not exist (tables are 0 to 254)
                      learn(table=255)
                                  ^^^"""),
                error("learn(table=1,foo=1)", """
                    learn: foo=1: unknown learn argument 'foo' (table, priority, idle_timeout, hard_timeout, fin_idle_timeout, fin_hard_timeout, cookie, FIELD[], FIELD[]=FIELD[], FIELD=VALUE, load:SRC->DST[], output:FIELD[])
                      learn(table=1,foo=1)
                                    ^^^"""),
                error("learn(table=20,NXM_OF_ETH_DST[]=NXM_OF_VLAN_TCI[])", """
                    learn: NXM_OF_ETH_DST[]=NXM_OF_VLAN_TCI[]: source NXM_OF_VLAN_TCI[] has 16 bits but destination NXM_OF_ETH_DST[] has 48
                      learn(table=20,NXM_OF_ETH_DST[]=NXM_OF_VLAN_TCI[])
                                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"""),
                error("learn(load:0x10000->NXM_OF_VLAN_TCI[0..11])", """
                    learn: load:0x10000->NXM_OF_VLAN_TCI[0..11]: value 0x10000 does not fit in 12 bits
                      learn(load:0x10000->NXM_OF_VLAN_TCI[0..11])
                                 ^^^^^^^"""),
                error("learn(load:NXM_NX_TUN_ID[]->NXM_OF_VLAN_TCI[])", """
                    learn: load:NXM_NX_TUN_ID[]->NXM_OF_VLAN_TCI[]: source NXM_NX_TUN_ID[] has 64 bits but destination NXM_OF_VLAN_TCI[] has 16
                      learn(load:NXM_NX_TUN_ID[]->NXM_OF_VLAN_TCI[])
                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"""),
                error("learn(NXM_OF_VLAN_TCI[0..11]=0x1000)", """
                    learn: NXM_OF_VLAN_TCI[0..11]=0x1000: value 0x1000 does not fit in 12 bits
                      learn(NXM_OF_VLAN_TCI[0..11]=0x1000)
                                                   ^^^^^^"""),
                error("learn(send_flow_rem)", """
                    learn: send_flow_rem: send_flow_rem is not supported
                      learn(send_flow_rem)
                            ^^^^^^^^^^^^^"""),
                error("learn(priority=70000)", """
                    learn: priority=70000: priority 70000 is out of range (0 to 65535)
                      learn(priority=70000)
                                     ^^^^^"""),
                error("learn(table=1,,NXM_OF_ETH_DST[])", """
                    learn: empty learn argument between commas
                      learn(table=1,,NXM_OF_ETH_DST[])
                                    ^"""),
                error("learn(hard_timeout)", """
                    learn: hard_timeout: hard_timeout needs an argument (hard_timeout=N)
                      learn(hard_timeout)
                            ^^^^^^^^^^^^"""),
                error("learn(dl_dst=zz)", """
                    learn: dl_dst=zz: 'zz' is not a MAC address (expected xx:xx:xx:xx:xx:xx)
                      learn(dl_dst=zz)
                                   ^^"""),
                error("learn(ipv6_src=::1)", """
                    learn: ipv6_src=::1: NXM_NX_IPV6_SRC[] has 128 bits: learn matches constants of up to 64
                      learn(ipv6_src=::1)
                                     ^^^"""),
                error("learn(cookie=abc)", """
                    learn: cookie=abc: 'abc' is not a number
                      learn(cookie=abc)
                                   ^^^"""),
                error("learn(load:0x1->NXM_OF_ETH_TYPE[])", """
                    learn: load:0x1->NXM_OF_ETH_TYPE[]: NXM_OF_ETH_TYPE is read-only (dl_type and nw_proto cannot be set)
                      learn(load:0x1->NXM_OF_ETH_TYPE[])
                                      ^^^^^^^^^^^^^^^^^"""));
    }

    private static Arguments error(String text, String message) {
        return Arguments.of(text, message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errors")
    void pointsAtWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> ActionParser.parse(text))
                .isInstanceOf(FlowParseException.class)
                .hasMessage(message);
    }
}
