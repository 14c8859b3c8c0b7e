package io.jvswitch.wire.l3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EcnTest {
    @Test
    void codepointsAreRfc3168s() {
        assertThat(Ecn.NOT_ECT).isEqualTo(0b00);
        assertThat(Ecn.ECT_1).isEqualTo(0b01);
        assertThat(Ecn.ECT_0).isEqualTo(0b10);
        assertThat(Ecn.CE).isEqualTo(0b11);
        assertThat(Ecn.MASK).isEqualTo(0b11);
    }

    @Test
    void namesAreRfc3168s() {
        assertThat(Ecn.name(Ecn.NOT_ECT)).isEqualTo("Not-ECT");
        assertThat(Ecn.name(Ecn.ECT_1)).isEqualTo("ECT(1)");
        assertThat(Ecn.name(Ecn.ECT_0)).isEqualTo("ECT(0)");
        assertThat(Ecn.name(Ecn.CE)).isEqualTo("CE");
        assertThat(Ecn.name(4)).isEqualTo("4");
    }
}
