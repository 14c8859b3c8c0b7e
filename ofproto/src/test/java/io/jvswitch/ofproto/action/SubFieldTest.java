package io.jvswitch.ofproto.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.ofproto.flow.Field;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubFieldTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            NXM_OF_VLAN_TCI[0..11] | VLAN_TCI | 0  | 12 | NXM_OF_VLAN_TCI[0..11]
            NXM_NX_TUN_ID[]        | TUN_ID   | 0  | 64 | NXM_NX_TUN_ID[]
            NXM_NX_REG0[5]         | REG0     | 5  | 1  | NXM_NX_REG0[5]
            NXM_NX_REG0[5..5]      | REG0     | 5  | 1  | NXM_NX_REG0[5]
            NXM_NX_REG0[0..31]     | REG0     | 0  | 32 | NXM_NX_REG0[]
            OXM_OF_IN_PORT[]       | IN_PORT  | 0  | 16 | NXM_OF_IN_PORT[]
            OXM_OF_ETH_DST[0..23]  | DL_DST   | 0  | 24 | NXM_OF_ETH_DST[0..23]
            OXM_OF_METADATA[]      | METADATA | 0  | 64 | OXM_OF_METADATA[]
            eth_src[]              | DL_SRC   | 0  | 48 | NXM_OF_ETH_SRC[]
            tun_id                 | TUN_ID   | 0  | 64 | NXM_NX_TUN_ID[]
            reg7[16..31]           | REG7     | 16 | 16 | NXM_NX_REG7[16..31]
            NXM_NX_IPV6_SRC[64..127] | IPV6_SRC | 64 | 64 | NXM_NX_IPV6_SRC[64..127]
            """)
    void readsEveryNameAndPrintsTheNxmOne(String text, Field field, int offset, int bits, String canonical) {
        SubField subField = SubField.parse(text);

        assertThat(subField).isEqualTo(new SubField(field, offset, bits));
        assertThat(subField).hasToString(canonical);
        assertThat(SubField.parse(canonical)).isEqualTo(subField);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            NXM_NX_FOO[]            | unknown field 'NXM_NX_FOO' (write an NXM or OXM name such as NXM_NX_TUN_ID or an ovs name such as tun_id)
            NXM_OF_VLAN_TCI[0..16]  | bits 0..16 do not fit in NXM_OF_VLAN_TCI, which has 16 bits (0..15)
            NXM_OF_VLAN_TCI[16]     | bit 16 does not fit in NXM_OF_VLAN_TCI, which has 16 bits (0..15)
            NXM_NX_REG0[5..3]       | [5..3] runs backwards (write [3..5])
            NXM_NX_REG0[a..b]       | [a..b] is not a bit range (write [], [start..end] or [bit], bits counted from 0)
            NXM_NX_REG0[0..3        | 'NXM_NX_REG0[0..3' lacks its closing ']'
            """)
    void saysWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> SubField.parse(text)).hasMessage(message);
    }

    @ParameterizedTest(name = "offset {0}, {1} bits")
    @CsvSource(delimiter = '|', textBlock = """
            0  | 0 | a subfield has at least 1 bit, not 0
            60 | 8 | bits 60..67 do not fit in NXM_NX_TUN_ID, which has 64 bits (0..63)
            """)
    void constructorRefusesBitsOutsideTheField(int offset, int bits, String message) {
        assertThatThrownBy(() -> new SubField(Field.TUN_ID, offset, bits)).hasMessage(message);
    }
}
