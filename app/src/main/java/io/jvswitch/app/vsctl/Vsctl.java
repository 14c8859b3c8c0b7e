package io.jvswitch.app.vsctl;

import io.jvswitch.app.config.SwitchDb;
import io.jvswitch.app.config.SwitchDb.BridgeConfig;
import io.jvswitch.app.config.SwitchDb.PortConfig;
import io.jvswitch.datapath.show.OvsdbText;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelConfigException;
import io.jvswitch.tunnel.TunnelType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ovs-vsctl's command language over a {@link SwitchDb}: {@code add-br}, {@code del-br}, {@code add-port}, {@code
 * del-port}, {@code set}, {@code get}, {@code list-br}, {@code list-ports}, {@code list}, joined by {@code --} into
 * one transaction. A transaction applies whole or not at all, and is checked as a whole at its end — so {@code
 * add-port br-tun gre-1 -- set interface gre-1 type=gre options:remote_ip=198.18.0.2} is valid although the port is
 * briefly of no type. {@code --may-exist} and {@code --if-exists} work as in ovs-vsctl.
 */
public final class Vsctl {
    /** Interface types a port can have, as ovs-vsctl names them; "" is a system interface. */
    public static final Set<String> TYPES = Set.of("", "system", "internal", "tap", "patch", "gre", "vxlan", "gre-udp");

    private Vsctl() {}

    /** What a transaction produced: the new configuration and the text its commands printed. */
    public record Result(SwitchDb db, String output) {}

    /**
     * Runs the commands of one ovs-vsctl invocation against {@code db}.
     *
     * @throws VsctlException naming the command and what is wrong; nothing was applied
     */
    public static Result run(SwitchDb db, List<String> words) {
        List<List<String>> commands = split(words);
        if (commands.isEmpty()) {
            throw new VsctlException("missing command name (use --help for help)");
        }
        StringBuilder output = new StringBuilder();
        SwitchDb current = db;
        for (List<String> command : commands) {
            current = execute(current, command, output);
        }
        validate(current);
        return new Result(current, output.toString());
    }

    private static List<List<String>> split(List<String> words) {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String word : words) {
            if (word.equals("--")) {
                if (!current.isEmpty()) {
                    commands.add(current);
                }
                current = new ArrayList<>();
            } else {
                current.add(word);
            }
        }
        if (!current.isEmpty()) {
            commands.add(current);
        }
        return commands;
    }

    private static SwitchDb execute(SwitchDb db, List<String> command, StringBuilder output) {
        List<String> args = new ArrayList<>();
        boolean mayExist = false;
        boolean ifExists = false;
        for (String word : command) {
            if (args.isEmpty() && word.startsWith("--")) {
                switch (word) {
                    case "--may-exist" -> mayExist = true;
                    case "--if-exists" -> ifExists = true;
                    default ->
                        throw new VsctlException("unknown option " + word + " (options: --may-exist, --if-exists)");
                }
            } else {
                args.add(word);
            }
        }
        if (args.isEmpty()) {
            throw new VsctlException("missing command name after options");
        }
        String name = args.getFirst();
        List<String> operands = args.subList(1, args.size());
        return switch (name) {
            case "add-br" -> addBridge(db, operands, mayExist);
            case "del-br" -> deleteBridge(db, operands, ifExists);
            case "add-port" -> addPort(db, operands, mayExist);
            case "del-port" -> deletePort(db, operands, ifExists);
            case "set" -> set(db, operands);
            case "get" -> {
                get(db, operands, output);
                yield db;
            }
            case "list-br" -> {
                expect(name, operands, 0, 0, "");
                db.bridges().stream()
                        .map(BridgeConfig::name)
                        .sorted()
                        .forEach(b -> output.append(b).append('\n'));
                yield db;
            }
            case "list-ports" -> {
                expect(name, operands, 1, 1, "BRIDGE");
                BridgeConfig bridge = bridge(db, operands.getFirst());
                bridge.ports().stream()
                        .map(PortConfig::name)
                        .filter(port -> !port.equals(bridge.name()))
                        .sorted()
                        .forEach(port -> output.append(port).append('\n'));
                yield db;
            }
            case "br-exists" -> {
                expect(name, operands, 1, 1, "BRIDGE");
                if (db.bridge(operands.getFirst()) == null) {
                    throw new VsctlException("no bridge named " + operands.getFirst());
                }
                yield db;
            }
            case "list" -> {
                list(db, operands, output);
                yield db;
            }
            default ->
                throw new VsctlException("unknown command '" + name + "' (commands: add-br, del-br, add-port, del-port,"
                        + " set, get, list-br, list-ports, br-exists, list, show)");
        };
    }

    private static void expect(String command, List<String> operands, int min, int max, String usage) {
        if (operands.size() < min || operands.size() > max) {
            throw new VsctlException("'" + command + "' command requires " + (min == max ? "" : "at least ") + min
                    + " argument" + (min == 1 ? "" : "s") + ": " + command + " " + usage);
        }
    }

    private static BridgeConfig bridge(SwitchDb db, String name) {
        BridgeConfig bridge = db.bridge(name);
        if (bridge == null) {
            throw new VsctlException("no bridge named " + name);
        }
        return bridge;
    }

    private static SwitchDb addBridge(SwitchDb db, List<String> operands, boolean mayExist) {
        expect("add-br", operands, 1, 1, "BRIDGE");
        String name = checkName(operands.getFirst());
        if (db.bridge(name) != null) {
            if (mayExist) {
                return db;
            }
            throw new VsctlException(
                    "cannot create a bridge named " + name + " because a bridge named " + name + " already exists");
        }
        if (db.bridgeOfPort(name) != null) {
            throw new VsctlException("cannot create a bridge named " + name + " because a port named " + name
                    + " already exists on bridge " + db.bridgeOfPort(name).name());
        }
        return db.withBridge(
                BridgeConfig.named(name).withPort(PortConfig.named(name).withType("internal")));
    }

    private static SwitchDb deleteBridge(SwitchDb db, List<String> operands, boolean ifExists) {
        expect("del-br", operands, 1, 1, "BRIDGE");
        if (db.bridge(operands.getFirst()) == null) {
            if (ifExists) {
                return db;
            }
            throw new VsctlException("no bridge named " + operands.getFirst());
        }
        return db.withoutBridge(operands.getFirst());
    }

    private static SwitchDb addPort(SwitchDb db, List<String> operands, boolean mayExist) {
        if (operands.size() < 2) {
            throw new VsctlException("'add-port' command requires at least 2 arguments: add-port BRIDGE PORT"
                    + " [COLUMN[:KEY]=VALUE]...");
        }
        BridgeConfig bridge = bridge(db, operands.getFirst());
        String name = checkName(operands.get(1));
        BridgeConfig holder = db.bridgeOfPort(name);
        if (holder != null) {
            if (mayExist && holder.name().equals(bridge.name())) {
                return db;
            }
            throw new VsctlException("cannot create a port named " + name + " because a port named " + name
                    + " already exists on bridge " + holder.name());
        }
        if (db.bridge(name) != null) {
            throw new VsctlException(
                    "cannot create a port named " + name + " because a bridge named " + name + " already exists");
        }
        PortConfig port = PortConfig.named(name);
        for (String assignment : operands.subList(2, operands.size())) {
            port = setPortColumn(port, assignment);
        }
        return db.withBridge(bridge.withPort(port));
    }

    private static SwitchDb deletePort(SwitchDb db, List<String> operands, boolean ifExists) {
        expect("del-port", operands, 1, 2, "[BRIDGE] PORT");
        String name = operands.getLast();
        BridgeConfig bridge = operands.size() == 2 ? bridge(db, operands.getFirst()) : db.bridgeOfPort(name);
        if (bridge == null || bridge.port(name) == null) {
            if (ifExists) {
                return db;
            }
            throw new VsctlException(
                    operands.size() == 2
                            ? "bridge " + bridge.name() + " does not have a port " + name
                            : "no port named " + name);
        }
        if (name.equals(bridge.name())) {
            throw new VsctlException("cannot delete port " + name + " because it is the local port for bridge " + name
                    + " (deleting this port requires deleting the entire bridge)");
        }
        return db.withBridge(bridge.withoutPort(name));
    }

    private static String checkName(String name) {
        if (name.isEmpty() || name.length() > 15 || !name.matches("[A-Za-z0-9_.:-]+")) {
            throw new VsctlException("'" + name + "' is not a valid name: 1 to 15 letters, digits, '-', '_', '.' or"
                    + " ':' (it also names a kernel interface)");
        }
        return name;
    }

    /** {@code set TABLE RECORD COLUMN[:KEY]=VALUE...} on Bridge, Port or Interface. */
    private static SwitchDb set(SwitchDb db, List<String> operands) {
        if (operands.size() < 3) {
            throw new VsctlException(
                    "'set' command requires at least 3 arguments: set TABLE RECORD" + " COLUMN[:KEY]=VALUE...");
        }
        String table = operands.getFirst().toLowerCase(Locale.ROOT);
        String record = operands.get(1);
        List<String> assignments = operands.subList(2, operands.size());
        switch (table) {
            case "bridge" -> {
                BridgeConfig bridge = bridge(db, record);
                for (String assignment : assignments) {
                    String[] kv = assignment(assignment);
                    if (!kv[0].equals("fail_mode")) {
                        throw new VsctlException("Bridge has no writable column " + kv[0] + " here (fail_mode)");
                    }
                    if (!kv[1].equals("secure") && !kv[1].equals("standalone")) {
                        throw new VsctlException("fail_mode=" + kv[1] + ": expected secure or standalone");
                    }
                    bridge = bridge.withFailMode(kv[1]);
                }
                return db.withBridge(bridge);
            }
            case "port", "interface" -> {
                BridgeConfig bridge = db.bridgeOfPort(record);
                if (bridge == null) {
                    throw new VsctlException("no row \"" + record + "\" in table " + capitalized(table));
                }
                PortConfig port = bridge.port(record);
                for (String assignment : assignments) {
                    port = setPortColumn(port, assignment);
                }
                return db.withBridge(bridge.withPort(port));
            }
            default ->
                throw new VsctlException(
                        "unknown table \"" + operands.getFirst() + "\" (tables: Bridge, Port," + " Interface)");
        }
    }

    private static String capitalized(String table) {
        return Character.toUpperCase(table.charAt(0)) + table.substring(1);
    }

    /** Splits {@code column[:key]=value}, unquoting the value. */
    private static String[] assignment(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0) {
            throw new VsctlException("'" + text + "' is not COLUMN[:KEY]=VALUE");
        }
        return new String[] {text.substring(0, equals), unquote(text.substring(equals + 1))};
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    private static PortConfig setPortColumn(PortConfig port, String assignmentText) {
        String[] kv = assignment(assignmentText);
        String column = kv[0];
        String value = kv[1];
        if (column.startsWith("options:")) {
            Map<String, String> options = new TreeMap<>(port.options());
            options.put(column.substring("options:".length()), value);
            return port.withOptions(options);
        }
        return switch (column) {
            case "type" -> {
                if (!TYPES.contains(value)) {
                    throw new VsctlException("type=" + value + ": unknown interface type (types: system, internal, tap,"
                            + " patch, gre, vxlan, gre-udp)");
                }
                yield port.withType(value.equals("system") ? "" : value);
            }
            case "tag" -> {
                int tag;
                try {
                    tag = value.equals("[]") ? 0 : Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new VsctlException("tag=" + value + ": not a VLAN number");
                }
                if (tag < 0 || tag > 4094) {
                    throw new VsctlException("tag=" + value + ": a VLAN is 1 to 4094 ([] for none)");
                }
                yield port.withTag(tag);
            }
            case "options" -> port.withOptions(map(value));
            default ->
                throw new VsctlException(
                        "no writable column " + column + " (columns: type, options, options:KEY," + " tag)");
        };
    }

    /** ovsdb map syntax: {@code {key=value, key2="value2"}}. */
    private static Map<String, String> map(String text) {
        String body = text.strip();
        if (!body.startsWith("{") || !body.endsWith("}")) {
            throw new VsctlException("'" + text + "' is not a map ({key=value, ...})");
        }
        Map<String, String> map = new LinkedHashMap<>();
        body = body.substring(1, body.length() - 1).strip();
        if (body.isEmpty()) {
            return map;
        }
        for (String pair : body.split(",")) {
            String[] kv = assignment(pair.strip());
            map.put(kv[0], kv[1]);
        }
        return map;
    }

    private static void get(SwitchDb db, List<String> operands, StringBuilder output) {
        expect("get", operands, 3, 3, "TABLE RECORD COLUMN[:KEY]");
        String table = operands.getFirst().toLowerCase(Locale.ROOT);
        String record = operands.get(1);
        String column = operands.get(2);
        if (table.equals("bridge")) {
            BridgeConfig bridge = bridge(db, record);
            if (!column.equals("fail_mode")) {
                throw new VsctlException("Bridge has no column " + column + " here (fail_mode)");
            }
            output.append(bridge.failMode() == null ? "[]" : bridge.failMode()).append('\n');
            return;
        }
        BridgeConfig bridge = db.bridgeOfPort(record);
        if (bridge == null || !(table.equals("port") || table.equals("interface"))) {
            throw new VsctlException("no row \"" + record + "\" in table " + operands.getFirst());
        }
        PortConfig port = bridge.port(record);
        if (column.startsWith("options:")) {
            String value = port.options().get(column.substring(8));
            if (value == null) {
                throw new VsctlException(
                        "no key \"" + column.substring(8) + "\" in Interface record \"" + record + "\" column options");
            }
            output.append(OvsdbText.Quoting.CLASSIC.string(value)).append('\n');
            return;
        }
        output.append(
                        switch (column) {
                            case "type" -> port.type().isEmpty() ? "\"\"" : port.type();
                            case "tag" -> port.tag() == 0 ? "[]" : Integer.toString(port.tag());
                            case "options" -> OvsdbText.Quoting.CLASSIC.map(port.options());
                            case "name" -> OvsdbText.Quoting.CLASSIC.string(port.name());
                            default -> throw new VsctlException("no column " + column + " (type, tag, options, name)");
                        })
                .append('\n');
    }

    private static void list(SwitchDb db, List<String> operands, StringBuilder output) {
        expect("list", operands, 1, 2, "TABLE [RECORD]");
        String table = operands.getFirst().toLowerCase(Locale.ROOT);
        if (table.equals("bridge")) {
            listBridges(db, operands, output);
            return;
        }
        List<PortConfig> ports = new ArrayList<>();
        for (BridgeConfig bridge : db.bridges()) {
            for (PortConfig port : bridge.ports()) {
                if (operands.size() == 1 || port.name().equals(operands.get(1))) {
                    ports.add(port);
                }
            }
        }
        if (!table.equals("interface") && !table.equals("port")) {
            throw new VsctlException("list supports the Bridge, Port and Interface tables");
        }
        if (operands.size() == 2 && ports.isEmpty()) {
            throw new VsctlException("no row \"" + operands.get(1) + "\" in table " + operands.getFirst());
        }
        boolean first = true;
        for (PortConfig port : ports) {
            if (!first) {
                output.append('\n');
            }
            first = false;
            output.append(String.format("%-20s: %s%n", "name", OvsdbText.Quoting.CLASSIC.string(port.name())));
            if (table.equals("interface")) {
                output.append(String.format("%-20s: %s%n", "options", OvsdbText.Quoting.CLASSIC.map(port.options())));
                output.append(String.format("%-20s: %s%n", "type", port.type().isEmpty() ? "\"\"" : port.type()));
            } else {
                output.append(String.format("%-20s: %s%n", "tag", port.tag() == 0 ? "[]" : port.tag()));
            }
        }
    }

    /**
     * The Bridge table as {@code ovs-vsctl list bridge} prints it, with the columns jvswitch keeps: its ports are named
     * rather than given as row UUIDs, which jvswitch does not have.
     */
    private static void listBridges(SwitchDb db, List<String> operands, StringBuilder output) {
        List<BridgeConfig> bridges = db.bridges().stream()
                .filter(bridge -> operands.size() == 1 || bridge.name().equals(operands.get(1)))
                .toList();
        if (operands.size() == 2 && bridges.isEmpty()) {
            throw new VsctlException("no row \"" + operands.get(1) + "\" in table " + operands.getFirst());
        }
        boolean first = true;
        for (BridgeConfig bridge : bridges) {
            if (!first) {
                output.append('\n');
            }
            first = false;
            List<String> portNames =
                    bridge.ports().stream().map(PortConfig::name).sorted().toList();
            output.append(
                    String.format("%-20s: %s%n", "fail_mode", bridge.failMode() == null ? "[]" : bridge.failMode()));
            output.append(String.format("%-20s: %s%n", "name", OvsdbText.Quoting.CLASSIC.string(bridge.name())));
            output.append(String.format(
                    "%-20s: [%s]%n",
                    "ports",
                    String.join(
                            ", ",
                            portNames.stream()
                                    .map(OvsdbText.Quoting.CLASSIC::string)
                                    .toList())));
        }
    }

    /** Checks a finished transaction: every port's type and options must make sense together. */
    public static void validate(SwitchDb db) {
        for (BridgeConfig bridge : db.bridges()) {
            for (PortConfig port : bridge.ports()) {
                String type = port.type();
                switch (type) {
                    case "patch" -> {
                        if (!port.options().containsKey("peer")
                                || port.options().size() != 1) {
                            throw new VsctlException(port.name() + ": a patch interface takes exactly options:peer");
                        }
                    }
                    case "gre", "vxlan", "gre-udp" -> {
                        try {
                            TunnelConfig.fromOptions(TunnelType.parse(type), port.options());
                        } catch (TunnelConfigException e) {
                            throw new VsctlException(port.name() + ": " + e.getMessage());
                        }
                    }
                    default -> {
                        if (!port.options().isEmpty()) {
                            throw new VsctlException(port.name() + ": a " + (type.isEmpty() ? "system" : type)
                                    + " interface takes no options");
                        }
                    }
                }
                if (port.tag() != 0 && !type.isEmpty() && !type.equals("internal") && !type.equals("tap")) {
                    throw new VsctlException(port.name() + ": a " + type + " port is a trunk and takes no tag");
                }
            }
        }
    }
}
