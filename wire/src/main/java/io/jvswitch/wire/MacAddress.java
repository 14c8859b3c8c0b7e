package io.jvswitch.wire;

/**
 * 48-bit MAC addresses held in the low bits of a {@code long} (so that hot paths never allocate), with parsing and
 * printing in the colon form Open vSwitch uses: {@code fa:16:3e:1f:19:55}.
 */
public final class MacAddress {
    public static final long BROADCAST = 0xffff_ffff_ffffL;

    private MacAddress() {}

    /** True for group (multicast and broadcast) addresses: the I/G bit, the low bit of the first byte. */
    public static boolean isMulticast(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /**
     * Parses {@code xx:xx:xx:xx:xx:xx} (hex digits, one or two per byte; {@code -} accepted as separator).
     *
     * @throws IllegalArgumentException naming the text when it is not a MAC address
     */
    public static long parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected xx:xx:xx:xx:xx:xx)");
        }
        long mac = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected xx:xx:xx:xx:xx:xx)");
            }
            int value = hexValue(part, text);
            mac = (mac << 8) | value;
        }
        return mac;
    }

    private static int hexValue(String part, String whole) {
        int value = 0;
        for (int i = 0; i < part.length(); i++) {
            int digit = Character.digit(part.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException(
                        "'" + whole + "' is not a MAC address ('" + part + "' is not hexadecimal)");
            }
            value = value * 16 + digit;
        }
        return value;
    }

    /** Prints {@code mac} as {@code xx:xx:xx:xx:xx:xx}, lower case. */
    public static String format(long mac) {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xff;
            text.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (shift > 0) {
                text.append(':');
            }
        }
        return text.toString();
    }
}
