package io.jvswitch.ofproto.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits ovs-ofctl text into tokens as ovs-ofctl does: fields separated by commas or white space, each {@code key} or
 * {@code key=value}; commas inside parentheses ({@code learn(...)}, {@code resubmit(,2)}) do not split. The key {@code
 * actions} takes the rest of the text as its value.
 */
public final class Tokenizer {
    private Tokenizer() {}

    /** The tokens of {@code text}; an {@code actions=} token, if any, is last and holds the rest of the text. */
    public static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            int depth = 0;
            int equals = -1;
            while (i < n) {
                c = text.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
                    break;
                } else if (c == '=' && equals < 0 && depth == 0) {
                    equals = i;
                    if (text.substring(start, i).equals("actions")
                            || text.substring(start, i).equals("action")) {
                        String rest = text.substring(i + 1).strip();
                        tokens.add(new Token("actions", rest, start, n - start));
                        return tokens;
                    }
                }
                i++;
            }
            if (equals < 0) {
                tokens.add(new Token(text.substring(start, i), null, start, i - start));
            } else {
                tokens.add(new Token(text.substring(start, equals), text.substring(equals + 1, i), start, i - start));
            }
        }
        return tokens;
    }

    /**
     * Splits an action list at its top-level commas: {@code learn(a,b),output:1} gives {@code learn(a,b)} and {@code
     * output:1}. Returns each piece with its offset in {@code text}.
     */
    public static List<Token> actions(String text) {
        List<Token> pieces = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                String piece = text.substring(start, i);
                int lead = piece.length() - piece.stripLeading().length();
                String stripped = piece.strip();
                if (!stripped.isEmpty() || i < text.length()) {
                    pieces.add(new Token(stripped, null, start + lead, stripped.length()));
                }
                start = i + 1;
            }
        }
        return pieces;
    }
}
