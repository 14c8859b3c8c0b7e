package io.jvswitch.ofproto.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.text.FlowParseException;
import io.jvswitch.ofproto.text.MatchParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Actions checked against where they run: the flow's table and match. */
class ActionCheckTest {
    private static ActionContext in(int table, String match) {
        return new ActionContext(table, MatchParser.parse(match));
    }

    private static void fails(String actions, int table, String match, String message) {
        assertThatThrownBy(() -> ActionParser.parse(actions, in(table, match)))
                .isInstanceOf(FlowParseException.class)
                .hasMessage(message);
    }

    /** Every flow of the tutorial's br-tun passes, in its table and with its match. */
    @ParameterizedTest(name = "table={0} {1} actions={2}")
    @CsvSource(delimiter = '|', textBlock = """
            0  | in_port=3                                        | resubmit(,2)
            0  | in_port=1                                        | resubmit(,1)
            0  | in_port=2                                        | resubmit(,2)
            0  |                                                  | drop
            1  | dl_dst=00:00:00:00:00:00/01:00:00:00:00:00       | resubmit(,20)
            1  | dl_dst=01:00:00:00:00:00/01:00:00:00:00:00       | resubmit(,21)
            2  | tun_id=0x1388                                    | mod_vlan_vid:1,resubmit(,10)
            2  |                                                  | drop
            3  |                                                  | drop
            10 |                                                  | learn(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1
            20 | vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 | load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3
            20 |                                                  | resubmit(,21)
            21 | dl_vlan=1                                        | strip_vlan,set_tunnel:0x1388,output:3,output:2
            21 |                                                  | drop
            """)
    void tutorialFlowsPass(int table, String match, String actions) {
        assertThatCode(() -> ActionParser.parse(actions, in(table, match == null ? "" : match)))
                .doesNotThrowAnyException();
    }

    @Test
    void gotoTableOnlyGoesForward() {
        fails("goto_table:1", 2, "", """
                goto_table:1: table 1 is not after this flow's table 2 (goto_table only goes forward: to tables 3 to 254)
                  goto_table:1
                  ^^^^^^^^^^^^""");
        fails("goto_table:2", 2, "", """
                goto_table:2: table 2 is not after this flow's table 2 (goto_table only goes forward: to tables 3 to 254)
                  goto_table:2
                  ^^^^^^^^^^^^""");
        fails("goto_table:200", 254, "", """
                goto_table:200: table 200 is not after this flow's table 254 (goto_table only goes forward, and 254 is the last table)
                  goto_table:200
                  ^^^^^^^^^^^^^^""");
        assertThatCode(() -> ActionParser.parse("output:1,goto_table:3", in(2, "")))
                .doesNotThrowAnyException();
    }

    @Test
    void resubmitToTable255DoesNotExist() {
        ActionContext context = in(0, "");
        assertThatThrownBy(() -> ActionParser.check(List.of(new Resubmit(-1, 255)), context))
                .hasMessage("resubmit(,255): table 255 does not exist (tables are 0 to 254)");
        assertThatThrownBy(() -> new Resubmit(3, 255).check(context))
                .hasMessage("table 255 does not exist (tables are 0 to 254)");
        assertThatThrownBy(() -> new Resubmit(-1, -1).check(context))
                .hasMessage("resubmit needs a port, a table or both"
                        + " (resubmit:PORT, resubmit(,TABLE), resubmit(PORT,TABLE))");
        assertThatCode(() -> new Resubmit(-1, 0).check(in(10, ""))).doesNotThrowAnyException();
    }

    @Test
    void setFieldNeedsItsFieldsPrerequisite() {
        fails("set_field:10.0.0.1->ip_src", 0, "in_port=1", """
                set_field:10.0.0.1->ip_src: ip_src requires dl_type=0x0800 (ip) or dl_type=0x0806 (arp) in the match
                  set_field:10.0.0.1->ip_src
                  ^^^^^^^^^^^^^^^^^^^^^^^^^^""");
        fails("set_field:80->tp_dst", 0, "ip", """
                set_field:80->tp_dst: tp_dst requires ip or ipv6 with nw_proto=6, 17 or 132 (tcp, udp, sctp) in the match
                  set_field:80->tp_dst
                  ^^^^^^^^^^^^^^^^^^^^""");
        assertThatCode(() -> ActionParser.parse("set_field:10.0.0.1->ip_src,set_field:80->tp_dst", in(0, "udp")))
                .doesNotThrowAnyException();
    }

    @Test
    void loadNeedsItsDestinationsPrerequisite() {
        fails("load:0x50->NXM_OF_TCP_DST[]", 0, "ip", """
                load:0x50->NXM_OF_TCP_DST[]: NXM_OF_TCP_DST requires ip or ipv6 with nw_proto=6, 17 or 132 (tcp, udp, sctp) in the match
                  load:0x50->NXM_OF_TCP_DST[]
                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^""");
        assertThatCode(() -> ActionParser.parse("load:0x50->NXM_OF_TCP_DST[]", in(0, "tcp")))
                .doesNotThrowAnyException();
    }

    @Test
    void moveNeedsItsSourcesPrerequisite() {
        fails("move:NXM_OF_IP_SRC[]->NXM_NX_REG0[]", 0, "", """
                move:NXM_OF_IP_SRC[]->NXM_NX_REG0[]: NXM_OF_IP_SRC requires dl_type=0x0800 (ip) or dl_type=0x0806 (arp) in the match
                  move:NXM_OF_IP_SRC[]->NXM_NX_REG0[]
                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^""");
    }

    @Test
    void outputFromAFieldNeedsItsPrerequisite() {
        fails("output:NXM_OF_TCP_SRC[]", 0, "ip", """
                output:NXM_OF_TCP_SRC[]: NXM_OF_TCP_SRC requires ip or ipv6 with nw_proto=6, 17 or 132 (tcp, udp, sctp) in the match
                  output:NXM_OF_TCP_SRC[]
                  ^^^^^^^^^^^^^^^^^^^^^^^""");
    }

    @Test
    void ipRewritesNeedIpInTheMatch() {
        fails("output:1,mod_nw_src:10.0.0.1", 0, "in_port=1", """
                mod_nw_src:10.0.0.1: mod_nw_src requires dl_type=0x0800 (ip) in the match
                  output:1,mod_nw_src:10.0.0.1
                           ^^^^^^^^^^^^^^^^^^^""");
        fails("mod_nw_dst:10.0.0.1", 0, "arp", """
                mod_nw_dst:10.0.0.1: mod_nw_dst requires dl_type=0x0800 (ip) in the match
                  mod_nw_dst:10.0.0.1
                  ^^^^^^^^^^^^^^^^^^^""");
        fails("mod_nw_tos:32", 0, "arp", """
                mod_nw_tos:32: mod_nw_tos requires dl_type=0x0800 (ip) or dl_type=0x86dd (ipv6) in the match
                  mod_nw_tos:32
                  ^^^^^^^^^^^^^""");
        fails("dec_ttl", 0, "", """
                dec_ttl: dec_ttl requires dl_type=0x0800 (ip) or dl_type=0x86dd (ipv6) in the match
                  dec_ttl
                  ^^^^^^^""");
        assertThatCode(() -> ActionParser.parse(
                        "mod_nw_src:10.0.0.1,mod_nw_dst:10.0.0.2,mod_nw_tos:32,dec_ttl", in(0, "ip")))
                .doesNotThrowAnyException();
        assertThatCode(() -> ActionParser.parse("mod_nw_tos:32,dec_ttl", in(0, "ipv6")))
                .doesNotThrowAnyException();
    }

    @Test
    void moveWidthsMustAgree() {
        assertThatThrownBy(() -> ActionParser.check(
                        List.of(new Output(1), new Move(SubField.whole(Field.DL_SRC), SubField.whole(Field.VLAN_TCI))),
                        in(0, "")))
                .hasMessage("move:NXM_OF_ETH_SRC[]->NXM_OF_VLAN_TCI[]: source NXM_OF_ETH_SRC[] has 48 bits but"
                        + " destination NXM_OF_VLAN_TCI[] has 16");
    }

    @Test
    void learnWidthsMustAgree() {
        Learn learn = new Learn(
                20,
                0,
                0,
                0,
                0,
                1,
                0,
                List.of(
                        new LearnSpec.MatchField(SubField.whole(Field.VLAN_TCI)),
                        new LearnSpec.MatchFromField(SubField.whole(Field.DL_DST), SubField.whole(Field.TUN_ID))));
        assertThatThrownBy(() -> ActionParser.check(List.of(learn), in(0, "")))
                .hasMessage("learn: NXM_OF_ETH_DST[]=NXM_NX_TUN_ID[]: source NXM_NX_TUN_ID[] has 64 bits but"
                        + " destination NXM_OF_ETH_DST[] has 48");
        assertThatThrownBy(() -> ActionParser.check(List.of(learn), in(0, ""), learn.text()))
                .hasMessage("""
                        learn: NXM_OF_ETH_DST[]=NXM_NX_TUN_ID[]: source NXM_NX_TUN_ID[] has 64 bits but destination NXM_OF_ETH_DST[] has 48
                          learn(table=20,priority=1,NXM_OF_VLAN_TCI[],NXM_OF_ETH_DST[]=NXM_NX_TUN_ID[])
                                                                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^""");

        Learn load = new Learn(
                20,
                0,
                0,
                0,
                0,
                1,
                0,
                List.of(new LearnSpec.LoadField(SubField.whole(Field.TUN_ID), SubField.whole(Field.REG0))));
        assertThatThrownBy(() -> ActionParser.check(List.of(load), in(0, ""), load.text()))
                .hasMessage("""
                        learn: load:NXM_NX_TUN_ID[]->NXM_NX_REG0[]: source NXM_NX_TUN_ID[] has 64 bits but destination NXM_NX_REG0[] has 32
                          learn(table=20,priority=1,load:NXM_NX_TUN_ID[]->NXM_NX_REG0[])
                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^""");
    }

    @Test
    void learnReadsNeedThisFlowsMatch() {
        fails("learn(table=2,dl_type=0x800,NXM_OF_IP_DST[])", 0, "", """
                learn: NXM_OF_IP_DST[]: NXM_OF_IP_DST requires dl_type=0x0800 (ip) or dl_type=0x0806 (arp) in the match
                  learn(table=2,dl_type=0x800,NXM_OF_IP_DST[])
                                              ^^^^^^^^^^^^^^^""");
        fails("learn(table=2,dl_type=0x800,nw_proto=6,NXM_OF_TCP_DST[]=NXM_OF_TCP_SRC[])", 0, "ip", """
                learn: NXM_OF_TCP_DST[]=NXM_OF_TCP_SRC[]: NXM_OF_TCP_SRC requires ip or ipv6 with nw_proto=6, 17 or 132 (tcp, udp, sctp) in the match
                  learn(table=2,dl_type=0x800,nw_proto=6,NXM_OF_TCP_DST[]=NXM_OF_TCP_SRC[])
                                                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^""");
        assertThatCode(() -> ActionParser.parse(
                        "learn(table=2,dl_type=0x800,nw_proto=6,NXM_OF_TCP_DST[]=NXM_OF_TCP_SRC[])", in(0, "tcp")))
                .doesNotThrowAnyException();
    }

    @Test
    void learnWritesNeedTheLearnedFlowsMatch() {
        fails("learn(table=2,NXM_OF_IP_DST[])", 0, "ip", """
                learn: NXM_OF_IP_DST[]: NXM_OF_IP_DST requires dl_type=0x0800 (ip) or dl_type=0x0806 (arp) in the learned flow's match (put a spec such as dl_type=0x800 before it)
                  learn(table=2,NXM_OF_IP_DST[])
                                ^^^^^^^^^^^^^^^""");
        fails("learn(table=2,load:0x1->NXM_OF_IP_TOS[])", 0, "ip", """
                learn: load:0x1->NXM_OF_IP_TOS[]: NXM_OF_IP_TOS requires dl_type=0x0800 (ip) or dl_type=0x86dd (ipv6) in the learned flow's match (put a spec such as dl_type=0x800 before it)
                  learn(table=2,load:0x1->NXM_OF_IP_TOS[])
                                ^^^^^^^^^^^^^^^^^^^^^^^^^""");
        assertThatCode(() -> ActionParser.parse("learn(table=2,dl_type=0x800,NXM_OF_IP_DST[])", in(0, "ip")))
                .doesNotThrowAnyException();
    }

    @Test
    void checkWithoutTextNamesTheAction() {
        assertThatThrownBy(() -> ActionParser.check(List.of(new ModNwSrc(1)), new ActionContext(0, Match.ANY)))
                .isNotInstanceOf(FlowParseException.class)
                .hasMessage("mod_nw_src:0.0.0.1: mod_nw_src requires dl_type=0x0800 (ip) in the match");
    }

    @Test
    void contextIsAnExistingTable() {
        assertThatThrownBy(() -> new ActionContext(255, Match.ANY))
                .hasMessage("table 255 does not exist (tables are 0 to 254)");
    }

    @Test
    void piecesMustMatchTheActions() {
        assertThatThrownBy(() -> ActionParser.check(List.of(new Output(1)), in(0, ""), "output:1,output:2"))
                .hasMessage("the text has 2 actions but the list 1");
        assertThat(ActionParser.parse("drop", in(0, ""))).isEmpty();
    }
}
