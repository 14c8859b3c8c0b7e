package io.jvswitch.ofproto.xlate;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a translation's trace, with the lines that belong under it: a bridge holds the table it starts at, a
 * table holds its flow's actions, their notes, and the tables its resubmits reach.
 *
 * <p>Printed with ofproto/trace's indentation, which follows the tree: actions and notes sit one step (4 spaces) in
 * from where their table sits; a table or bridge that ends its parent's list sits at its parent's own level, so a
 * pipeline of resubmits that each end their flow's actions reads as one flat column; one that the parent's later
 * actions follow (a resubmit in the middle of a list, a patch port before another output) is stepped in, and what it
 * holds two steps in, so that the parent's remaining actions stand out below it.
 */
final class TraceLine {
    enum Kind {
        /** {@code bridge("br-tun")}, underlined. */
        BRIDGE,
        /** {@code  0. in_port=1, priority 1} or {@code  2. No match.} */
        TABLE,
        /** An action as the flow writes it. */
        ACTION,
        /** What an action did: {@code  -> skipping output to input port}. */
        NOTE,
        /** Something that went against what the flow asked: {@code  >> TTL 1 cannot be decremented: ...}. */
        WARNING,
        /** What stopped translation: {@code  >>>> over max translation depth 64 <<<<}. */
        ERROR;

        /** True when nothing goes under lines of this kind. */
        boolean terminal() {
            return this != BRIDGE && this != TABLE;
        }
    }

    final Kind kind;
    final String text;
    final List<TraceLine> children = new ArrayList<>();

    TraceLine(Kind kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    /** Appends {@code lines}, siblings at {@code level} (in steps of 4 spaces), and everything under them. */
    static void print(StringBuilder out, List<TraceLine> lines, int level) {
        for (int i = 0; i < lines.size(); i++) {
            TraceLine line = lines.get(i);
            boolean followed = i < lines.size() - 1;
            int step = followed || line.kind.terminal() ? 1 : 0;
            String indent = "    ".repeat(level + step);
            switch (line.kind) {
                case BRIDGE ->
                    out.append('\n')
                            .append(indent)
                            .append(line.text)
                            .append('\n')
                            .append(indent)
                            .append("-".repeat(line.text.length()))
                            .append('\n');
                case TABLE, ACTION -> out.append(indent).append(line.text).append('\n');
                case NOTE -> out.append(indent).append(" -> ").append(line.text).append('\n');
                case WARNING ->
                    out.append(indent).append(" >> ").append(line.text).append('\n');
                case ERROR ->
                    out.append(indent)
                            .append(" >>>> ")
                            .append(line.text)
                            .append(" <<<<")
                            .append('\n');
            }
            print(out, line.children, level + 2 * step);
        }
    }
}
