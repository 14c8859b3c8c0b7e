package io.jvswitch.ofproto.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every action form reads and prints as ovs-ofctl does: the text on the left parses, prints as the canonical text on
 * the right (usually itself), and the canonical text parses back to the same actions.
 */
class ActionRoundTripTest {
    /** The learn action of the tutorial's br-tun table 10, as ovs-ofctl dump-flows printed it. */
    static final String TUTORIAL_LEARN = "learn(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],"
            + "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
            + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[])";

    /** What the modern Neutron agent writes for the same learn (cookie first, OXM in_port). */
    static final String NEUTRON_LEARN = "learn(cookie=0x9bd9c3d2bf5b5e1c,table=20,priority=1,hard_timeout=300,"
            + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
            + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[])";

    /** ... and how OVS prints it back: learn_format's order, NXM names. */
    static final String NEUTRON_LEARN_CANONICAL = "learn(table=20,hard_timeout=300,priority=1,"
            + "cookie=0x9bd9c3d2bf5b5e1c,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
            + "load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[])";

    static Stream<Arguments> rows() {
        return Stream.of(
                // Every action list of the tutorial's br-tun dump-flows, exactly as printed.
                same("resubmit(,2)"),
                same("resubmit(,1)"),
                same("drop"),
                same("resubmit(,20)"),
                same("resubmit(,21)"),
                same("mod_vlan_vid:1,resubmit(,10)"),
                same(TUTORIAL_LEARN + ",output:1"),
                same("load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3"),
                same("strip_vlan,set_tunnel:0x1388,output:3,output:2"),
                // Modern Neutron's br-tun.
                row(NEUTRON_LEARN + ",output:1", NEUTRON_LEARN_CANONICAL + ",output:1"),
                same("pop_vlan,set_field:0x1388->tun_id,output:2"),
                same("push_vlan:0x8100,set_field:1->dl_vlan,resubmit(,10)"),
                // output
                same("output:3"),
                same("output:0"),
                same("output:65279"),
                row("output:0x10", "output:16"),
                row("3", "output:3"),
                same("NORMAL"),
                row("output:NORMAL", "NORMAL"),
                row("normal", "NORMAL"),
                same("IN_PORT"),
                row("in_port", "IN_PORT"),
                row("output:in_port", "IN_PORT"),
                same("FLOOD"),
                same("ALL"),
                same("LOCAL"),
                row("output:LOCAL", "LOCAL"),
                same("TABLE"),
                same("output:NXM_NX_REG0[]"),
                same("output:NXM_NX_REG1[0..15]"),
                row("output:reg0", "output:NXM_NX_REG0[]"),
                row("output:OXM_OF_IN_PORT[]", "output:NXM_OF_IN_PORT[]"),
                // controller
                row("controller", "CONTROLLER:65535"),
                row("controller:100", "CONTROLLER:100"),
                same("CONTROLLER:65535"),
                row("CONTROLLER", "CONTROLLER:65535"),
                row("controller(max_len=128)", "CONTROLLER:128"),
                row("output:CONTROLLER", "CONTROLLER:65535"),
                // resubmit
                same("resubmit:3"),
                row("resubmit(3)", "resubmit:3"),
                row("resubmit(3,)", "resubmit:3"),
                same("resubmit(3,2)"),
                row("resubmit(IN_PORT,2)", "resubmit(,2)"),
                same("resubmit(LOCAL,0)"),
                same("resubmit:LOCAL"),
                same("resubmit(,254)"),
                row("RESUBMIT(,2)", "resubmit(,2)"),
                // goto_table
                same("goto_table:2"),
                same("output:1,goto_table:254"),
                // VLANs
                same("mod_vlan_vid:4095"),
                row("mod_vlan_vid:0x10", "mod_vlan_vid:16"),
                row("mod_vlan_vid(7)", "mod_vlan_vid:7"),
                same("mod_vlan_pcp:3"),
                same("mod_vlan_pcp:7"),
                same("strip_vlan"),
                same("pop_vlan"),
                same("push_vlan:0x8100"),
                same("push_vlan:0x88a8"),
                row("push_vlan:33024", "push_vlan:0x8100"),
                // tunnels
                same("set_tunnel:0x1388"),
                row("set_tunnel:5000", "set_tunnel:0x1388"),
                same("set_tunnel:0"),
                same("set_tunnel64:0x1388"),
                row("set_tunnel:0x100000000", "set_tunnel64:0x100000000"),
                same("set_tunnel64:0xffffffffffffffff"),
                // set_field: the value as the field's kind is written, the field as the user named it
                same("set_field:0x1388->tun_id"),
                row("set_field:5000->tun_id", "set_field:0x1388->tun_id"),
                same("set_field:0x1388->tunnel_id"),
                same("set_field:fa:16:3e:00:00:01->eth_src"),
                row("set_field:FA:16:3E:00:00:01->dl_dst", "set_field:fa:16:3e:00:00:01->dl_dst"),
                same("set_field:10.0.0.1->ip_src"),
                same("set_field:0x1/0xff->reg0"),
                row("set_field:0x3/0x1->reg0", "set_field:0x1/0x1->reg0"),
                same("set_field:10.0.0.0/24->nw_dst"),
                row("set_field:10.0.0.0/255.255.255.0->nw_dst", "set_field:10.0.0.0/24->nw_dst"),
                same("set_field:10.0.0.0/255.0.255.0->nw_dst"),
                same("set_field:80->tp_dst"),
                same("set_field:80/0xfff0->tp_dst"),
                same("set_field:32->nw_tos"),
                same("set_field:8->ip_dscp"),
                same("set_field:2001:db8::1->ipv6_src"),
                same("set_field:2001:db8::/32->ipv6_dst"),
                same("set_field:1->in_port"),
                same("set_field:LOCAL->in_port"),
                same("set_field:0x5->vlan_tci"),
                same("set_field:0x1->NXM_NX_REG0"),
                same("set_field:0->metadata"),
                // load
                same("load:0x1388->NXM_NX_TUN_ID[]"),
                same("load:0->NXM_OF_VLAN_TCI[]"),
                row("load:5000->NXM_NX_TUN_ID[]", "load:0x1388->NXM_NX_TUN_ID[]"),
                same("load:0x5->NXM_NX_REG0[0..3]"),
                row("load:1->NXM_NX_REG0[5]", "load:0x1->NXM_NX_REG0[5]"),
                row("load:1->reg0[31]", "load:0x1->NXM_NX_REG0[31]"),
                same("load:0xfff->OXM_OF_VLAN_VID[]"),
                row("load:0x1->OXM_OF_IN_PORT[]", "load:0x1->NXM_OF_IN_PORT[]"),
                row("load:0x1388->tun_id", "load:0x1388->NXM_NX_TUN_ID[]"),
                same("load:0xffffffffffffffff->NXM_NX_TUN_ID[]"),
                // move
                same("move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]"),
                same("move:NXM_NX_REG0[0..11]->NXM_OF_VLAN_TCI[0..11]"),
                row("move:OXM_OF_ETH_SRC[]->eth_dst", "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]"),
                same("move:NXM_NX_TUN_ID[0..31]->NXM_NX_REG0[]"),
                same("move:NXM_NX_IPV6_SRC[]->NXM_NX_IPV6_DST[]"),
                // layer 2 and 3 rewrites
                same("mod_dl_src:fa:16:3e:00:00:01"),
                row("mod_dl_dst:FF:FF:FF:FF:FF:FF", "mod_dl_dst:ff:ff:ff:ff:ff:ff"),
                same("mod_nw_src:10.0.0.1"),
                same("mod_nw_dst:192.168.1.100"),
                same("mod_nw_tos:32"),
                same("mod_nw_tos:0"),
                same("mod_nw_tos:252"),
                same("dec_ttl"),
                // note
                same("note:00.01.02"),
                row("note:000102", "note:00.01.02"),
                row("note:ab.CD", "note:ab.cd"),
                same("note:"),
                // learn
                same(TUTORIAL_LEARN),
                row(NEUTRON_LEARN, NEUTRON_LEARN_CANONICAL),
                row("learn()", "learn(table=1)"),
                same("learn(table=1)"),
                same("learn(table=10,idle_timeout=60,hard_timeout=300,fin_idle_timeout=5,fin_hard_timeout=10,"
                        + "priority=100,cookie=0x1,NXM_OF_ETH_DST[])"),
                row(
                        "learn(priority=100,fin_hard_timeout=10,table=10,idle_timeout=60)",
                        "learn(table=10,idle_timeout=60,fin_hard_timeout=10,priority=100)"),
                row(
                        "learn(table=2,priority=32768,NXM_OF_ETH_DST[]=NXM_OF_ETH_DST[])",
                        "learn(table=2,NXM_OF_ETH_DST[])"),
                row("learn(table=2,cookie=0)", "learn(table=2)"),
                same("learn(table=2,dl_type=0x800,NXM_OF_IP_DST[]=NXM_OF_IP_SRC[])"),
                row("learn(table=2,dl_type=0x0800)", "learn(table=2,dl_type=0x800)"),
                same("learn(table=2,NXM_OF_VLAN_TCI[0..11]=0x5)"),
                row("learn(table=2,NXM_OF_VLAN_TCI[0..11]=5)", "learn(table=2,NXM_OF_VLAN_TCI[0..11]=0x5)"),
                same("learn(table=2,dl_dst=fa:16:3e:00:00:01,output:NXM_NX_REG0[0..15])"),
                row("learn(table=2,eth_dst=fa:16:3e:00:00:01)", "learn(table=2,dl_dst=fa:16:3e:00:00:01)"),
                row("learn(table=2,NXM_OF_ETH_DST[]=fa:16:3e:00:00:01)", "learn(table=2,dl_dst=fa:16:3e:00:00:01)"),
                same("learn(table=2,in_port=3)"),
                same("learn(table=2,nw_src=10.0.0.1)"),
                same("learn(table=2,nw_tos=32)"),
                row("learn(table=2,in_port)", "learn(table=2,NXM_OF_IN_PORT[])"),
                same("learn(table=2,load:0x1388->NXM_NX_TUN_ID[])"),
                same("learn(table=2,NXM_OF_VLAN_TCI[0..11]=NXM_NX_REG0[0..11])"),
                same("learn(table=0,hard_timeout=300,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])"),
                // lists
                row("", "drop"),
                row("output:1, output:2", "output:1,output:2"),
                row("DROP", "drop"),
                same("resubmit(,2),resubmit(,3),output:1"));
    }

    private static Arguments same(String text) {
        return Arguments.of(text, text);
    }

    private static Arguments row(String text, String canonical) {
        return Arguments.of(text, canonical);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rows")
    void readsAndPrintsAsOvs(String text, String canonical) {
        List<Action> actions = ActionParser.parse(text);

        assertThat(ActionParser.format(actions)).isEqualTo(canonical);
        List<Action> again = ActionParser.parse(ActionParser.format(actions));
        assertThat(again).isEqualTo(actions);
        assertThat(again.hashCode()).isEqualTo(actions.hashCode());
    }
}
