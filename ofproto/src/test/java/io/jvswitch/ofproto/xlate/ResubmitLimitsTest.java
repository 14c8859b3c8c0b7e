package io.jvswitch.ofproto.xlate;

import static io.jvswitch.ofproto.xlate.TestBridge.flow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Translation's limits: resubmits nest at most 64 deep and number at most 4096 per packet; past either the whole
 * packet is dropped, whatever it had been output to before, with the reason in the translation and in the trace.
 */
class ResubmitLimitsTest {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    /** Tables 0 to {@code resubmits - 1} each resubmit to the next; the last table outputs to port 2. */
    private TestBridge chain(int resubmits) {
        List<String> flows = new ArrayList<>();
        for (int table = 0; table < resubmits; table++) {
            flows.add("table=" + table + ", actions=resubmit(," + (table + 1) + ")");
        }
        flows.add("table=" + resubmits + ", actions=output:2");
        return TestBridge.withFlows("br0", clock, flows.toArray(String[]::new))
                .port(1, "p1")
                .port(2, "p2");
    }

    @Test
    void sixtyFourNestedResubmitsWork() {
        Translation translation = Translator.translate(chain(64), flow("in_port=1"));

        assertThat(translation.actionsText()).isEqualTo("2");
        assertThat(translation.dropReason()).isNull();
        assertThat(translation.rules()).hasSize(65);
    }

    @Test
    void theSixtyFifthNestedResubmitDropsThePacket() {
        StringBuilder trace = new StringBuilder();
        Translation translation = Translator.trace(chain(65), flow("in_port=1"), trace);

        assertThat(translation.actions()).isEmpty();
        assertThat(translation.actionsText()).isEqualTo("drop");
        assertThat(translation.dropReason()).isEqualTo(XlateDrop.RESUBMIT_DEPTH);
        assertThat(translation.rules()).hasSize(65);
        assertThat(trace.toString()).endsWith("""
                        63. priority 32768
                            resubmit(,64)
                        64. priority 32768
                            resubmit(,65)
                             >>>> over max translation depth 64 <<<<

                        Final flow: unchanged
                        Megaflow: in_port=1,vlan_tci=0x0000,dl_type=0x0000
                        Datapath actions: drop
                        Translation failed (resubmits nested deeper than 64), packet is dropped.
                        """);
    }

    @Test
    void whatWasOutputBeforeTheDepthRanOutIsDroppedToo() {
        TestBridge bridge = TestBridge.withFlows("br0", clock, "actions=output:2,resubmit(,0)")
                .port(1, "p1")
                .port(2, "p2");

        Translation translation = Translator.translate(bridge, flow("in_port=1"));

        assertThat(translation.actionsText()).isEqualTo("drop");
        assertThat(translation.dropReason()).isEqualTo(XlateDrop.RESUBMIT_DEPTH);
    }

    /**
     * Table 0 outputs and resubmits {@code fanOut} times to table 1, whose flow resubmits 63 times to table 2, whose
     * flow drops: {@code fanOut * 64} resubmits in all, never more than 2 deep.
     */
    private TestBridge fanOut(int fanOut) {
        return TestBridge.withFlows(
                        "br0",
                        clock,
                        "actions=output:2," + String.join(",", Collections.nCopies(fanOut, "resubmit(,1)")),
                        "table=1, actions=" + String.join(",", Collections.nCopies(63, "resubmit(,2)")),
                        "table=2, actions=drop")
                .port(1, "p1")
                .port(2, "p2");
    }

    @Test
    void fourThousandNinetySixResubmitsWork() {
        Translation translation = Translator.translate(fanOut(64), flow("in_port=1"));

        assertThat(translation.actionsText()).isEqualTo("2");
        assertThat(translation.dropReason()).isNull();
        assertThat(translation.rules()).hasSize(1 + 4096);
    }

    @Test
    void theResubmitAfterTheFourThousandNinetySixthDropsThePacket() {
        StringBuilder trace = new StringBuilder();
        Translation translation = Translator.trace(fanOut(65), flow("in_port=1"), trace);

        assertThat(translation.actionsText()).isEqualTo("drop");
        assertThat(translation.dropReason()).isEqualTo(XlateDrop.RESUBMIT_LIMIT);
        assertThat(translation.rules()).hasSize(1 + 4096);
        // 64 resubmits to table 1, each making 63 to table 2: the 65th to table 1 is one too many.
        assertThat(trace.toString()).endsWith("""
                                    resubmit(,2)
                                 2. priority 32768
                                    drop
                            resubmit(,1)
                             >>>> over 4096 resubmit actions <<<<

                        Final flow: unchanged
                        Megaflow: in_port=1,vlan_tci=0x0000,dl_type=0x0000
                        Datapath actions: drop
                        Translation failed (more than 4096 resubmits for one packet), packet is dropped.
                        """);
        // Nothing is translated after the limit: the one error line, and no table after it.
        assertThat(trace.toString().lines().filter(line -> line.contains(">>>>")))
                .hasSize(1);
        assertThat(trace.toString()
                        .substring(trace.indexOf(">>>>"))
                        .lines()
                        .filter(line -> line.contains(". priority")))
                .isEmpty();
    }
}
