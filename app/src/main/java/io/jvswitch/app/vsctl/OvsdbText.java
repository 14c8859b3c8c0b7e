package io.jvswitch.app.vsctl;

import java.util.Map;
import java.util.TreeMap;

/**
 * How OVSDB writes values: a string stays bare when it starts with a letter or '_' and goes on with letters, '_',
 * '-' or '.', and is not {@code true} or {@code false}; otherwise it is quoted. Maps print as {@code {key=value,
 * ...}} sorted by key. So {@code patch-int} prints bare, {@code "gre-2"} and {@code "192.168.1.100"} quoted, as the
 * tutorial's {@code ovs-vsctl show} has them.
 */
public final class OvsdbText {
    private OvsdbText() {}

    public static String quote(String value) {
        return needsQuotes(value) ? '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : value;
    }

    static boolean needsQuotes(String value) {
        if (value.isEmpty() || value.equals("true") || value.equals("false")) {
            return true;
        }
        char first = value.charAt(0);
        if (!Character.isLetter(first) && first != '_') {
            return true;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Character.isLetter(c) && c != '_' && c != '-' && c != '.') {
                return true;
            }
        }
        return false;
    }

    public static String map(Map<String, String> map) {
        StringBuilder text = new StringBuilder("{");
        for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
            if (text.length() > 1) {
                text.append(", ");
            }
            text.append(quote(entry.getKey())).append('=').append(quote(entry.getValue()));
        }
        return text.append('}').toString();
    }
}
