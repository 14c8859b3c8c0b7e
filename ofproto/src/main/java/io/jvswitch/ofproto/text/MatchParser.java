package io.jvswitch.ofproto.text;

import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import io.jvswitch.wire.MacAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the match part of a flow in ovs-ofctl's syntax: fields ({@code in_port=3}, {@code dl_dst=01:00:00:00:00:00/
 * 01:00:00:00:00:00}, {@code nw_src=10.0.0.0/24}), protocol shorthands ({@code arp}, {@code ip}, {@code tcp6}, ...),
 * masks where the field allows them. Each field's prerequisites are checked once the whole match is read, and an error
 * points at the token that is wrong.
 */
public final class MatchParser {
    private static final Map<String, int[]> SHORTHANDS = new HashMap<>();

    static {
        SHORTHANDS.put("ip", new int[] {0x0800, -1});
        SHORTHANDS.put("ipv4", new int[] {0x0800, -1});
        SHORTHANDS.put("ipv6", new int[] {0x86dd, -1});
        SHORTHANDS.put("arp", new int[] {0x0806, -1});
        SHORTHANDS.put("rarp", new int[] {0x8035, -1});
        SHORTHANDS.put("icmp", new int[] {0x0800, 1});
        SHORTHANDS.put("tcp", new int[] {0x0800, 6});
        SHORTHANDS.put("udp", new int[] {0x0800, 17});
        SHORTHANDS.put("sctp", new int[] {0x0800, 132});
        SHORTHANDS.put("icmp6", new int[] {0x86dd, 58});
        SHORTHANDS.put("tcp6", new int[] {0x86dd, 6});
        SHORTHANDS.put("udp6", new int[] {0x86dd, 17});
        SHORTHANDS.put("sctp6", new int[] {0x86dd, 132});
    }

    private MatchParser() {}

    /** True when {@code key} is a protocol shorthand or a match field's name. */
    public static boolean isMatchKey(String key) {
        return SHORTHANDS.containsKey(key) || Field.byName(key) != null;
    }

    /** Parses a text that holds only a match ({@code in_port=1,arp}). */
    public static Match parse(String text) {
        List<Token> tokens = Tokenizer.tokens(text);
        for (Token token : tokens) {
            if (!isMatchKey(token.key())) {
                throw unknown(token, text);
            }
        }
        return parse(tokens, text);
    }

    static FlowParseException unknown(Token token, String text) {
        return new FlowParseException(
                "unknown field '" + token.key() + "' (fields: " + String.join(", ", Field.ovsNames())
                        + "; shorthands: ip, ipv6, arp, icmp, icmp6, tcp, udp, sctp, tcp6, udp6, sctp6)",
                text,
                token.position(),
                token.key().length());
    }

    /** As {@link #unknown(Token, String)}, where the text may also hold {@code keywords} ({@code table=1}). */
    static FlowParseException unknown(Token token, String text, List<String> keywords) {
        return new FlowParseException(
                "unknown keyword or field '" + token.key() + "' (keywords: " + String.join(", ", keywords)
                        + "; fields: " + String.join(", ", Field.ovsNames())
                        + "; shorthands: ip, ipv6, arp, icmp, icmp6, tcp, udp, sctp, tcp6, udp6, sctp6)",
                text,
                token.position(),
                token.key().length());
    }

    /** Builds the match from the tokens that are match keys ({@link #isMatchKey}); {@code text} is for errors. */
    public static Match parse(List<Token> tokens, String text) {
        Match.Builder match = Match.builder();
        Map<Field, Token> seen = new HashMap<>();
        List<Token> fields = new ArrayList<>();
        Protocol ethType = new Protocol(Field.DL_TYPE);
        Protocol nwProto = new Protocol(Field.NW_PROTO);
        for (Token token : tokens) {
            int[] shorthand = SHORTHANDS.get(token.key());
            if (shorthand != null) {
                if (token.value() != null) {
                    throw new FlowParseException(
                            token.key() + " is a protocol shorthand and takes no value",
                            text,
                            token.position(),
                            token.length());
                }
                ethType.set(match, shorthand[0], token, text);
                if (shorthand[1] >= 0) {
                    nwProto.set(match, shorthand[1], token, text);
                }
                continue;
            }
            fields.add(token);
        }
        for (Token token : fields) {
            Field field = Field.byName(token.key());
            if (token.value() == null || token.value().isEmpty()) {
                throw new FlowParseException(
                        token.key() + " needs a value (" + token.key() + "=...)",
                        text,
                        token.position(),
                        token.length());
            }
            Token previous = seen.put(canonical(field), token);
            if (previous != null) {
                throw new FlowParseException(
                        token.key() + " is given twice (first as " + previous.key() + "=" + previous.value() + ")",
                        text,
                        token.position(),
                        token.length());
            }
            try {
                parseField(match, field, token.key(), token.value());
            } catch (ValueException e) {
                throw new FlowParseException(
                        e.getMessage(), text, token.valuePosition() + e.offset, Math.max(1, e.length));
            } catch (IllegalArgumentException e) {
                throw new FlowParseException(
                        e.getMessage(),
                        text,
                        token.valuePosition(),
                        token.value().length());
            }
            if (field == Field.DL_TYPE) {
                ethType.set(match, (int) match.get(Field.DL_TYPE), token, text);
            } else if (field == Field.NW_PROTO || field == Field.ARP_OP) {
                nwProto.set(match, (int) match.get(Field.NW_PROTO), token, text);
            }
        }
        Match built = match.build();
        for (Token token : fields) {
            Field field = Field.byName(token.key());
            int fieldNwProto = field == Field.NW_PROTO || field == Field.ARP_OP ? -1 : nwProto.value;
            if (!field.prerequisite().satisfiedBy(ethType.value, fieldNwProto)
                    && !(field == Field.ARP_OP && ethType.value == 0x0806)) {
                throw new FlowParseException(
                        token.key() + " requires " + field.prerequisite().description() + " in the match",
                        text,
                        token.position(),
                        token.length());
            }
        }
        return built;
    }

    /** Fields that are one field under two names (nw_src and arp_spa share bits) count once for duplicates. */
    private static Field canonical(Field field) {
        return switch (field) {
            case ARP_SPA -> Field.NW_SRC;
            case ARP_TPA -> Field.NW_DST;
            case ARP_OP -> Field.NW_PROTO;
            case IP_DSCP -> Field.NW_TOS;
            case ICMP_TYPE -> Field.TP_SRC;
            case ICMP_CODE -> Field.TP_DST;
            default -> field;
        };
    }

    /**
     * {@code dl_type} or {@code nw_proto} as the shorthands and fields of one match set it, and the token that set it
     * first, so that a contradiction can name both.
     */
    private static final class Protocol {
        private final Field field;
        int value = -1;
        private Token by;

        Protocol(Field field) {
            this.field = field;
        }

        void set(Match.Builder match, int wanted, Token token, String text) {
            if (value >= 0 && value != wanted) {
                throw new FlowParseException(
                        label(token) + " contradicts " + label(by) + ": " + field.ovsName() + " cannot be both "
                                + show(wanted) + " and " + show(value),
                        text,
                        token.position(),
                        token.length());
            }
            if (value < 0) {
                by = token;
            }
            value = wanted;
            match.set(field, wanted);
        }

        private String show(int protocol) {
            return field == Field.DL_TYPE ? String.format("0x%04x", protocol) : Integer.toString(protocol);
        }

        private static String label(Token token) {
            return token.value() == null ? token.key() : token.key() + "=" + token.value();
        }
    }

    /** A value that is wrong in one part (a mask, after the '/'): where that part starts within the value, and its length. */
    private static final class ValueException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        final int offset;
        final int length;

        ValueException(String message, int offset, int length) {
            super(message);
            this.offset = offset;
            this.length = length;
        }
    }

    /** Parses one field's value (and mask) into the match. */
    static void parseField(Match.Builder match, Field field, String name, String text) {
        int slash = text.indexOf('/');
        String valueText = slash < 0 ? text : text.substring(0, slash);
        String maskText = slash < 0 ? null : text.substring(slash + 1);
        if (maskText != null && !field.maskable() && field != Field.VLAN_TCI) {
            throw new ValueException(
                    name + " cannot be masked (it matches exactly or not at all)", slash, text.length() - slash);
        }
        if (maskText != null && maskText.isEmpty()) {
            throw new ValueException(
                    name + ": nothing after '/' (expected a mask"
                            + (field.kind() == Field.Kind.IPV4 || field.kind() == Field.Kind.IPV6
                                    ? " or a prefix length)"
                                    : ")"),
                    slash,
                    1);
        }
        if (valueText.isEmpty()) {
            throw new ValueException(name + ": nothing before '/' (expected a value)", 0, 1);
        }
        if (maskText != null) {
            try {
                parseValueAndMask(match, field, name, valueText, maskText);
            } catch (MaskException e) {
                throw new ValueException(e.getMessage(), slash + 1, maskText.length());
            } catch (IllegalArgumentException e) {
                throw new ValueException(e.getMessage(), 0, slash);
            }
            return;
        }
        parseValueAndMask(match, field, name, valueText, null);
    }

    /** A mask that cannot be read. */
    private static final class MaskException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MaskException(String message) {
            super(message);
        }
    }

    private static void parseValueAndMask(
            Match.Builder match, Field field, String name, String valueText, String maskText) {
        switch (field) {
            case DL_VLAN -> {
                long vid = number(valueText, name, 0, 0xffff);
                if (vid == 0xffff) { // OFP_VLAN_NONE: frames without a tag
                    match.setMasked(Field.VLAN_TCI, 0, 0xffff);
                } else if (vid > 0xfff) {
                    throw new IllegalArgumentException(
                            name + "=" + valueText + " is out of range (0 to 4095, or 0xffff" + " for no VLAN)");
                } else {
                    long tci = match.has(Field.VLAN_TCI) ? match.get(Field.VLAN_TCI) : 0;
                    long mask = matchMask(match, Field.VLAN_TCI);
                    match.setMasked(
                            Field.VLAN_TCI, (tci & 0xe000) | FlowKey.VLAN_CFI | vid, mask | FlowKey.VLAN_CFI | 0x0fff);
                }
            }
            case DL_VLAN_PCP -> {
                long pcp = number(valueText, name, 0, 7);
                long tci = match.has(Field.VLAN_TCI) ? match.get(Field.VLAN_TCI) : 0;
                long mask = matchMask(match, Field.VLAN_TCI);
                match.setMasked(Field.VLAN_TCI, (tci & 0x0fff) | FlowKey.VLAN_CFI | (pcp << 13), mask | 0xf000);
            }
            case NW_TOS -> {
                long tos = number(valueText, name, 0, 255);
                if ((tos & 3) != 0) {
                    throw new IllegalArgumentException(name + "=" + valueText
                            + " is not a multiple of 4 (nw_tos is the DSCP part of the ToS byte; ECN is nw_ecn)");
                }
                match.set(Field.NW_TOS, tos >>> 2);
            }
            default -> {
                switch (field.kind()) {
                    case PORT -> {
                        try {
                            match.set(field, Ports.parse(valueText));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
                        }
                    }
                    case MAC -> {
                        long value = mac(valueText, name);
                        match.setMasked(
                                field,
                                value,
                                maskText == null ? field.fullMask() : mask(() -> mac(maskText, name + " mask")));
                    }
                    case IPV4 -> {
                        long value = ipv4(valueText, name);
                        match.setMasked(field, value, maskText == null ? -1 : mask(() -> ipv4Mask(maskText, name)));
                    }
                    case IPV6 -> ipv6(match, field, valueText, maskText, name);
                    default -> {
                        long max = field.fullMask();
                        long value = number(valueText, name, 0, max);
                        long mask = maskText == null ? max : mask(() -> maskNumber(maskText, name, field.bits()));
                        match.setMasked(field, value, mask);
                    }
                }
            }
        }
    }

    /** Reads a mask: its failure is the mask's. */
    private static long mask(java.util.function.LongSupplier parse) {
        try {
            return parse.getAsLong();
        } catch (IllegalArgumentException e) {
            throw new MaskException(e.getMessage());
        }
    }

    private static long matchMask(Match.Builder match, Field field) {
        return match.has(field) ? match.build().getMask(field) : 0;
    }

    /** A mask written as a number, for a field of {@code bits} bits: {@code reg0=1/0xff}. */
    static long maskNumber(String text, String name, int bits) {
        long mask;
        try {
            mask = text.startsWith("0x") || text.startsWith("0X")
                    ? Long.parseUnsignedLong(text.substring(2), 16)
                    : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    isDigits(text)
                            ? name + ": mask " + text + " does not fit in " + bits + " bits"
                            : name + ": mask '" + text + "' is not a number");
        }
        if (bits < 64 && (mask >>> bits) != 0) {
            throw new IllegalArgumentException(name + ": mask " + text + " does not fit in " + bits + " bits");
        }
        return mask;
    }

    /** Whether {@code text} is written as a number (decimal, or hexadecimal after 0x), whatever its size. */
    private static boolean isDigits(String text) {
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        String digits = hex ? text.substring(2) : text;
        int radix = hex ? 16 : 10;
        return !digits.isEmpty() && digits.chars().allMatch(c -> c < 0x80 && Character.digit(c, radix) >= 0);
    }

    /** A number in decimal or 0x-hexadecimal within {@code [min, max]} ({@code max} taken unsigned). */
    static long number(String text, String name, long min, long max) {
        long value;
        try {
            value = text.startsWith("0x") || text.startsWith("0X")
                    ? Long.parseUnsignedLong(text.substring(2), 16)
                    : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + text
                    + (isDigits(text)
                            ? " is out of range (" + min + " to " + Long.toUnsignedString(max) + ")"
                            : " is not a number"));
        }
        if (Long.compareUnsigned(value, min) < 0 || Long.compareUnsigned(value, max) > 0) {
            throw new IllegalArgumentException(
                    name + "=" + text + " is out of range (" + min + " to " + Long.toUnsignedString(max) + ")");
        }
        return value;
    }

    private static long mac(String text, String name) {
        try {
            return MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    private static long ipv4(String text, String name) {
        try {
            return Integer.toUnsignedLong(Ipv4Address.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    private static long ipv4Mask(String text, String name) {
        if (text.indexOf('.') >= 0) {
            return ipv4(text, name + " mask");
        }
        int prefix = prefix(text, name, 32);
        return prefix == 0 ? 0 : Integer.toUnsignedLong(-1 << (32 - prefix));
    }

    /** A prefix length, 0 to {@code bits}. */
    private static int prefix(String text, String name, int bits) {
        if (!text.matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException(
                    name + ": '" + text + "' is neither a mask nor a prefix length (0 to " + bits + ")");
        }
        int prefix = Integer.parseInt(text);
        if (prefix > bits) {
            throw new IllegalArgumentException(
                    name + ": prefix length " + prefix + " is out of range (0 to " + bits + ")");
        }
        return prefix;
    }

    private static void ipv6(Match.Builder match, Field field, String valueText, String maskText, String name) {
        ByteBuffer value = ByteBuffer.wrap(ipv6Bytes(valueText, name));
        long maskHigh = -1;
        long maskLow = -1;
        if (maskText != null) {
            if (maskText.indexOf(':') >= 0) {
                ByteBuffer mask;
                try {
                    mask = ByteBuffer.wrap(ipv6Bytes(maskText, name + " mask"));
                } catch (IllegalArgumentException e) {
                    throw new MaskException(e.getMessage());
                }
                maskHigh = mask.getLong();
                maskLow = mask.getLong();
            } else {
                int prefix = (int) mask(() -> prefix(maskText, name, 128));
                maskHigh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
                maskLow = prefix <= 64 ? 0 : -1L << (128 - prefix);
            }
        }
        match.setMasked128(field, value.getLong(), value.getLong(), maskHigh, maskLow);
    }

    private static byte[] ipv6Bytes(String text, String name) {
        try {
            return Ipv6Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }
}
