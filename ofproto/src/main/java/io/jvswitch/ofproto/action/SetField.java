package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Field;

/**
 * Writes a value into a field, or into the bits of it a mask selects: {@code set_field:0x1388->tun_id}, {@code
 * set_field:fa:16:3e:00:00:01->eth_src}, {@code set_field:10.0.0.1->ip_src}, {@code set_field:0x1/0xff->reg0}. The
 * value is written as the field's kind is (MAC, address, number, port), as in a match.
 *
 * <p>Values are as the flow key stores them ({@code nw_tos} holds the DSCP: {@code set_field:32->nw_tos} has value
 * 8). Fields up to 64 bits use {@code value} and {@code mask}; IPv6 addresses put their high 64 bits in {@code
 * valueHigh} and {@code maskHigh}. The value is kept within the mask (bits outside it are cleared), and a mask of all
 * ones means the whole field. {@code fieldName} is the name the flow was written with, so that the text reads back as
 * written (OVS would print its own name for the field).
 *
 * @param mask the bits to write; {@link Field#fullMask()} (or -1 for 64- and 128-bit fields) for all of them
 */
public record SetField(Field field, long value, long mask, long valueHigh, long maskHigh, String fieldName)
        implements Action {
    public SetField {
        if (field == null) {
            throw new IllegalArgumentException("set_field needs a field");
        }
        if (fieldName == null) {
            fieldName = field.ovsName();
        } else if (Field.byName(fieldName) != field) {
            throw new IllegalArgumentException("'" + fieldName + "' is not a name of " + field.ovsName());
        }
        value &= mask;
        valueHigh &= maskHigh;
    }

    /** Sets all of {@code field} to {@code value} (a field of up to 64 bits), naming it as ovs-ofctl does. */
    public SetField(Field field, long value) {
        this(field, value, Values.fullMask(field), 0, Values.fullMaskHigh(field), null);
    }

    /** Sets all of {@code field} to {@code value}, naming it {@code fieldName}. */
    public SetField(Field field, long value, String fieldName) {
        this(field, value, Values.fullMask(field), 0, Values.fullMaskHigh(field), fieldName);
    }

    /** True when only some of the field's bits are written. */
    public boolean masked() {
        return mask != Values.fullMask(field) || maskHigh != Values.fullMaskHigh(field);
    }

    @Override
    public void format(StringBuilder out) {
        out.append("set_field:")
                .append(Values.format(field, new Values.FieldValue(valueHigh, value, maskHigh, mask)))
                .append("->")
                .append(fieldName);
    }

    @Override
    public void validate() {
        Checks.writable(field, fieldName);
        if (field.bits() < 128) {
            Checks.fits(value, field.bits());
            if (maskHigh != 0 || valueHigh != 0) {
                throw new IllegalArgumentException(fieldName + " has " + field.bits() + " bits, not 128");
            }
            if (field.bits() < 64 && (mask >>> field.bits()) != 0) {
                throw new IllegalArgumentException("mask " + Values.hex(mask) + " does not fit in " + fieldName);
            }
        }
        if (masked() && !field.maskable()) {
            throw new IllegalArgumentException(fieldName + " cannot be masked");
        }
    }

    @Override
    public void check(ActionContext context) {
        validate();
        Checks.prerequisite(field, fieldName, context.match());
    }
}
