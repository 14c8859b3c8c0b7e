package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * Numbers and field values as ovs-ofctl reads and prints them in actions.
 *
 * <p>Numbers are decimal or {@code 0x} hexadecimal. Immediate values print as C's {@code %#x} does (what OVS uses for
 * {@code load}, {@code set_tunnel} and learn's cookie): {@code 0x1388}, and plain {@code 0} for zero. Field values print
 * per the field's kind, as OVS's {@code mf_format}: MACs and addresses in their usual forms, decimal fields in decimal,
 * hexadecimal fields with the fewest digits ({@code 0x800}, not {@code 0x0800}), masks after a slash.
 */
final class Values {
    static final BigInteger U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Values() {}

    /** C's {@code %#x}: {@code 0} for zero, else {@code 0x} and lower-case digits. */
    static String hex(long value) {
        return value == 0 ? "0" : "0x" + Long.toHexString(value);
    }

    static String hex(BigInteger value) {
        return value.signum() == 0 ? "0" : "0x" + value.toString(16);
    }

    /**
     * Reads an unsigned number of any size: decimal, or hexadecimal after {@code 0x}.
     *
     * @throws IllegalArgumentException when it is not one
     */
    static BigInteger number(String text) {
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        String digits = hex ? text.substring(2) : text;
        int radix = hex ? 16 : 10;
        if (digits.isEmpty() || digits.chars().anyMatch(c -> c > 0x7f || Character.digit(c, radix) < 0)) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        return new BigInteger(digits, radix);
    }

    /** Reads a number from 0 to {@code max}; the message names it as {@code what}. */
    static long number(String text, long max, String what) {
        BigInteger value = number(text);
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException(what + " " + text + " is out of range (0 to " + max + ")");
        }
        return value.longValue();
    }

    /** Reads a number that fits in 64 bits (unsigned). */
    static long u64(String text) {
        BigInteger value = number(text);
        Checks.fits(value, 64);
        return value.longValue();
    }

    /**
     * A field's value as set_field and learn write it, with an optional mask, as stored in the flow key (so {@code
     * nw_tos} holds the DSCP: ToS 32 is stored as 8). 128-bit fields use {@code high}; others leave it 0.
     */
    record FieldValue(long high, long value, long maskHigh, long mask) {}

    /** The mask that selects every bit of {@code field} (low word). */
    static long fullMask(Field field) {
        return field.bits() >= 64 ? -1L : field.fullMask();
    }

    static long fullMaskHigh(Field field) {
        return field.bits() == 128 ? -1L : 0;
    }

    /**
     * Parses {@code text} as a value of {@code field} (named {@code name} in messages), with a {@code /mask} when
     * {@code allowMask}.
     */
    static FieldValue parse(Field field, String name, String text, boolean allowMask) {
        int slash = text.indexOf('/');
        String valueText = slash < 0 ? text : text.substring(0, slash);
        String maskText = slash < 0 ? null : text.substring(slash + 1);
        if (maskText != null) {
            if (!allowMask) {
                throw new IllegalArgumentException("a mask is not allowed here");
            }
            if (!field.maskable()) {
                throw new IllegalArgumentException(name + " cannot be masked");
            }
        }
        switch (field.kind()) {
            case MAC -> {
                long value = MacAddress.parse(valueText);
                long mask = maskText == null ? field.fullMask() : MacAddress.parse(maskText);
                return new FieldValue(0, value & mask, 0, mask);
            }
            case IPV4 -> {
                long value = Integer.toUnsignedLong(Ipv4Address.parse(valueText));
                long mask = maskText == null ? field.fullMask() : ipv4Mask(maskText);
                return new FieldValue(0, value & mask, 0, mask);
            }
            case IPV6 -> {
                ByteBuffer value = ByteBuffer.wrap(Ipv6Address.parse(valueText));
                long maskHigh = -1;
                long mask = -1;
                if (maskText != null) {
                    if (maskText.indexOf(':') >= 0) {
                        ByteBuffer bytes = ByteBuffer.wrap(Ipv6Address.parse(maskText));
                        maskHigh = bytes.getLong();
                        mask = bytes.getLong();
                    } else {
                        int prefix = (int) number(maskText, 128, "prefix length");
                        maskHigh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
                        mask = prefix <= 64 ? 0 : -1L << (128 - prefix);
                    }
                }
                long high = value.getLong();
                long low = value.getLong();
                return new FieldValue(high & maskHigh, low & mask, maskHigh, mask);
            }
            case PORT -> {
                return new FieldValue(0, Ports.parse(valueText), 0, field.fullMask());
            }
            default -> {
                long value = integer(field, name, valueText);
                long mask = fullMask(field);
                if (maskText != null) {
                    BigInteger maskValue = number(maskText);
                    Checks.fits(maskValue, field.bits());
                    mask = maskValue.longValue();
                }
                return new FieldValue(0, value & mask, 0, mask);
            }
        }
    }

    /** A decimal or hexadecimal field's value, as stored in the key ({@code nw_tos} as its DSCP bits). */
    private static long integer(Field field, String name, String text) {
        if (field == Field.NW_TOS) {
            long tos = number(text, 255, name);
            if ((tos & 3) != 0) {
                throw new IllegalArgumentException(name + " " + text
                        + " is not a ToS value (a multiple of 4 from 0 to 252: the low 2 bits are ECN)");
            }
            return tos >>> 2;
        }
        BigInteger value = number(text);
        Checks.fits(value, field.bits());
        return value.longValue();
    }

    private static long ipv4Mask(String text) {
        if (text.indexOf('.') >= 0) {
            return Integer.toUnsignedLong(Ipv4Address.parse(text));
        }
        int prefix = (int) number(text, 32, "prefix length");
        return prefix == 0 ? 0 : Integer.toUnsignedLong(-1 << (32 - prefix));
    }

    /** Prints a field's value (and its mask when it is not all ones), as {@link #parse} reads it. */
    static String format(Field field, FieldValue value) {
        long high = value.high();
        long low = value.value();
        boolean exact = value.mask() == fullMask(field) && value.maskHigh() == fullMaskHigh(field);
        StringBuilder s = new StringBuilder();
        switch (field.kind()) {
            case MAC -> {
                s.append(MacAddress.format(low));
                if (!exact) {
                    s.append('/').append(MacAddress.format(value.mask()));
                }
            }
            case IPV4 -> {
                s.append(Ipv4Address.format((int) low));
                if (!exact) {
                    int mask = (int) value.mask();
                    int prefix = Integer.bitCount(mask);
                    boolean cidr = mask == (prefix == 0 ? 0 : -1 << (32 - prefix));
                    s.append('/').append(cidr ? Integer.toString(prefix) : Ipv4Address.format(mask));
                }
            }
            case IPV6 -> {
                s.append(Ipv6Address.format(high, low));
                if (!exact) {
                    long maskHigh = value.maskHigh();
                    long mask = value.mask();
                    int prefix = Long.bitCount(maskHigh) + Long.bitCount(mask);
                    long expectHigh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
                    long expectLow = prefix <= 64 ? 0 : -1L << (128 - prefix);
                    boolean cidr = maskHigh == expectHigh && mask == expectLow;
                    s.append('/').append(cidr ? Integer.toString(prefix) : Ipv6Address.format(maskHigh, mask));
                }
            }
            case PORT -> s.append(Ports.name((int) low));
            case DECIMAL -> {
                s.append(field == Field.NW_TOS ? low << 2 : low);
                if (!exact) {
                    s.append('/').append(hex(value.mask()));
                }
            }
            default -> {
                s.append(hex(low));
                if (!exact) {
                    s.append('/').append(hex(value.mask()));
                }
            }
        }
        return s.toString();
    }
}
