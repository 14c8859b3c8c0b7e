package io.jvswitch.tunnel;

import static io.jvswitch.tunnel.EcnPropagation.CE;
import static io.jvswitch.tunnel.EcnPropagation.DROP;
import static io.jvswitch.tunnel.EcnPropagation.ECT_0;
import static io.jvswitch.tunnel.EcnPropagation.ECT_1;
import static io.jvswitch.tunnel.EcnPropagation.NOT_ECT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EcnPropagationTest {
    private static final int[] CODEPOINTS = {NOT_ECT, ECT_0, ECT_1, CE};

    /** RFC 6040 figure 4, row by row (inner), column by column (outer: Not-ECT, ECT(0), ECT(1), CE). */
    private static final int[][] FIGURE_4 = {
        {NOT_ECT, NOT_ECT, NOT_ECT, DROP},
        {ECT_0, ECT_0, ECT_1, CE},
        {ECT_1, ECT_1, ECT_1, CE},
        {CE, CE, CE, CE},
    };

    private static final boolean[][] ALARMS = {
        {false, true, true, true},
        {false, false, false, false},
        {false, false, false, false},
        {false, false, true, false},
    };

    @Test
    void decapsulationFollowsRfc6040Figure4() {
        for (int i = 0; i < 4; i++) {
            for (int o = 0; o < 4; o++) {
                assertThat(EcnPropagation.decapsulate(CODEPOINTS[i], CODEPOINTS[o]))
                        .as("inner %d outer %d", CODEPOINTS[i], CODEPOINTS[o])
                        .isEqualTo(FIGURE_4[i][o]);
                assertThat(EcnPropagation.isUnexpected(CODEPOINTS[i], CODEPOINTS[o]))
                        .as("alarm for inner %d outer %d", CODEPOINTS[i], CODEPOINTS[o])
                        .isEqualTo(ALARMS[i][o]);
            }
        }
    }

    @Test
    void normalModeEncapsulationCopiesEveryCodepointIncludingCe() {
        for (int codepoint : CODEPOINTS) {
            assertThat(EcnPropagation.encapsulate(0xb8 | codepoint)).isEqualTo(codepoint);
        }
    }
}
