package io.jvswitch.wire.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Malformed;
import io.jvswitch.wire.ValidateHarness;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VxlanTest {
    private static final HexFormat HEX = HexFormat.of();

    // VNI 5000 (0x001388), I flag set, reserved zero. tshark 4.0 on UDP port 4789: "Flags: 0x0800, VXLAN Network
    // ID (VNI)", "VXLAN Network Identifier (VNI): 5000".
    private static final String GOLDEN = "08" + "000000" + "001388" + "00";

    private static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(HEX.parseHex(hex));
    }

    @Test
    void decodesGoldenBytes() {
        Vxlan vxlan = new Vxlan().wrap(segment("ffff" + GOLDEN), 2);
        assertThat(vxlan.offset()).isEqualTo(2);
        assertThat(vxlan.flags()).isEqualTo(Vxlan.FLAG_VNI);
        assertThat(vxlan.hasVni()).isTrue();
        assertThat(vxlan.vni()).isEqualTo(5000);
        assertThat(vxlan.reservedBitsSet()).isFalse();
    }

    @Test
    void encodesGoldenBytesAtAnOffsetOverOldBytes() {
        byte[] packet = new byte[3 + 8 + 1];
        Arrays.fill(packet, (byte) 0xff);
        new Vxlan().wrap(MemorySegment.ofArray(packet), 3).write(5000);
        assertThat(HEX.formatHex(packet)).isEqualTo("ffffff" + GOLDEN + "ff");
    }

    @Test
    void writeUsesTheLow24BitsOfTheVni() {
        byte[] packet = new byte[8];
        Vxlan vxlan = new Vxlan().wrap(MemorySegment.ofArray(packet), 0);
        vxlan.write(Vxlan.MAX_VNI);
        assertThat(HEX.formatHex(packet)).isEqualTo("08000000" + "ffffff00");
        vxlan.write(0x7f001388);
        assertThat(HEX.formatHex(packet)).isEqualTo(GOLDEN);
        assertThat(vxlan.vni()).isEqualTo(5000);
    }

    @Test
    void vniSetterKeepsEverythingElse() {
        MemorySegment segment = segment("0c" + "a1b2c3" + "001388" + "ab");
        Vxlan vxlan = new Vxlan().wrap(segment, 0).vni(0xabcdef);
        assertThat(HEX.formatHex(segment.toArray(ValueLayout.JAVA_BYTE))).isEqualTo("0ca1b2c3" + "abcdef" + "ab");
        assertThat(vxlan.vni()).isEqualTo(0xabcdef);
        vxlan.vni(0x12000001);
        assertThat(vxlan.vni()).isEqualTo(1);
        assertThat(HEX.formatHex(segment.toArray(ValueLayout.JAVA_BYTE))).isEqualTo("0ca1b2c3" + "000001" + "ab");
    }

    @Test
    void constantsAreTheRfcValues() {
        assertThat(Vxlan.PORT).isEqualTo(4789);
        assertThat(Vxlan.FLAG_VNI).isEqualTo(0x08);
        assertThat(Vxlan.MAX_VNI).isEqualTo(16_777_215);
        assertThat(Vxlan.HEADER_LENGTH).isEqualTo(8);
    }

    /** Each of the 64 bits set alone on the golden header: only I and the VNI's 24 bits are not reserved. */
    @Test
    void reservedBitsAreEveryBitButIAndTheVni() {
        for (int bit = 0; bit < 64; bit++) {
            byte[] bytes = HEX.parseHex(GOLDEN);
            bytes[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            Vxlan vxlan = new Vxlan().wrap(MemorySegment.ofArray(bytes), 0);
            boolean reserved = bit != 4 && (bit < 32 || bit >= 56);
            assertThat(vxlan.reservedBitsSet()).as("bit %d", bit).isEqualTo(reserved);
            assertThat(vxlan.hasVni()).as("bit %d", bit).isEqualTo(bit != 4);
            // Reserved bits are ignored on receipt: only clearing I fails validation.
            assertThat(Vxlan.validate(MemorySegment.ofArray(bytes), 0, 8))
                    .as("bit %d", bit)
                    .isEqualTo(bit == 4 ? Malformed.VXLAN_NO_VNI_FLAG : null);
        }
    }

    @Test
    void wellFormedHeadersValidate() {
        assertThat(Vxlan.validate(segment(GOLDEN), 0, 8)).isNull();
        assertThat(Vxlan.validate(segment("ff" + "ffffff" + "ffffff" + "ff"), 0, 8))
                .isNull();
    }

    @Test
    void noVniFlag() {
        assertThat(Vxlan.validate(segment("00" + "000000" + "001388" + "00"), 0, 8))
                .isEqualTo(Malformed.VXLAN_NO_VNI_FLAG);
        assertThat(Vxlan.validate(segment("f7" + "ffffff" + "001388" + "ff"), 0, 8))
                .isEqualTo(Malformed.VXLAN_NO_VNI_FLAG);
    }

    @Test
    void truncated() {
        assertThat(Vxlan.validate(segment(GOLDEN), 0, 7)).isEqualTo(Malformed.VXLAN_TRUNCATED);
        assertThat(Vxlan.validate(segment("08"), 0, 1)).isEqualTo(Malformed.VXLAN_TRUNCATED);
    }

    @Test
    void everyTruncationIsRefused() {
        ValidateHarness.everyTruncation(
                Vxlan::validate, HEX.parseHex(GOLDEN + "ffffffffffff"), n -> n < 8 ? Malformed.VXLAN_TRUNCATED : null);
    }

    @Test
    void randomInputNeverThrows() {
        Vxlan vxlan = new Vxlan();
        int accepted = ValidateHarness.randomInputs(
                Vxlan::validate,
                (segment, offset, available) -> {
                    vxlan.wrap(segment, offset);
                    vxlan.flags();
                    vxlan.vni();
                    vxlan.reservedBitsSet();
                    return Vxlan.HEADER_LENGTH;
                },
                7348,
                100_000,
                24,
                HEX.parseHex(GOLDEN));
        assertThat(accepted).isGreaterThan(1000);
        ValidateHarness.nonsenseBounds(Vxlan::validate);
    }
}
