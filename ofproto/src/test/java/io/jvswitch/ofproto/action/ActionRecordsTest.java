package io.jvswitch.ofproto.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.MacAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the text means: the records the parser builds, for whoever runs them. */
class ActionRecordsTest {
    private static SubField whole(Field field) {
        return SubField.whole(field);
    }

    @Test
    void tutorialLearnIsNeutronsLearningSwitch() {
        assertThat(ActionParser.parse(ActionRoundTripTest.TUTORIAL_LEARN + ",output:1"))
                .containsExactly(
                        new Learn(
                                20,
                                0,
                                300,
                                0,
                                0,
                                1,
                                0,
                                List.of(
                                        new LearnSpec.MatchField(new SubField(Field.VLAN_TCI, 0, 12)),
                                        new LearnSpec.MatchFromField(whole(Field.DL_DST), whole(Field.DL_SRC)),
                                        new LearnSpec.LoadValue(0, whole(Field.VLAN_TCI)),
                                        new LearnSpec.LoadField(whole(Field.TUN_ID), whole(Field.TUN_ID)),
                                        new LearnSpec.OutputField(whole(Field.IN_PORT)))),
                        new Output(1));
    }

    @Test
    void modernNeutronLearnDiffersOnlyByItsCookie() {
        Learn tutorial =
                (Learn) ActionParser.parse(ActionRoundTripTest.TUTORIAL_LEARN).getFirst();
        Learn neutron =
                (Learn) ActionParser.parse(ActionRoundTripTest.NEUTRON_LEARN).getFirst();

        assertThat(neutron.cookie()).isEqualTo(0x9bd9c3d2bf5b5e1cL);
        assertThat(neutron.specs()).isEqualTo(tutorial.specs());
        assertThat(new Learn(20, 0, 300, 0, 0, 1, 0x9bd9c3d2bf5b5e1cL, tutorial.specs()))
                .isEqualTo(neutron);
    }

    @Test
    void learnDefaultsAreOvss() {
        assertThat(ActionParser.parse("learn()")).containsExactly(new Learn(1, 0, 0, 0, 0, 32768, 0, List.of()));
    }

    @Test
    void tutorialTable20And21Actions() {
        assertThat(ActionParser.parse("load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3"))
                .containsExactly(
                        new Load(0, whole(Field.VLAN_TCI)), new Load(0x1388, whole(Field.TUN_ID)), new Output(3));
        assertThat(ActionParser.parse("strip_vlan,set_tunnel:0x1388,output:3,output:2"))
                .containsExactly(new StripVlan(), new SetTunnel(0x1388), new Output(3), new Output(2));
        assertThat(ActionParser.parse("mod_vlan_vid:1,resubmit(,10)"))
                .containsExactly(new ModVlanVid(1), Resubmit.toTable(10));
    }

    @Test
    void dropIsTheEmptyList() {
        assertThat(ActionParser.parse("drop")).isEmpty();
        assertThat(ActionParser.format(List.of())).isEqualTo("drop");
    }

    @Test
    void portsAndReservedPorts() {
        assertThat(ActionParser.parse("3,NORMAL,in_port,LOCAL,output:FLOOD,ALL"))
                .containsExactly(
                        new Output(3),
                        new Output(Ports.NORMAL),
                        new Output(Ports.IN_PORT),
                        new Output(Ports.LOCAL),
                        new Output(Ports.FLOOD),
                        new Output(Ports.ALL));
        assertThat(ActionParser.parse("output:CONTROLLER,controller:100"))
                .containsExactly(new Controller(65535), new Controller(100));
        assertThat(ActionParser.parse("output:NXM_NX_REG0[0..15]"))
                .containsExactly(new OutputField(new SubField(Field.REG0, 0, 16)));
    }

    @Test
    void resubmitToInPortMeansThePacketsOwnInPort() {
        assertThat(ActionParser.parse("resubmit(IN_PORT,2),resubmit(3,2),resubmit:3"))
                .containsExactly(new Resubmit(-1, 2), new Resubmit(3, 2), new Resubmit(3, -1));
        assertThat(new Resubmit(Ports.IN_PORT, 2)).isEqualTo(Resubmit.toTable(2));
    }

    @Test
    void setTunnelTooWideFor32BitsIsTheWideAction() {
        assertThat(new SetTunnel(0x1_0000_0000L)).isEqualTo(new SetTunnel(0x1_0000_0000L, true));
        assertThat(new SetTunnel(0x1388).wide()).isFalse();
        assertThat(ActionParser.parse("set_tunnel64:0x1388")).containsExactly(new SetTunnel(0x1388, true));
    }

    @Test
    void setFieldHoldsValuesAsTheFlowKeyDoes() {
        assertThat(ActionParser.parse("set_field:32->nw_tos")).containsExactly(new SetField(Field.NW_TOS, 8, "nw_tos"));
        assertThat(ActionParser.parse("set_field:fa:16:3e:00:00:01->eth_src"))
                .containsExactly(new SetField(Field.DL_SRC, MacAddress.parse("fa:16:3e:00:00:01"), "eth_src"));
        assertThat(ActionParser.parse("set_field:10.0.0.1->ip_src"))
                .containsExactly(
                        new SetField(Field.NW_SRC, Integer.toUnsignedLong(Ipv4Address.parse("10.0.0.1")), "ip_src"));
        SetField masked =
                (SetField) ActionParser.parse("set_field:0x1/0xff->reg0").getFirst();
        assertThat(masked).isEqualTo(new SetField(Field.REG0, 1, 0xff, 0, 0, "reg0"));
        assertThat(masked.masked()).isTrue();
        SetField ipv6 =
                (SetField) ActionParser.parse("set_field:2001:db8::1->ipv6_src").getFirst();
        assertThat(ipv6.valueHigh()).isEqualTo(0x20010db800000000L);
        assertThat(ipv6.value()).isEqualTo(1);
        assertThat(ipv6.masked()).isFalse();
        assertThat(new SetField(Field.TUN_ID, 0x1388).text()).isEqualTo("set_field:0x1388->tun_id");
    }

    @Test
    void setFieldRefusesANameOfAnotherField() {
        assertThatThrownBy(() -> new SetField(Field.DL_SRC, 1, "eth_dst"))
                .hasMessage("'eth_dst' is not a name of dl_src");
    }

    @Test
    void l2AndL3Rewrites() {
        assertThat(ActionParser.parse("mod_dl_src:fa:16:3e:00:00:01,mod_nw_dst:10.0.0.2,mod_nw_tos:32,dec_ttl"))
                .containsExactly(
                        new ModDlSrc(0xfa163e000001L),
                        new ModNwDst(Ipv4Address.parse("10.0.0.2")),
                        new ModNwTos(32),
                        new DecTtl());
    }

    @Test
    void notesCompareByContent() {
        Note note = new Note(new byte[] {0, 1, 2});
        assertThat(ActionParser.parse("note:000102")).containsExactly(note);
        assertThat(note).isEqualTo(new Note(new byte[] {0, 1, 2})).hasSameHashCodeAs(new Note(new byte[] {0, 1, 2}));
        assertThat(note).isNotEqualTo(new Note(new byte[] {0, 1}));
        byte[] data = note.data();
        data[0] = 9;
        assertThat(note.data()[0]).isZero();
        assertThat(note).hasToString("note:00.01.02");
    }

    @Test
    void learnSpecsOfEveryKind() {
        assertThat(((Learn) ActionParser.parse(
                                        "learn(table=2,dl_type=0x800,NXM_OF_VLAN_TCI[0..11]=0x5,NXM_OF_IP_DST[]=NXM_OF_IP_SRC[])")
                                .getFirst())
                        .specs())
                .containsExactly(
                        new LearnSpec.MatchValue(whole(Field.DL_TYPE), 0x800),
                        new LearnSpec.MatchValue(new SubField(Field.VLAN_TCI, 0, 12), 5),
                        new LearnSpec.MatchFromField(whole(Field.NW_DST), whole(Field.NW_SRC)));
        assertThat(new LearnSpec.MatchFromField(whole(Field.DL_DST), whole(Field.DL_DST)).text())
                .isEqualTo("NXM_OF_ETH_DST[]");
    }
}
