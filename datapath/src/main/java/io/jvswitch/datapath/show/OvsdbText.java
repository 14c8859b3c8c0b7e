package io.jvswitch.datapath.show;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Strings, sets and maps written as OVSDB writes them for people ({@code ovsdb_atom_to_string} and {@code
 * ovsdb_datum_to_string} in Open vSwitch's {@code lib/ovsdb-data.c}, which {@code ovs-vsctl show} and {@code list}
 * print through): a string is left bare when it reads back as the same string, and is otherwise a JSON string in
 * double quotes. Which strings are bare changed over Open vSwitch's history; {@link Quoting} has both rules.
 */
public final class OvsdbText {
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private OvsdbText() {}

    /** Which strings {@code string_needs_quotes} leaves bare. */
    public enum Quoting {
        /**
         * The rule of the tutorial's Open vSwitch, and of many releases after it: bare when the string starts with an
         * ASCII letter or underscore, continues with letters, underscores, hyphens or dots only (no digit anywhere),
         * and is not {@code true} or {@code false}. So {@code patch-int} is bare, {@code "gre-2"} and {@code
         * "192.168.1.100"} are quoted.
         */
        CLASSIC,
        /**
         * Today's {@code lib/ovsdb-data.c}: as {@link #CLASSIC}, but digits are allowed after the first character,
         * and a string that reads as a UUID is quoted (it would read back as one). So {@code gre-2} is bare.
         */
        CURRENT;

        /** True when {@code s} must be written in quotes. */
        public boolean needsQuotes(String s) {
            if (s.isEmpty() || !(letter(s.charAt(0)) || s.charAt(0) == '_')) {
                return true;
            }
            for (int i = 1; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean allowed =
                        letter(c) || c == '_' || c == '-' || c == '.' || (this == CURRENT && c >= '0' && c <= '9');
                if (!allowed) {
                    return true;
                }
            }
            if (s.equals("true") || s.equals("false")) {
                return true;
            }
            return this == CURRENT && UUID.matcher(s).matches();
        }

        /** {@code s} bare, or as a JSON string when it {@linkplain #needsQuotes needs quotes}. */
        public String string(String s) {
            return needsQuotes(s) ? json(s) : s;
        }

        /**
         * A map as OVSDB prints one: {@code {in_key=flow, local_ip="192.168.1.100"}}, keys in order (OVSDB keeps map
         * keys sorted; for ASCII keys that is {@code String}'s order), keys and values written as strings.
         */
        public String map(Map<String, String> map) {
            StringBuilder out = new StringBuilder("{");
            map.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(string(entry.getKey())).append('=').append(string(entry.getValue()));
            });
            return out.append('}').toString();
        }
    }

    /** C's {@code isalpha} in the C locale: ASCII letters only. */
    private static boolean letter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** A JSON string, as Open vSwitch's {@code json_to_ds} writes one: quotes, backslashes and controls escaped. */
    public static String json(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
