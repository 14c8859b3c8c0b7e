package io.jvswitch.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;

/**
 * IPv6 addresses as 16 bytes, parsed from any RFC 4291 text form and printed in the RFC 5952 canonical form
 * ({@code 2001:db8::1}).
 */
public final class Ipv6Address {
    private Ipv6Address() {}

    /**
     * Parses an IPv6 literal; no name lookup.
     *
     * @throws IllegalArgumentException naming the text when it is not an IPv6 address
     */
    public static byte[] parse(String text) {
        if (text.indexOf(':') < 0 || text.indexOf('%') >= 0) {
            throw invalid(text);
        }
        try {
            byte[] bytes = Inet6Address.ofLiteral(text).getAddress();
            if (bytes.length == 4) { // the JDK returns IPv4-mapped literals (::ffff:a.b.c.d) as IPv4
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads 16 address bytes at {@code offset} and prints them. */
    public static String format(MemorySegment segment, long offset) {
        byte[] bytes = new byte[16];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, 16);
        return format(bytes);
    }

    /** An address held as two longs, most significant first (a flow key's words), printed as {@link #format(byte[])}. */
    public static String format(long high, long low) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return format(bytes);
    }

    /** RFC 5952: lower-case hex, no leading zeros, the longest run (first if tied) of two or more zero groups as ::. */
    public static String format(byte[] address) {
        if (address.length != 16) {
            throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + address.length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv6 address");
    }
}
