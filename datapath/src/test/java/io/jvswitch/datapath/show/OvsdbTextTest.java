package io.jvswitch.datapath.show;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.datapath.show.OvsdbText.Quoting;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OvsdbTextTest {
    @Test
    void classicQuotingLeavesBareOnlyLettersUnderscoresHyphensAndDots() {
        assertThat(Quoting.CLASSIC.string("patch-int")).isEqualTo("patch-int");
        assertThat(Quoting.CLASSIC.string("br-tun")).isEqualTo("br-tun");
        assertThat(Quoting.CLASSIC.string("_x.y-z")).isEqualTo("_x.y-z");
        assertThat(Quoting.CLASSIC.string("flow")).isEqualTo("flow");
        assertThat(Quoting.CLASSIC.string("gre-2")).isEqualTo("\"gre-2\"");
        assertThat(Quoting.CLASSIC.string("vxlan-c0a80165")).isEqualTo("\"vxlan-c0a80165\"");
        assertThat(Quoting.CLASSIC.string("192.168.1.100")).isEqualTo("\"192.168.1.100\"");
        assertThat(Quoting.CLASSIC.string("-x")).isEqualTo("\"-x\"");
        assertThat(Quoting.CLASSIC.string("")).isEqualTo("\"\"");
        assertThat(Quoting.CLASSIC.string("true")).isEqualTo("\"true\"");
        assertThat(Quoting.CLASSIC.string("false")).isEqualTo("\"false\"");
        assertThat(Quoting.CLASSIC.string("a b")).isEqualTo("\"a b\"");
    }

    @Test
    void currentQuotingAllowsDigitsAfterTheFirstCharacterButQuotesUuids() {
        assertThat(Quoting.CURRENT.string("gre-2")).isEqualTo("gre-2");
        assertThat(Quoting.CURRENT.string("vxlan-c0a80165")).isEqualTo("vxlan-c0a80165");
        assertThat(Quoting.CURRENT.string("192.168.1.100")).isEqualTo("\"192.168.1.100\"");
        assertThat(Quoting.CURRENT.string("true")).isEqualTo("\"true\"");
        assertThat(Quoting.CURRENT.string("abcdef01-2345-6789-abcd-ef0123456789"))
                .isEqualTo("\"abcdef01-2345-6789-abcd-ef0123456789\"");
    }

    @Test
    void quotedStringsAreJsonStrings() {
        assertThat(Quoting.CLASSIC.string("say \"hi\"\\\n\t\u0001")).isEqualTo("\"say \\\"hi\\\"\\\\\\n\\t\\u0001\"");
    }

    @Test
    void mapsAreSortedByKeyWithKeysAndValuesQuotedAlike() {
        assertThat(Quoting.CLASSIC.map(Map.of(
                        "remote_ip", "192.168.1.101",
                        "in_key", "flow",
                        "out_key", "flow",
                        "local_ip", "192.168.1.100")))
                .isEqualTo("{in_key=flow, local_ip=\"192.168.1.100\", out_key=flow, remote_ip=\"192.168.1.101\"}");
        assertThat(Quoting.CLASSIC.map(Map.of("peer", "patch-tun"))).isEqualTo("{peer=patch-tun}");
        assertThat(Quoting.CLASSIC.map(Map.of())).isEqualTo("{}");
    }
}
