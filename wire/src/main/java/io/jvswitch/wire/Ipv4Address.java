package io.jvswitch.wire;

/** IPv4 addresses held in an {@code int} (network order: the first octet in the high byte), dotted-quad text. */
public final class Ipv4Address {
    private Ipv4Address() {}

    /**
     * Parses dotted-quad text ({@code 192.168.1.100}); no name lookup, no shorthand forms.
     *
     * @throws IllegalArgumentException naming the text when it is not an IPv4 address
     */
    public static int parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw invalid(text);
        }
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                throw invalid(text);
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < '0' || c > '9') {
                    throw invalid(text);
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                throw invalid(text);
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    /** True when {@code text} parses as an IPv4 address. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean isMulticast(int address) {
        return (address >>> 28) == 0xe;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected a.b.c.d)");
    }
}
