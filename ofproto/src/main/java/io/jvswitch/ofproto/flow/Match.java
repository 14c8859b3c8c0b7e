package io.jvswitch.ofproto.flow;

import java.util.Arrays;

/**
 * A flow's match: for every bit of a {@link FlowKey}, whether it must have a given value (mask bit 1) or may be
 * anything (mask bit 0). Immutable; build one with {@link Builder} or parse one with {@code MatchParser}.
 *
 * <p>The value is stored already masked, so two matches are equal exactly when they match the same packets.
 */
public final class Match {
    /** The match that every packet satisfies. */
    public static final Match ANY = new Builder().build();

    private final long[] value;
    private final long[] mask;
    private final int hash;

    private Match(long[] value, long[] mask) {
        this.value = value;
        this.mask = mask;
        this.hash = 31 * Arrays.hashCode(value) + Arrays.hashCode(mask);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this match, to change or add fields. */
    public Builder toBuilder() {
        return new Builder(value, mask);
    }

    /** The value word {@code i} (already masked). */
    public long value(int i) {
        return value[i];
    }

    public long mask(int i) {
        return mask[i];
    }

    /** True when {@code key} has the required value in every bit this match cares about. */
    public boolean matches(FlowKey key) {
        long[] words = key.words;
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if ((words[i] & mask[i]) != value[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when this match's mask equals {@code other}'s mask word for word. */
    public boolean sameMask(Match other) {
        return Arrays.equals(mask, other.mask);
    }

    /**
     * True when every packet this match accepts is accepted by {@code wider} too: OpenFlow's non-strict rule for
     * which flows a {@code mod-flows} or {@code del-flows} affects.
     */
    public boolean isWithin(Match wider) {
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if ((wider.mask[i] & ~mask[i]) != 0 || (value[i] & wider.mask[i]) != wider.value[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when some packet matches both. */
    public boolean overlaps(Match other) {
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if (((value[i] ^ other.value[i]) & mask[i] & other.mask[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** True when the mask covers any bit of {@code field}. */
    public boolean has(Field field) {
        if (field.bits() == 128) {
            return mask[field.word()] != 0 || mask[field.word() + 1] != 0;
        }
        return (mask[field.word()] & field.wordMask()) != 0;
    }

    /** True when every bit of {@code field} is fixed. */
    public boolean hasExact(Field field) {
        if (field.bits() == 128) {
            return mask[field.word()] == -1L && mask[field.word() + 1] == -1L;
        }
        return (mask[field.word()] & field.wordMask()) == field.wordMask();
    }

    /** The field's value (low word for 128-bit fields). */
    public long get(Field field) {
        int at = field.bits() == 128 ? field.word() + 1 : field.word();
        return field.bits() >= 64 ? value[at] : (value[at] >>> field.shift()) & field.fullMask();
    }

    /** The high word of a 128-bit field's value. */
    public long getHigh(Field field) {
        return value[field.word()];
    }

    /** The field's mask, shifted down like {@link #get}. */
    public long getMask(Field field) {
        int at = field.bits() == 128 ? field.word() + 1 : field.word();
        return field.bits() >= 64 ? mask[at] : (mask[at] >>> field.shift()) & field.fullMask();
    }

    public long getMaskHigh(Field field) {
        return mask[field.word()];
    }

    /** {@code dl_type} when the match fixes it, else -1. */
    public int ethType() {
        return hasExact(Field.DL_TYPE) ? (int) get(Field.DL_TYPE) : -1;
    }

    /** {@code nw_proto} when the match fixes it, else -1. */
    public int nwProto() {
        return hasExact(Field.NW_PROTO) ? (int) get(Field.NW_PROTO) : -1;
    }

    /** A copy of the mask words, for classifier subtables. */
    public long[] maskWords() {
        return mask.clone();
    }

    /** A copy of the value words. */
    public long[] valueWords() {
        return value.clone();
    }

    /** Number of mask bits set: how specific the match is. */
    public int specificity() {
        int bits = 0;
        for (long word : mask) {
            bits += Long.bitCount(word);
        }
        return bits;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Match match
                && hash == match.hash
                && Arrays.equals(value, match.value)
                && Arrays.equals(mask, match.mask);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The match in ovs-ofctl's syntax and field order, without priority ({@code tun_id=0x1388}). */
    @Override
    public String toString() {
        return MatchFormatter.format(this, -1);
    }

    /** Accumulates field values and masks; {@link #build} freezes them. */
    public static final class Builder {
        private final long[] value;
        private final long[] mask;

        Builder() {
            this.value = new long[FlowKey.WORDS];
            this.mask = new long[FlowKey.WORDS];
        }

        Builder(long[] value, long[] mask) {
            this.value = value.clone();
            this.mask = mask.clone();
        }

        /** Requires {@code field} to equal {@code fieldValue} exactly. */
        public Builder set(Field field, long fieldValue) {
            return setMasked(field, fieldValue, field.fullMask());
        }

        /** Requires the bits of {@code field} selected by {@code fieldMask} to equal those of {@code fieldValue}. */
        public Builder setMasked(Field field, long fieldValue, long fieldMask) {
            if (field.bits() == 128) {
                return setMasked128(field, 0, fieldValue, 0, fieldMask);
            }
            int at = field.word();
            long bits = (fieldMask & field.fullMask()) << field.shift();
            if (field.bits() >= 64) {
                bits = fieldMask;
            }
            long placed = field.bits() >= 64 ? fieldValue : (fieldValue & field.fullMask()) << field.shift();
            mask[at] = (mask[at] & ~field.wordMask()) | bits;
            value[at] = (value[at] & ~field.wordMask()) | (placed & bits);
            return this;
        }

        /** A 128-bit field (IPv6 address) with its mask, high and low words. */
        public Builder setMasked128(Field field, long high, long low, long maskHigh, long maskLow) {
            mask[field.word()] = maskHigh;
            mask[field.word() + 1] = maskLow;
            value[field.word()] = high & maskHigh;
            value[field.word() + 1] = low & maskLow;
            return this;
        }

        /** Forgets whatever was required of {@code field}. */
        public Builder clear(Field field) {
            if (field.bits() == 128) {
                return setMasked128(field, 0, 0, 0, 0);
            }
            mask[field.word()] &= ~field.wordMask();
            value[field.word()] &= ~field.wordMask();
            return this;
        }

        /** Requires raw bits of word {@code i}: for classifiers, megaflows and tests. */
        public Builder word(int i, long wordValue, long wordMask) {
            mask[i] = wordMask;
            value[i] = wordValue & wordMask;
            return this;
        }

        /**
         * Requires {@code nbits} bits of {@code field} starting at bit {@code offset} (of the field) to equal the low
         * bits of {@code bitsValue}, keeping what the builder already requires of the field's other bits.
         */
        public Builder setBits(Field field, int offset, int nbits, long bitsValue) {
            if (field.bits() == 128) {
                for (int i = 0; i < nbits; i++) {
                    int bit = offset + i;
                    int at = bit >= 64 ? field.word() : field.word() + 1;
                    long one = 1L << (bit & 63);
                    mask[at] |= one;
                    value[at] = ((bitsValue >>> i) & 1) != 0 ? value[at] | one : value[at] & ~one;
                }
                return this;
            }
            long bits = (nbits >= 64 ? -1L : (1L << nbits) - 1) << offset;
            long currentValue = get(field);
            long currentMask = getMask(field);
            return setMasked(field, (currentValue & ~bits) | ((bitsValue << offset) & bits), currentMask | bits);
        }

        public long getMask(Field field) {
            int at = field.bits() == 128 ? field.word() + 1 : field.word();
            return field.bits() >= 64 ? mask[at] : (mask[at] >>> field.shift()) & field.fullMask();
        }

        public boolean has(Field field) {
            if (field.bits() == 128) {
                return mask[field.word()] != 0 || mask[field.word() + 1] != 0;
            }
            return (mask[field.word()] & field.wordMask()) != 0;
        }

        public long get(Field field) {
            int at = field.bits() == 128 ? field.word() + 1 : field.word();
            return field.bits() >= 64 ? value[at] : (value[at] >>> field.shift()) & field.fullMask();
        }

        public Match build() {
            return new Match(value.clone(), mask.clone());
        }
    }
}
