package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.ofproto.text.FlowParseException;
import io.jvswitch.ofproto.text.Token;
import io.jvswitch.ofproto.text.Tokenizer;
import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.MacAddress;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reads and prints action lists in ovs-ofctl's syntax: {@code strip_vlan,set_tunnel:0x1388,output:3,output:2}, and
 * {@code drop} for none.
 *
 * <p>Every error is a {@link FlowParseException} whose caret points at the offending action, or at the offending
 * argument inside it:
 *
 * <pre>
 * resubmit(,255): table 255 does not exist (tables are 0 to 254)
 *   resubmit(,255)
 *              ^^^
 * </pre>
 *
 * Parsing applies each action's {@link Action#validate()}; what depends on the flow's table and match is {@link
 * #check(List, ActionContext, String)}'s job, once the flow's table and match are known.
 */
public final class ActionParser {
    /** The actions this parser knows, as the error for an unknown one lists them. */
    static final List<String> NAMES = List.of(
            "output",
            "controller",
            "resubmit",
            "goto_table",
            "mod_vlan_vid",
            "mod_vlan_pcp",
            "strip_vlan",
            "push_vlan",
            "pop_vlan",
            "set_tunnel",
            "set_tunnel64",
            "set_field",
            "load",
            "move",
            "mod_dl_src",
            "mod_dl_dst",
            "mod_nw_src",
            "mod_nw_dst",
            "mod_nw_tos",
            "dec_ttl",
            "note",
            "learn",
            "drop");

    /** Messages start with the action's text, or with its name alone when the text is longer than this. */
    private static final int LABEL_MAX = 48;

    private ActionParser() {}

    /**
     * Parses an action list ({@code drop} alone means the empty list).
     *
     * @throws FlowParseException positioned in {@code text}
     */
    public static List<Action> parse(String text) {
        return new Parser(text).actions();
    }

    /**
     * Parses an action list and {@linkplain #check(List, ActionContext, String) checks} it against where it will run.
     *
     * @throws FlowParseException positioned in {@code text}
     */
    public static List<Action> parse(String text, ActionContext context) {
        List<Action> actions = parse(text);
        check(actions, context, text);
        return actions;
    }

    /** Formats a list as ovs-ofctl prints it after {@code actions=}: comma-separated, {@code drop} for none. */
    public static String format(List<Action> actions) {
        if (actions.isEmpty()) {
            return "drop";
        }
        StringBuilder out = new StringBuilder();
        for (Action action : actions) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            action.format(out);
        }
        return out.toString();
    }

    /**
     * Runs {@link Action#check} on every action of a list that was parsed from {@code text}, so that a failure points
     * at the failing action.
     *
     * @throws FlowParseException positioned in {@code text}
     */
    public static void check(List<Action> actions, ActionContext context, String text) {
        check(actions, Tokenizer.actions(text), context, text);
    }

    /**
     * Runs {@link Action#check} on every action; {@code pieces} are where each action stands in {@code text} (as
     * {@link Tokenizer#actions} gives them), one per action.
     *
     * @throws FlowParseException positioned at the failing action's piece of {@code text}
     */
    public static void check(List<Action> actions, List<Token> pieces, ActionContext context, String text) {
        if (actions.isEmpty()) {
            return;
        }
        if (pieces.size() != actions.size()) {
            throw new IllegalArgumentException(
                    "the text has " + pieces.size() + " actions but the list " + actions.size());
        }
        for (int i = 0; i < actions.size(); i++) {
            Token piece = pieces.get(i);
            try {
                actions.get(i).check(context);
            } catch (LearnSpecException e) {
                Token spec = learnSpec(piece, e.index());
                if (spec == null) {
                    throw new FlowParseException(
                            label(piece.key()) + ": " + e.getMessage(), text, piece.position(), piece.length());
                }
                throw new FlowParseException(
                        "learn: " + spec.key() + ": " + e.problem(), text, spec.position(), spec.length());
            } catch (IllegalArgumentException e) {
                throw new FlowParseException(
                        label(piece.key()) + ": " + e.getMessage(), text, piece.position(), piece.length());
            }
        }
    }

    /**
     * Runs {@link Action#check} on every action of a list that has no text (one built in code); messages start with
     * the failing action's text.
     */
    public static void check(List<Action> actions, ActionContext context) {
        for (Action action : actions) {
            try {
                action.check(context);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(label(action.text()) + ": " + e.getMessage(), e);
            }
        }
    }

    /** The learn arguments that are parameters, not specs. */
    private static final List<String> LEARN_PARAMETERS = List.of(
            "table", "priority", "idle_timeout", "hard_timeout", "fin_idle_timeout", "fin_hard_timeout", "cookie");

    /** Where the {@code index}th spec of the learn written as {@code piece} stands, or null if it cannot be found. */
    private static Token learnSpec(Token piece, int index) {
        String s = piece.key();
        int open = s.indexOf('(');
        if (open < 0 || !s.endsWith(")")) {
            return null;
        }
        int n = 0;
        for (Token argument : Tokenizer.actions(s.substring(open + 1, s.length() - 1))) {
            int cut = firstOf(argument.key(), "=:");
            String key = cut < 0 ? argument.key() : argument.key().substring(0, cut);
            if (!LEARN_PARAMETERS.contains(key) && n++ == index) {
                return new Token(
                        argument.key(), null, piece.position() + open + 1 + argument.position(), argument.length());
            }
        }
        return null;
    }

    /** How messages name an action: its text, or its name when the text is long (a learn). */
    private static String label(String piece) {
        if (piece.length() <= LABEL_MAX) {
            return piece;
        }
        int cut = firstOf(piece, ":=(");
        return cut < 0 ? piece.substring(0, LABEL_MAX) : piece.substring(0, cut);
    }

    private static int firstOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** A piece of the text and where it starts in the whole. */
    private record Span(String text, int at) {
        Span sub(int from, int to) {
            return new Span(text.substring(from, to), at + from);
        }

        Span sub(int from) {
            return sub(from, text.length());
        }

        boolean isEmpty() {
            return text.isEmpty();
        }
    }

    /** One parse of one text. */
    private static final class Parser {
        private final String text;

        Parser(String text) {
            this.text = text;
        }

        List<Action> actions() {
            balanced();
            List<Token> pieces = Tokenizer.actions(text);
            List<Action> actions = new ArrayList<>();
            List<Token> placed = new ArrayList<>();
            Token drop = null;
            for (Token piece : pieces) {
                if (piece.key().isEmpty()) {
                    throw new FlowParseException(
                            "empty action between commas (write drop for no actions)", text, piece.position(), 1);
                }
                Action action = action(new Span(piece.key(), piece.position()));
                if (action == null) {
                    drop = piece;
                } else {
                    actions.add(action);
                    placed.add(piece);
                }
            }
            if (drop != null && pieces.size() > 1) {
                throw new FlowParseException(
                        "drop must be the only action (it means no actions at all)",
                        text,
                        drop.position(),
                        drop.length());
            }
            for (int i = 0; i < actions.size() - 1; i++) {
                if (actions.get(i) instanceof GotoTable) {
                    Token piece = placed.get(i);
                    throw new FlowParseException(
                            label(piece.key()) + ": goto_table must be the last action"
                                    + " (it is an instruction: the actions run first, then the pipeline goes on)",
                            text,
                            piece.position(),
                            piece.length());
                }
            }
            return List.copyOf(actions);
        }

        /** Every '(' has its ')': the tokenizer only splits a text whose parentheses pair up. */
        private void balanced() {
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '(') {
                    open.add(i);
                } else if (c == ')') {
                    if (open.isEmpty()) {
                        throw new FlowParseException("')' without a '(' before it", text, i, 1);
                    }
                    open.removeLast();
                }
            }
            if (!open.isEmpty()) {
                throw new FlowParseException("'(' is never closed", text, open.getLast(), 1);
            }
        }

        /** One action, or null for {@code drop}. */
        private Action action(Span piece) {
            String s = piece.text();
            int cut = firstOf(s, ":=(");
            String name = cut < 0 ? s : s.substring(0, cut);
            Span nameSpan = piece.sub(0, name.length());
            String label = label(s);
            Span arg = null;
            if (cut >= 0) {
                if (s.charAt(cut) == '(') {
                    int close = closing(s, cut);
                    if (close < 0) {
                        throw fail(label, piece.sub(cut, cut + 1), "'(' is never closed");
                    }
                    if (close != s.length() - 1) {
                        throw fail(label, piece.sub(close + 1), "unexpected text after ')'");
                    }
                    arg = piece.sub(cut + 1, close);
                } else {
                    arg = piece.sub(cut + 1);
                }
            }
            String key = name.toLowerCase(Locale.ROOT);
            Action action = switch (key) {
                case "drop" -> {
                    none(label, key, arg);
                    yield null;
                }
                case "output" -> output(label, need(label, piece, key, arg, "output:PORT or output:FIELD[]"));
                case "controller" -> controller(label, arg);
                case "resubmit" ->
                    resubmit(
                            label,
                            piece,
                            need(label, piece, key, arg, "resubmit:PORT, resubmit(,TABLE) or resubmit(PORT,TABLE)"));
                case "goto_table" -> new GotoTable(table(label, need(label, piece, key, arg, "goto_table:TABLE")));
                case "mod_vlan_vid" ->
                    new ModVlanVid(
                            (int) number(label, need(label, piece, key, arg, "mod_vlan_vid:VID"), 4095, "VLAN ID"));
                case "mod_vlan_pcp" ->
                    new ModVlanPcp(
                            (int) number(label, need(label, piece, key, arg, "mod_vlan_pcp:PCP"), 7, "VLAN priority"));
                case "strip_vlan" -> {
                    none(label, key, arg);
                    yield new StripVlan();
                }
                case "pop_vlan" -> {
                    none(label, key, arg);
                    yield new PopVlan();
                }
                case "push_vlan" -> {
                    Span value = need(label, piece, key, arg, "push_vlan:0x8100");
                    PushVlan push = new PushVlan((int) number(label, value, 0xffff, "ethertype"));
                    at(label, value, push::validate);
                    yield push;
                }
                case "set_tunnel", "set_tunnel64" -> {
                    Span value = need(label, piece, key, arg, key + ":ID");
                    yield new SetTunnel(at(label, value, () -> Values.u64(value.text())), key.endsWith("64"));
                }
                case "set_field" ->
                    setField(
                            label, need(label, piece, key, arg, "set_field:VALUE->FIELD, as set_field:0x1388->tun_id"));
                case "load" ->
                    load(label, need(label, piece, key, arg, "load:VALUE->FIELD[], as load:0x1388->NXM_NX_TUN_ID[]"));
                case "move" -> move(label, need(label, piece, key, arg, "move:FIELD[]->FIELD[]"));
                case "mod_dl_src" -> new ModDlSrc(mac(label, need(label, piece, key, arg, "mod_dl_src:MAC")));
                case "mod_dl_dst" -> new ModDlDst(mac(label, need(label, piece, key, arg, "mod_dl_dst:MAC")));
                case "mod_nw_src" -> new ModNwSrc(ipv4(label, need(label, piece, key, arg, "mod_nw_src:IP")));
                case "mod_nw_dst" -> new ModNwDst(ipv4(label, need(label, piece, key, arg, "mod_nw_dst:IP")));
                case "mod_nw_tos" -> {
                    Span value = need(label, piece, key, arg, "mod_nw_tos:TOS");
                    ModNwTos tos = new ModNwTos((int) number(label, value, 255, "ToS"));
                    at(label, value, tos::validate);
                    yield tos;
                }
                case "dec_ttl" -> {
                    none(label, key, arg);
                    yield new DecTtl();
                }
                case "note" -> note(label, arg);
                case "learn" -> learn(arg);
                default -> bare(label, nameSpan, arg);
            };
            if (action != null) {
                at(label, piece, action::validate);
            }
            return action;
        }

        /** A port by itself ({@code 3}, {@code NORMAL}, {@code in_port}) outputs to it, as in OVS. */
        private Action bare(String label, Span name, Span arg) {
            if (arg == null) {
                try {
                    return output(label, name, Ports.parse(name.text()));
                } catch (FlowParseException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    // not a port either: fall through to the message about actions
                }
            }
            throw new FlowParseException(
                    "unknown action '" + name.text() + "' (actions: " + String.join(", ", NAMES)
                            + "; or a port number or name alone, to output to it)",
                    text,
                    name.at(),
                    Math.max(1, name.text().length()));
        }

        private Action output(String label, Span arg) {
            String s = arg.text();
            int port;
            try {
                port = Ports.parse(s);
            } catch (IllegalArgumentException e) {
                if (s.indexOf('[') >= 0 || Field.byName(s) != null) {
                    return new OutputField(at(label, arg, () -> SubField.parse(s)));
                }
                throw fail(label, arg, e.getMessage());
            }
            return output(label, arg, port);
        }

        /** Output to a port number: the controller action for CONTROLLER, as OVS prints both alike. */
        private Action output(String label, Span where, int port) {
            if (port == Ports.CONTROLLER) {
                return new Controller(Controller.ALL_OF_IT);
            }
            Output output = new Output(port);
            at(label, where, output::validate);
            return output;
        }

        private Action controller(String label, Span arg) {
            if (arg == null || arg.isEmpty()) {
                return new Controller(Controller.ALL_OF_IT);
            }
            if (arg.text().indexOf('=') < 0) {
                return new Controller((int) number(label, arg, 65535, "max_len"));
            }
            int maxLength = Controller.ALL_OF_IT;
            for (Span part : split(arg)) {
                int equals = part.text().indexOf('=');
                String key = equals < 0 ? part.text() : part.text().substring(0, equals);
                if (!key.equals("max_len") || equals < 0) {
                    throw fail(label, part, "'" + key + "' is not supported (controller takes max_len=N, or nothing)");
                }
                maxLength = (int) number(label, part.sub(equals + 1), 65535, "max_len");
            }
            return new Controller(maxLength);
        }

        private Action resubmit(String label, Span piece, Span arg) {
            List<Span> parts = split(arg);
            if (parts.size() > 2) {
                throw fail(
                        label,
                        parts.get(2),
                        "'" + parts.get(2).text() + "' is not supported (resubmit takes a port and a table)");
            }
            Span portText = parts.get(0);
            int port = portText.isEmpty() ? -1 : at(label, portText, () -> Ports.parse(portText.text()));
            int table = parts.size() < 2 || parts.get(1).isEmpty() ? -1 : table(label, parts.get(1));
            Resubmit resubmit = new Resubmit(port, table);
            at(label, piece, resubmit::validate);
            return resubmit;
        }

        private Action setField(String label, Span arg) {
            Span[] sides = arrow(label, arg, "set_field:VALUE->FIELD");
            Span value = sides[0];
            Span fieldText = sides[1];
            String name = fieldText.text();
            Field field = Field.byName(name);
            if (field == null) {
                throw fail(
                        label,
                        fieldText,
                        "unknown field '" + name + "' (fields: " + String.join(", ", Field.ovsNames()) + ")");
            }
            at(label, fieldText, () -> Checks.writable(field, name));
            Values.FieldValue parsed = at(label, value, () -> Values.parse(field, name, value.text(), true));
            return new SetField(field, parsed.value(), parsed.mask(), parsed.high(), parsed.maskHigh(), name);
        }

        private Action load(String label, Span arg) {
            Span[] sides = arrow(label, arg, "load:VALUE->FIELD[]");
            SubField destination = subField(label, sides[1]);
            BigInteger value = constant(label, sides[0], "load takes a constant (move:SRC[]->DST[] copies a field)");
            at(label, sides[0], () -> Checks.fits(value, destination.bits()));
            at(
                    label,
                    sides[1],
                    () -> Checks.writable(
                            destination.field(), destination.field().actionName()));
            return new Load(value.longValue(), destination);
        }

        private Action move(String label, Span arg) {
            Span[] sides = arrow(label, arg, "move:FIELD[]->FIELD[]");
            SubField source = subField(label, sides[0]);
            SubField destination = subField(label, sides[1]);
            at(
                    label,
                    sides[1],
                    () -> Checks.writable(
                            destination.field(), destination.field().actionName()));
            Move move = new Move(source, destination);
            at(label, arg, move::validate);
            return move;
        }

        private Action note(String label, Span arg) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (arg != null) {
                String s = arg.text();
                int i = 0;
                while (i < s.length()) {
                    if (s.charAt(i) == '.') {
                        i++;
                        continue;
                    }
                    int high = Character.digit(s.charAt(i), 16);
                    int low = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                    if (high < 0 || low < 0) {
                        throw fail(
                                label,
                                arg.sub(i, Math.min(i + 2, s.length())),
                                "note takes bytes as pairs of hex digits, such as note:00.01.02");
                    }
                    bytes.write(high * 16 + low);
                    i += 2;
                }
            }
            return new Note(bytes.toByteArray());
        }

        /**
         * {@code learn(...)}: parameters and specs as OVS's learn_parse reads them (lib/learn.c), with the same
         * defaults (table 1, priority 32768).
         */
        private Action learn(Span arg) {
            int table = Learn.DEFAULT_TABLE;
            int idleTimeout = 0;
            int hardTimeout = 0;
            int finIdleTimeout = 0;
            int finHardTimeout = 0;
            int priority = Learn.DEFAULT_PRIORITY;
            long cookie = 0;
            List<LearnSpec> specs = new ArrayList<>();
            for (Span part : arg == null ? List.<Span>of() : split(arg)) {
                String s = part.text();
                String label = "learn: " + s;
                if (s.isEmpty()) {
                    throw fail("learn", part, "empty learn argument between commas");
                }
                int cut = firstOf(s, "=:");
                String key = cut < 0 ? s : s.substring(0, cut);
                Span value = cut < 0 ? null : part.sub(cut + 1);
                switch (key) {
                    case "table" -> table = table(label, need(label, part, key, value, "table=N"));
                    case "priority" ->
                        priority = (int) number(label, need(label, part, key, value, "priority=N"), 65535, key);
                    case "idle_timeout" ->
                        idleTimeout = (int) number(label, need(label, part, key, value, key + "=N"), 65535, key);
                    case "hard_timeout" ->
                        hardTimeout = (int) number(label, need(label, part, key, value, key + "=N"), 65535, key);
                    case "fin_idle_timeout" ->
                        finIdleTimeout = (int) number(label, need(label, part, key, value, key + "=N"), 65535, key);
                    case "fin_hard_timeout" ->
                        finHardTimeout = (int) number(label, need(label, part, key, value, key + "=N"), 65535, key);
                    case "cookie" -> {
                        Span cookieText = need(label, part, key, value, "cookie=0x...");
                        cookie = at(label, cookieText, () -> Values.u64(cookieText.text()));
                    }
                    case "send_flow_rem", "delete_learned", "limit", "result_dst" ->
                        throw fail(label, part, key + " is not supported");
                    case "load" -> specs.add(learnLoad(label, part, need(label, part, key, value, "load:SRC->DST[]")));
                    case "output" ->
                        specs.add(new LearnSpec.OutputField(
                                subField(label, need(label, part, key, value, "output:FIELD[]"))));
                    default -> specs.add(learnMatch(label, part, part.sub(0, key.length()), value));
                }
            }
            return new Learn(table, idleTimeout, hardTimeout, finIdleTimeout, finHardTimeout, priority, cookie, specs);
        }

        /** {@code load:0->FIELD[]} or {@code load:FIELD[]->FIELD[]} inside a learn. */
        private LearnSpec learnLoad(String label, Span part, Span arg) {
            Span[] sides = arrow(label, arg, "load:VALUE->FIELD[] or load:FIELD[]->FIELD[]");
            SubField destination = subField(label, sides[1]);
            at(
                    label,
                    sides[1],
                    () -> Checks.writable(
                            destination.field(), destination.field().actionName()));
            BigInteger value = isNumber(sides[0].text()) ? Values.number(sides[0].text()) : null;
            if (value != null) {
                at(label, sides[0], () -> Checks.fits(value, destination.bits()));
                return new LearnSpec.LoadValue(value.longValue(), destination);
            }
            LearnSpec.LoadField load = new LearnSpec.LoadField(subField(label, sides[0]), destination);
            at(label, part, load::validate);
            return load;
        }

        /**
         * {@code FIELD[]} (match the packet's value), {@code FIELD[]=FIELD[]} (match another of its fields) or {@code
         * FIELD=VALUE} (match a constant): the destination first, as OVS reads it; a value that is not a field is a
         * constant.
         */
        private LearnSpec learnMatch(String label, Span part, Span keyText, Span value) {
            String key = keyText.text();
            if (key.indexOf('[') < 0 && Field.byName(key) == null) {
                throw fail(
                        label,
                        keyText,
                        "unknown learn argument '" + key + "' (table, priority, idle_timeout, hard_timeout,"
                                + " fin_idle_timeout, fin_hard_timeout, cookie, FIELD[], FIELD[]=FIELD[],"
                                + " FIELD=VALUE, load:SRC->DST[], output:FIELD[])");
            }
            SubField destination = subField(label, keyText);
            if (value == null || value.isEmpty()) {
                return new LearnSpec.MatchField(destination);
            }
            String s = value.text();
            if (s.indexOf('[') >= 0 || Field.byName(s) != null) {
                SubField source = subField(label, value);
                if (source.equals(destination)) {
                    return new LearnSpec.MatchField(destination);
                }
                LearnSpec.MatchFromField match = new LearnSpec.MatchFromField(destination, source);
                at(label, part, match::validate);
                return match;
            }
            if (destination.bits() > 64) {
                throw fail(label, value, destination + " has 128 bits: learn matches constants of up to 64");
            }
            if (destination.isWhole()) {
                Values.FieldValue constant = at(label, value, () -> Values.parse(destination.field(), key, s, false));
                return new LearnSpec.MatchValue(destination, constant.value());
            }
            BigInteger constant = constant(label, value, null);
            at(label, value, () -> Checks.fits(constant, destination.bits()));
            return new LearnSpec.MatchValue(destination, constant.longValue());
        }

        // ---- pieces of arguments

        /** Splits an argument at its top-level commas. */
        private static List<Span> split(Span arg) {
            List<Span> parts = new ArrayList<>();
            for (Token token : Tokenizer.actions(arg.text())) {
                parts.add(new Span(token.key(), arg.at() + token.position()));
            }
            return parts;
        }

        /** The two sides of {@code A->B}. */
        private Span[] arrow(String label, Span arg, String syntax) {
            int arrow = arg.text().indexOf("->");
            if (arrow < 0) {
                throw fail(label, arg, "expected " + syntax);
            }
            Span left = arg.sub(0, arrow);
            Span right = arg.sub(arrow + 2);
            if (left.isEmpty()) {
                throw fail(label, left, "nothing before '->' (expected " + syntax + ")");
            }
            if (right.isEmpty()) {
                throw fail(label, right, "nothing after '->' (expected " + syntax + ")");
            }
            return new Span[] {left, right};
        }

        private SubField subField(String label, Span span) {
            return at(label, span, () -> SubField.parse(span.text()));
        }

        private BigInteger constant(String label, Span span, String hintIfField) {
            String s = span.text();
            if (hintIfField != null && !isNumber(s) && (s.indexOf('[') >= 0 || Field.byName(s) != null)) {
                throw fail(label, span, hintIfField);
            }
            return at(label, span, () -> Values.number(s));
        }

        private static boolean isNumber(String s) {
            try {
                Values.number(s);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private long number(String label, Span span, long max, String what) {
            return at(label, span, () -> Values.number(span.text(), max, what));
        }

        private int table(String label, Span span) {
            return at(label, span, () -> {
                BigInteger value = Values.number(span.text());
                if (value.compareTo(BigInteger.valueOf(Checks.MAX_TABLE)) > 0) {
                    throw new IllegalArgumentException(
                            "table " + span.text() + " does not exist (tables are 0 to 254)");
                }
                return value.intValue();
            });
        }

        private long mac(String label, Span span) {
            return at(label, span, () -> MacAddress.parse(span.text()));
        }

        private int ipv4(String label, Span span) {
            return at(label, span, () -> Ipv4Address.parse(span.text()));
        }

        private Span need(String label, Span piece, String name, Span arg, String syntax) {
            if (arg == null || arg.isEmpty()) {
                throw fail(label, piece, name + " needs an argument (" + syntax + ")");
            }
            return arg;
        }

        private void none(String label, String name, Span arg) {
            if (arg != null && !arg.isEmpty()) {
                throw fail(label, arg, name + " takes no argument");
            }
        }

        /** Index of the ')' that closes the '(' at {@code open}, or -1. */
        private static int closing(String s, int open) {
            int depth = 0;
            for (int i = open; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return i;
                }
            }
            return -1;
        }

        /** Runs {@code check}, turning its complaint into an error pointing at {@code span}. */
        private void at(String label, Span span, Runnable check) {
            at(label, span, () -> {
                check.run();
                return null;
            });
        }

        private <T> T at(String label, Span span, Supplier<T> step) {
            try {
                return step.get();
            } catch (FlowParseException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw fail(label, span, e.getMessage());
            }
        }

        private FlowParseException fail(String label, Span span, String problem) {
            return new FlowParseException(
                    label + ": " + problem,
                    text,
                    span.at(),
                    Math.max(1, span.text().length()));
        }
    }
}
