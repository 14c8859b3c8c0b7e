package io.jvswitch.netio;

/**
 * Addresses as text, for error messages and descriptions (the control path: these allocate). netio keeps its own
 * small formatter because its main code depends on java.base alone.
 */
final class Addresses {
    private Addresses() {}

    /** Dotted quad: {@code 0xc6120001} is {@code 198.18.0.1}. */
    static String ipv4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    /** RFC 5952 text: lower case, the longest run of two or more zero groups (the first one on a tie) as "::". */
    static String ipv6(long high, long low) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
            groups[4 + i] = (int) (low >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder();
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

    static String ipv4(int address, int port) {
        return ipv4(address) + ":" + port;
    }

    static String ipv6(long high, long low, int port) {
        return "[" + ipv6(high, low) + "]:" + port;
    }

    static void checkPort(int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
    }
}
