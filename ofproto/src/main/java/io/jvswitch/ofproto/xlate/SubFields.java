package io.jvswitch.ofproto.xlate;

import io.jvswitch.ofproto.action.SubField;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;

/** Reading and writing bit ranges of a {@link FlowKey}'s fields, and marking them in a megaflow mask. */
final class SubFields {
    private SubFields() {}

    /** The bits of {@code subField} in {@code key}, right-aligned. 128-bit fields: up to 64 bits of them. */
    static long read(FlowKey key, SubField subField) {
        Field field = subField.field();
        if (field.bits() == 128) {
            long high = key.word(field.word());
            long low = key.word(field.word() + 1);
            int offset = subField.offset();
            long value = offset >= 64
                    ? high >>> (offset - 64)
                    : offset == 0 ? low : (low >>> offset) | (high << (64 - offset));
            return value & mask(subField.bits());
        }
        return (key.get(field) >>> subField.offset()) & mask(subField.bits());
    }

    /** Writes {@code value}'s low bits into {@code subField} of {@code key}, leaving the field's other bits. */
    static void write(FlowKey key, SubField subField, long value) {
        Field field = subField.field();
        long bits = mask(subField.bits());
        if (field.bits() == 128) {
            for (int i = 0; i < subField.bits(); i++) {
                int bit = subField.offset() + i;
                int word = bit >= 64 ? field.word() : field.word() + 1;
                long one = 1L << (bit & 63);
                long current = key.word(word);
                key.word(word, ((value >>> i) & 1) != 0 ? current | one : current & ~one);
            }
            return;
        }
        long current = key.get(field);
        key.set(field, (current & ~(bits << subField.offset())) | ((value & bits) << subField.offset()));
    }

    /** ORs the subfield's bits into the megaflow mask: the translation's outcome depends on them. */
    static void markRead(long[] wildcards, SubField subField) {
        Field field = subField.field();
        if (field.bits() == 128) {
            for (int i = 0; i < subField.bits(); i++) {
                int bit = subField.offset() + i;
                wildcards[bit >= 64 ? field.word() : field.word() + 1] |= 1L << (bit & 63);
            }
            return;
        }
        wildcards[field.word()] |= (mask(subField.bits()) << subField.offset()) << field.shift();
    }

    /** ORs a whole field into the megaflow mask. */
    static void markRead(long[] wildcards, Field field) {
        if (field.bits() == 128) {
            wildcards[field.word()] = -1L;
            wildcards[field.word() + 1] = -1L;
        } else {
            wildcards[field.word()] |= field.wordMask();
        }
    }

    static long mask(int bits) {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }
}
