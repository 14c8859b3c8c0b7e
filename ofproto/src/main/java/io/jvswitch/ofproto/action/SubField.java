package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Field;

/**
 * A run of bits of a field, as {@code load}, {@code move}, {@code output} and {@code learn} name them: {@code
 * NXM_OF_VLAN_TCI[0..11]} (bits 0 to 11), {@code NXM_NX_TUN_ID[]} (the whole field), {@code NXM_NX_REG0[5]} (one bit).
 * Bit 0 is the field's least significant bit.
 *
 * @param offset the lowest bit
 * @param bits how many bits, at least 1
 */
public record SubField(Field field, int offset, int bits) {
    public SubField {
        if (field == null) {
            throw new IllegalArgumentException("a subfield needs a field");
        }
        if (bits < 1) {
            throw new IllegalArgumentException("a subfield has at least 1 bit, not " + bits);
        }
        if (offset < 0 || offset + bits > field.bits()) {
            throw new IllegalArgumentException(doNotFit(offset, offset + bits - 1) + " in " + field.actionName()
                    + ", which has " + field.bits() + " bits (0.." + (field.bits() - 1) + ")");
        }
    }

    /** All of {@code field}. */
    public static SubField whole(Field field) {
        return new SubField(field, 0, field.bits());
    }

    /** True when this is all of its field. */
    public boolean isWhole() {
        return offset == 0 && bits == field.bits();
    }

    /**
     * Reads {@code NAME[]}, {@code NAME[start..end]}, {@code NAME[bit]} or a bare {@code NAME} (the whole field, as
     * Open vSwitch 2.x accepts), where NAME is any of the field's names: {@code NXM_OF_ETH_DST}, {@code
     * OXM_OF_ETH_DST}, {@code eth_dst}, {@code dl_dst}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static SubField parse(String text) {
        int bracket = text.indexOf('[');
        String name = bracket < 0 ? text : text.substring(0, bracket);
        Field field = Field.byName(name);
        if (field == null) {
            throw new IllegalArgumentException("unknown field '" + name
                    + "' (write an NXM or OXM name such as NXM_NX_TUN_ID or an ovs name such as tun_id)");
        }
        if (bracket < 0) {
            return whole(field);
        }
        if (!text.endsWith("]")) {
            throw new IllegalArgumentException("'" + text + "' lacks its closing ']'");
        }
        String range = text.substring(bracket + 1, text.length() - 1);
        if (range.isEmpty()) {
            return whole(field);
        }
        int dots = range.indexOf("..");
        int start = bit(dots < 0 ? range : range.substring(0, dots), range);
        int end = dots < 0 ? start : bit(range.substring(dots + 2), range);
        if (end < start) {
            throw new IllegalArgumentException("[" + range + "] runs backwards (write [" + end + ".." + start + "])");
        }
        if (end >= field.bits()) {
            throw new IllegalArgumentException(doNotFit(start, end) + " in " + name + ", which has " + field.bits()
                    + " bits (0.." + (field.bits() - 1) + ")");
        }
        return new SubField(field, start, end - start + 1);
    }

    private static int bit(String text, String range) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(
                    "[" + range + "] is not a bit range (write [], [start..end] or [bit], bits counted from 0)");
        }
        return Integer.parseInt(text);
    }

    private static String doNotFit(int start, int end) {
        return start == end ? "bit " + start + " does not fit" : "bits " + start + ".." + end + " do not fit";
    }

    /**
     * The canonical form, with the name OVS prints (the NXM name when the field has one: {@code OXM_OF_IN_PORT[]}
     * reads back as {@code NXM_OF_IN_PORT[]}).
     */
    @Override
    public String toString() {
        String name = field.actionName();
        if (isWhole()) {
            return name + "[]";
        }
        if (bits == 1) {
            return name + "[" + offset + "]";
        }
        return name + "[" + offset + ".." + (offset + bits - 1) + "]";
    }
}
