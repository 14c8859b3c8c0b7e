package io.jvswitch.wire.l2;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VlanTagTest {
    // VM1 -> VM2 in the tutorial as br-int carries it: local VLAN 1 (tci 0x0001), then IPv4.
    private static final String ETHERNET = "fa163e1f1955" + "fa163e000001";
    private static final String TAG = "8100" + "0001";
    private static final String FRAME = ETHERNET + TAG + "0800";

    private static MemorySegment bytes(String hex) {
        return MemorySegment.ofArray(HexFormat.of().parseHex(hex));
    }

    @Test
    void decodesTheTutorialsLocalVlanTagAtOffset12() {
        VlanTag tag = new VlanTag().wrap(bytes(FRAME), 12);
        assertThat(tag.offset()).isEqualTo(12);
        assertThat(tag.tpid()).isEqualTo(Ethernet.TYPE_VLAN);
        assertThat(tag.tci()).isEqualTo(0x0001);
        assertThat(tag.pcp()).isZero();
        assertThat(tag.dei()).isFalse();
        assertThat(tag.vid()).isEqualTo(1);
    }

    @Test
    void decodesPriorityDropEligibleAndVid() {
        // PCP 5 (voice), DEI set, VID 100: 101 1 0000 0110 0100 = b064.
        VlanTag tag = new VlanTag().wrap(bytes("8100b064"), 0);
        assertThat(tag.tci()).isEqualTo(0xb064);
        assertThat(tag.pcp()).isEqualTo(5);
        assertThat(tag.dei()).isTrue();
        assertThat(tag.vid()).isEqualTo(100);
    }

    @Test
    void encodesATagBetweenTheAddressesAndTheEtherType() {
        byte[] frame = new byte[18];
        MemorySegment segment = MemorySegment.ofArray(frame);
        new Ethernet().wrap(segment, 0).write(0xfa163e1f1955L, 0xfa163e000001L, Ethernet.TYPE_VLAN);
        VlanTag tag = new VlanTag().wrap(segment, 12).write(Ethernet.TYPE_VLAN, VlanTag.tci(0, false, 1));
        Bytes.u16(segment, 12 + VlanTag.HEADER_LENGTH, Ethernet.TYPE_IPV4);
        assertThat(HexFormat.of().formatHex(frame)).isEqualTo(FRAME);
        assertThat(tag.vid()).isEqualTo(1);
    }

    @Test
    void encodesAtANonZeroOffset() {
        byte[] buffer = new byte[3 + VlanTag.HEADER_LENGTH];
        new VlanTag().wrap(MemorySegment.ofArray(buffer), 3).write(Ethernet.TYPE_QINQ, VlanTag.tci(5, true, 100));
        assertThat(HexFormat.of().formatHex(buffer)).isEqualTo("000000" + "88a8b064");
    }

    @Test
    void composesTciFromItsFields() {
        assertThat(VlanTag.tci(0, false, 1)).isEqualTo(0x0001);
        assertThat(VlanTag.tci(5, true, 100)).isEqualTo(0xb064);
        assertThat(VlanTag.tci(7, true, 4095)).isEqualTo(0xffff);
        assertThat(VlanTag.tci(7, false, 0)).isEqualTo(0xe000);
        // Out-of-range fields are masked, never spilled into their neighbours.
        assertThat(VlanTag.tci(8, false, 4096)).isZero();
    }

    @Test
    void fieldSettersKeepTheOtherFields() {
        MemorySegment segment = bytes("8100b064");
        VlanTag tag = new VlanTag().wrap(segment, 0);
        tag.vid(1);
        assertThat(tag.tci()).isEqualTo(0xb001);
        tag.pcp(0);
        assertThat(tag.tci()).isEqualTo(0x1001);
        tag.dei(false);
        assertThat(tag.tci()).isEqualTo(0x0001);
        tag.dei(true).pcp(7);
        assertThat(tag.tci()).isEqualTo(0xf001);
        assertThat(tag.tpid()).isEqualTo(Ethernet.TYPE_VLAN);
        tag.tpid(Ethernet.TYPE_QINQ);
        assertThat(HexFormat.of().formatHex(segment.toArray(ValueLayout.JAVA_BYTE)))
                .isEqualTo("88a8f001");
    }

    @Test
    void decodesQinQOuterAndInnerTags() {
        // 802.1ad service tag VID 100 outside an 802.1Q customer tag VID 1.
        MemorySegment frame = bytes(ETHERNET + "88a80064" + "81000001" + "0800");
        VlanTag outer = new VlanTag().wrap(frame, 12);
        VlanTag inner = new VlanTag().wrap(frame, 12 + VlanTag.HEADER_LENGTH);
        assertThat(outer.tpid()).isEqualTo(Ethernet.TYPE_QINQ);
        assertThat(outer.vid()).isEqualTo(100);
        assertThat(VlanTag.isTpid(inner.tpid())).isTrue();
        assertThat(inner.vid()).isEqualTo(1);
    }

    @Test
    void recognisesOnlyTheTwoStandardTpids() {
        assertThat(VlanTag.isTpid(0x8100)).isTrue();
        assertThat(VlanTag.isTpid(0x88a8)).isTrue();
        assertThat(VlanTag.isTpid(Ethernet.TYPE_IPV4)).isFalse();
        assertThat(VlanTag.isTpid(0x9100)).isFalse(); // pre-standard Q-in-Q
    }

    @Test
    void validatesAWholeTag() {
        assertThat(VlanTag.validate(bytes(FRAME), 12, 6)).isNull();
        assertThat(VlanTag.validate(bytes(TAG), 0, 4)).isNull();
    }

    @Test
    void everyTruncationIsVlanTruncated() {
        byte[] frame = HexFormat.of().parseHex(ETHERNET + TAG);
        for (int end = 12; end < frame.length; end++) {
            MemorySegment exact = MemorySegment.ofArray(Arrays.copyOf(frame, end));
            assertThat(VlanTag.validate(exact, 12, end - 12))
                    .as("%d bytes", end - 12)
                    .isEqualTo(Malformed.VLAN_TRUNCATED);
        }
    }

    @Test
    void inconsistentBoundsAreTruncatedNotThrown() {
        MemorySegment tag = bytes(TAG);
        assertThat(VlanTag.validate(tag, 0, -1)).isEqualTo(Malformed.VLAN_TRUNCATED);
        assertThat(VlanTag.validate(tag, 1, 4)).isEqualTo(Malformed.VLAN_TRUNCATED); // claims more than the segment has
        assertThat(VlanTag.validate(tag, 9, 4)).isEqualTo(Malformed.VLAN_TRUNCATED);
        assertThat(VlanTag.validate(tag, -1, 4)).isEqualTo(Malformed.VLAN_TRUNCATED);
    }
}
