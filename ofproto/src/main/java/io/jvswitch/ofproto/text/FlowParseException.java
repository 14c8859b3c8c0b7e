package io.jvswitch.ofproto.text;

/**
 * Text that is not a valid flow, match or action. The message says what is wrong and shows where, with a caret line
 * under the offending token:
 *
 * <pre>
 * tp_dst requires ip or ipv6 with nw_proto=6, 17 or 132 (tcp, udp, sctp)
 *   priority=1,tp_dst=80 actions=drop
 *              ^^^^^^^^^
 * </pre>
 */
public final class FlowParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final String text;
    private final int position;
    private final int length;

    public FlowParseException(String problem, String text, int position, int length) {
        super(render(problem, text, position, length));
        this.problem = problem;
        this.text = text;
        this.position = position;
        this.length = length;
    }

    private static String render(String problem, String text, int position, int length) {
        if (text == null || position < 0) {
            return problem;
        }
        int start = Math.min(position, text.length());
        int width = Math.max(1, Math.min(length, text.length() - start));
        return problem + "\n  " + text + "\n  " + " ".repeat(start) + "^".repeat(width);
    }

    /** What is wrong, without the text and caret. */
    public String problem() {
        return problem;
    }

    /** The whole text that was being parsed. */
    public String text() {
        return text;
    }

    /** Where the offending token starts in {@link #text()}. */
    public int position() {
        return position;
    }

    public int length() {
        return length;
    }

    /** The same problem, placed in a larger text: the token's position shifted by {@code offset}. */
    public FlowParseException within(String wholeText, int offset) {
        return new FlowParseException(problem, wholeText, position < 0 ? -1 : position + offset, length);
    }
}
