package io.jvswitch.app.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jvswitch.agent.Changes;
import io.jvswitch.agent.HostState;
import io.jvswitch.agent.TunnelAgent;
import io.jvswitch.app.config.ConfigStore;
import io.jvswitch.app.config.SwitchDb;
import io.jvswitch.app.config.SwitchDb.AgentConfig;
import io.jvswitch.app.config.SwitchDb.BridgeConfig;
import io.jvswitch.app.config.SwitchDb.PortConfig;
import io.jvswitch.app.vsctl.Vsctl;
import io.jvswitch.app.vsctl.VsctlException;
import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.io.DatapathThread;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.datapath.show.DatapathFlows;
import io.jvswitch.datapath.show.DumpFlows;
import io.jvswitch.datapath.show.VsctlShow;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.table.FlowDiff;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowModException;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.FlowKeyParser;
import io.jvswitch.ofproto.text.FlowParseException;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.text.RuleFormatter;
import io.jvswitch.ofproto.xlate.Translator;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The running switch: a datapath on its {@link DatapathThread}, configured from a {@link ConfigStore}, changed only
 * by whole requests. Every change is checked, applied to the datapath (put back if any part fails), then written to
 * the store atomically before it is answered, so a daemon killed at any moment restarts with what it last
 * confirmed.
 *
 * <p>Start order, as Open vSwitch's {@code flow-restore-wait}: forwarding off, bridges, ports and flows (and the tunnel
 * agent's state) restored, forwarding on. Requests are served one at a time; all datapath work goes through {@link
 * DatapathThread#submit}.
 *
 * <p>The stored flows follow the switch ({@link StoredFlows}): a user's flow that the switch removes because its idle or
 * hard timeout passed leaves the store too. The datapath thread only notes what expired; the timer thread writes the
 * store, once for all the flows that expired together, so that no file is written between packets. A flow with a hard
 * timeout is restored after a restart with the time it had left, or not at all once its deadline has passed.
 */
public final class SwitchDaemon implements AutoCloseable {
    /** How the read commands answer. */
    public enum Format {
        TEXT,
        JSON
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final System.Logger LOG = System.getLogger(SwitchDaemon.class.getName());
    private static final Set<String> AGENT_BRIDGES = Set.of(TunnelAgent.INTEGRATION_BRIDGE, TunnelAgent.TUNNEL_BRIDGE);

    private final ConfigStore store;
    private final DatapathRuntime runtime;
    private final DatapathThread thread;
    private final BridgeReconciler reconciler;
    private final ScheduledExecutorService timers;
    private final InstantSource clock;
    private final Consumer<String> log;
    /** Flows the switch expired, noted on the datapath thread for {@link #forgetExpired} to drop from the store. */
    private final Queue<Expired> expired = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean forgetScheduled = new AtomicBoolean();
    private SwitchDb db;
    private TunnelAgent agent;

    /** Flows a bridge's tables expired together (learned ones too: the store has none of them). */
    private record Expired(String bridge, List<Rule> rules) {}

    private SwitchDaemon(
            ConfigStore store,
            DatapathRuntime runtime,
            DatapathThread thread,
            SwitchDb db,
            InstantSource clock,
            Consumer<String> log) {
        this.store = store;
        this.runtime = runtime;
        this.thread = thread;
        this.db = db;
        this.clock = clock;
        this.log = log;
        this.reconciler = new BridgeReconciler(thread.datapath(), runtime.devicePorts(), this::flowsExpired);
        this.timers = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread timer = new Thread(task, "jvs-timers");
            timer.setDaemon(true);
            return timer;
        });
    }

    /**
     * Loads the store, starts the runtime's datapath thread and restores the configuration with forwarding held off.
     *
     * @param log hears one line per start step
     * @throws IOException when the store cannot be read or is not a valid configuration (the message names the file
     *     and what is wrong): the daemon must not start over a database it would then overwrite
     */
    public static SwitchDaemon start(ConfigStore store, DatapathRuntime runtime, Consumer<String> log)
            throws IOException {
        return start(store, runtime, InstantSource.system(), log);
    }

    /**
     * As {@link #start(ConfigStore, DatapathRuntime, Consumer)}, on {@code clock}: the wall clock for a switch, a
     * virtual one for tests of timeouts (which call {@link #runTimers} when they move it). Flow times, ages and the
     * hard deadlines kept in the store all come from it.
     */
    public static SwitchDaemon start(
            ConfigStore store, DatapathRuntime runtime, InstantSource clock, Consumer<String> log) throws IOException {
        SwitchDb loaded = store.load();
        check(store, loaded);
        DatapathThread thread = runtime.start(clock);
        thread.forwarding(false);
        SwitchDaemon daemon = new SwitchDaemon(store, runtime, thread, loaded, clock, log);
        try {
            daemon.restore();
        } catch (IOException | RuntimeException e) {
            thread.close();
            throw e;
        }
        thread.forwarding(true);
        log.accept("forwarding on");
        daemon.timers.scheduleAtFixedRate(daemon::runTimersInBackground, 1, 1, TimeUnit.SECONDS);
        return daemon;
    }

    /** A database that no longer passes vsctl's checks (edited by hand, say) is refused, not half-applied. */
    private static void check(ConfigStore store, SwitchDb db) throws IOException {
        try {
            UUID.fromString(db.uuid());
            Vsctl.validate(db);
            for (BridgeConfig bridge : db.bridges()) {
                StoredFlows.parse(bridge);
            }
            if (db.agent() != null) {
                HostFile.state(JSON.valueToTree(db.agent().host()), "agent");
            }
        } catch (IllegalArgumentException | DaemonException e) {
            throw new IOException(store.file() + ": not a valid jvswitch configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Restores the stored configuration, less the flows whose hard timeout passed while the daemon was stopped; the
     * store is written again when that (or a hard deadline it lacked) changed it.
     */
    private synchronized void restore() throws IOException {
        SwitchDb loaded = db;
        List<String> notRestored = new ArrayList<>();
        long now = clock.millis();
        for (BridgeConfig bridge : loaded.bridges()) {
            StoredFlows.Restore restore = StoredFlows.Restore.of(bridge, now);
            db = db.withBridge(restore.bridge());
            restore.expired()
                    .forEach(line -> notRestored.add(
                            bridge.name() + ": " + line + " (hard deadline " + bridge.hardDeadline(line) + ")"));
        }
        int ports = db.bridges().stream().mapToInt(b -> b.ports().size() - 1).sum();
        int flows = db.bridges().stream().mapToInt(b -> b.flows().size()).sum();
        SwitchDb restored = db;
        onDatapathIo(() -> {
            reconciler.apply(restored);
            return null;
        });
        log.accept("restored " + counted(db.bridges().size(), "bridge") + ", " + counted(ports, "port") + " and "
                + counted(flows, "flow") + " from "
                + store.file());
        notRestored.forEach(line -> log.accept("not restored, its hard timeout passed while stopped: " + line));
        if (!db.equals(loaded)) {
            store.save(db);
        }
        if (db.agent() != null) {
            try {
                HostState state = HostFile.state(JSON.valueToTree(db.agent().host()), "agent");
                agent = new TunnelAgent(
                        datapath(), UUID.fromString(db.uuid()), db.agent().cookie(), runtime.vmPorts());
                onDatapath(() -> agent.apply(state));
            } catch (DaemonException e) {
                throw new IOException(store.file() + ": the tunnel agent's state cannot be applied: " + e.getMessage());
            }
            log.accept("tunnel agent state restored");
        }
    }

    /** The datapath thread; tests and the runtime's packet I/O reach the datapath through it. */
    public DatapathThread thread() {
        return thread;
    }

    public DatapathRuntime runtime() {
        return runtime;
    }

    private Datapath datapath() {
        return thread.datapath();
    }

    /** The configuration as last written. */
    public synchronized SwitchDb db() {
        return db;
    }

    /**
     * Runs the datapath's timers now (counters, flow expiry, MAC ageing) and writes the store without the flows that
     * expired before returning. The daemon runs them every second by itself; a test on a virtual clock calls this after
     * moving the clock.
     */
    public void runTimers() throws DaemonException {
        onDatapath(() -> {
            datapath().runTimers();
            return null;
        });
        try {
            forgetExpired();
        } catch (IOException e) {
            throw new DaemonException("cannot write " + store.file() + ": " + e.getMessage(), e);
        }
    }

    private void runTimersInBackground() {
        if (!thread.runsTimers()) { // the epoll forwarder runs them in its loop: once a second is enough
            thread.submit(() -> {
                datapath().runTimers();
                return null;
            });
        }
        if (!expired.isEmpty()) {
            scheduleForget(); // what a write that failed left behind
        }
    }

    // --------------------------------------------------------------------------------------------------------- expiry

    /** From a bridge's flow tables, on the datapath thread: notes what expired and leaves the writing to the timers. */
    private void flowsExpired(String bridge, List<Rule> rules) {
        expired.add(new Expired(bridge, rules));
        scheduleForget();
    }

    private void scheduleForget() {
        if (forgetScheduled.compareAndSet(false, true)) {
            try {
                timers.execute(() -> {
                    forgetScheduled.set(false);
                    try {
                        forgetExpired();
                    } catch (IOException | RuntimeException e) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "cannot remove expired flows from " + store.file() + " (will try again): " + e);
                    }
                });
            } catch (RejectedExecutionException closing) {
                forgetScheduled.set(false); // close() writes what is left
            }
        }
    }

    /**
     * Drops from the store the users' flows that the switch expired, in one write for all of them; learned flows were
     * never stored. A flow that is back in the switch as it is stored (added again since it expired) stays. The drop
     * is the del-flows --strict of each flow on the stored flows, through {@link StoredFlows#change}, as every other
     * change to them; the switch has removed the flows already. When the write fails, the flows are noted again for
     * the next try.
     */
    private synchronized void forgetExpired() throws IOException {
        List<Expired> batch = new ArrayList<>();
        for (Expired next; (next = expired.poll()) != null; ) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        Map<String, List<Rule>> byBridge = new LinkedHashMap<>();
        batch.forEach(each -> byBridge.computeIfAbsent(each.bridge(), name -> new ArrayList<>())
                .addAll(each.rules()));
        SwitchDb next = db;
        List<String> forgotten = new ArrayList<>();
        try {
            for (Map.Entry<String, List<Rule>> entry : byBridge.entrySet()) {
                BridgeConfig config = next.bridge(entry.getKey());
                if (config == null) {
                    continue;
                }
                Map<FlowDiff.Key, FlowMod> stored = FlowDiff.byKey(StoredFlows.parse(config));
                List<FlowMod> candidates = entry.getValue().stream()
                        .map(rule -> stored.get(FlowDiff.key(FlowDiff.flowOf(rule))))
                        .filter(flow -> flow != null)
                        .distinct()
                        .toList();
                if (candidates.isEmpty()) {
                    continue;
                }
                List<FlowMod> gone = onDatapath(() -> notInSwitch(config.name(), candidates));
                if (gone.isEmpty()) {
                    continue;
                }
                List<FlowMod> deletes = gone.stream()
                        .map(flow -> flow.withCommand(FlowMod.Command.DELETE_STRICT))
                        .toList();
                next = next.withBridge(StoredFlows.change(config, deletes, false, clock));
                gone.forEach(flow -> forgotten.add(config.name() + ": " + RuleFormatter.addFlowLine(flow)));
            }
            if (next.equals(db)) {
                return;
            }
            store.save(next);
        } catch (DaemonException e) {
            expired.addAll(batch);
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            expired.addAll(batch);
            throw e;
        }
        db = next;
        log.accept("removed " + counted(forgotten.size(), "expired flow") + " from " + store.file() + ": "
                + String.join("; ", forgotten));
    }

    /** Of these stored flows, those the bridge does not hold as stored now: on the datapath thread. */
    private List<FlowMod> notInSwitch(String bridgeName, List<FlowMod> flows) {
        Bridge bridge = datapath().bridge(bridgeName);
        List<FlowMod> gone = new ArrayList<>();
        for (FlowMod flow : flows) {
            List<Rule> now =
                    bridge == null ? List.of() : bridge.tables().rules(flow.withCommand(FlowMod.Command.DELETE_STRICT));
            if (now.isEmpty() || !FlowDiff.same(FlowDiff.flowOf(now.getFirst()), flow)) {
                gone.add(flow);
            }
        }
        return gone;
    }

    // ---------------------------------------------------------------------------------------------------------- vsctl

    /**
     * Runs one ovs-vsctl invocation: {@code show}, or a transaction of {@code --}-joined commands that applies whole
     * or not at all.
     */
    public synchronized String vsctl(List<String> words, Format format) throws DaemonException {
        // "show" alone or as a one-command transaction ("-- show"), as ovs-vsctl takes it.
        if (words.stream().filter(word -> !word.equals("--")).toList().equals(List.of("show"))) {
            return onDatapath(() -> format == Format.JSON
                    ? json(SwitchViews.showJson(db.uuid(), datapath()))
                    : VsctlShow.render(UUID.fromString(db.uuid()), datapath()));
        }
        Vsctl.Result result;
        try {
            result = Vsctl.run(db, words);
        } catch (VsctlException e) {
            throw new DaemonException(withAgentHint(e.getMessage()));
        }
        SwitchDb next = result.db();
        if (next.equals(db)) {
            return result.output();
        }
        checkAgentBridges(next);
        checkDevices(next);
        SwitchDb previous = db;
        try {
            onDatapathIo(() -> {
                reconciler.apply(next);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            throw new DaemonException(e.getMessage(), e);
        }
        try {
            store.save(next);
        } catch (IOException e) {
            try {
                onDatapathIo(() -> {
                    reconciler.apply(previous);
                    return null;
                });
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
            throw new DaemonException("cannot write " + store.file() + ": " + e.getMessage(), e);
        }
        db = next;
        return result.output();
    }

    private String withAgentHint(String message) {
        for (String bridge : AGENT_BRIDGES) {
            if (agent != null && message.equals("no bridge named " + bridge)) {
                return message + " made with vsctl: " + bridge + " belongs to the tunnel agent (change it with jvs"
                        + " agent)";
            }
        }
        return message;
    }

    private void checkAgentBridges(SwitchDb next) throws DaemonException {
        if (db.agent() == null) {
            return;
        }
        for (BridgeConfig bridge : next.bridges()) {
            if (AGENT_BRIDGES.contains(bridge.name())) {
                throw new DaemonException("cannot create a bridge named " + bridge.name()
                        + " because the tunnel agent has one (change it with jvs agent)");
            }
        }
    }

    /** Refuses, before anything changes, a tap or system port this runtime cannot open. */
    private void checkDevices(SwitchDb next) throws DaemonException {
        DevicePorts devices = runtime.devicePorts();
        for (BridgeConfig bridge : next.bridges()) {
            for (PortConfig port : bridge.ports()) {
                if (port.name().equals(bridge.name()) || !BridgeReconciler.isDevice(port.type())) {
                    continue;
                }
                String type = BridgeReconciler.deviceType(port.type());
                if (!devices.types().contains(type)) {
                    throw new DaemonException(port.name() + ": cannot create a " + type + " interface with the "
                            + runtime.name() + " datapath: " + devices.whyNot(type));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------- ofctl

    /**
     * Changes a bridge's flows as ovs-ofctl's add-flow(s), mod-flows and del-flows do; all the flows or none.
     *
     * @param flows flow texts (for del-flows, matches; none deletes every flow)
     * @param source how parse errors name the flows' origin (a file name, or "flow")
     */
    public synchronized String modifyFlows(
            String bridgeName, FlowMod.Command command, List<String> flows, String source) throws DaemonException {
        List<String> lines = flows.isEmpty() && isDelete(command) ? List.of("") : flows;
        List<FlowMod> mods = parseFlows(lines, command, source);
        return changeFlows(bridgeName, mods, false);
    }

    /** ovs-ofctl replace-flows: the bridge holds exactly {@code flows} afterwards; unchanged flows keep counters. */
    public synchronized String replaceFlows(String bridgeName, List<String> flows, String source)
            throws DaemonException {
        return changeFlows(bridgeName, parseFlows(flows, FlowMod.Command.ADD, source), true);
    }

    private static boolean isDelete(FlowMod.Command command) {
        return command == FlowMod.Command.DELETE || command == FlowMod.Command.DELETE_STRICT;
    }

    private static List<FlowMod> parseFlows(List<String> lines, FlowMod.Command command, String source)
            throws DaemonException {
        try {
            if (lines.size() == 1) {
                return List.of(FlowParser.parse(lines.getFirst(), command));
            }
            return FlowParser.parseLines(lines, command, source);
        } catch (FlowParseException e) {
            throw new DaemonException(e.getMessage(), e);
        }
    }

    private String changeFlows(String bridgeName, List<FlowMod> mods, boolean replace) throws DaemonException {
        BridgeConfig config = db.bridge(bridgeName);
        if (config == null) {
            if (agent != null && AGENT_BRIDGES.contains(bridgeName)) {
                throw new DaemonException(bridgeName + "'s flows belong to the tunnel agent, which rewrites them"
                        + " (change its host file with jvs agent)");
            }
            throw new DaemonException(bridgeName + " is not a bridge");
        }
        // The stored flows, changed in a table of their own: learned flows and counters stay out of the store.
        BridgeConfig changed;
        try {
            changed = StoredFlows.change(config, mods, replace, clock);
        } catch (FlowModException e) {
            throw new DaemonException(bridgeName + ": " + e.getMessage(), e);
        }
        SwitchDb next = db.withBridge(changed);
        onDatapath(() -> {
            Bridge bridge = datapath().bridge(bridgeName);
            if (replace) {
                bridge.tables().replaceAll(mods);
            } else {
                bridge.tables().applyAll(mods);
            }
            return null;
        });
        try {
            store.save(next);
        } catch (IOException e) {
            onDatapath(() -> {
                StoredFlows.restoreInto(datapath().bridge(bridgeName).tables(), config);
                return null;
            });
            throw new DaemonException("cannot write " + store.file() + ": " + e.getMessage(), e);
        }
        db = next;
        return "";
    }

    /** ovs-ofctl dump-flows, of every flow or those within {@code match} (null for all). */
    public synchronized String dumpFlows(String bridgeName, String match, Format format) throws DaemonException {
        FlowMod filter = match == null
                ? null
                : parseFlows(List.of(match), FlowMod.Command.DELETE, "match").getFirst();
        return onDatapath(() -> {
            Bridge bridge = bridge(bridgeName);
            // The caches credit flows with their packets once a second; a dump right after traffic (a ping that just
            // ended) credits them now, so that its counters are the packets seen so far.
            datapath().pushStats();
            List<Rule> rules =
                    filter == null ? bridge.tables().rules() : bridge.tables().rules(filter);
            long now = bridge.tables().clock().millis();
            if (format == Format.JSON) {
                return json(SwitchViews.flowsJson(bridgeName, rules, now));
            }
            if (filter == null) {
                return DumpFlows.render(bridge);
            }
            StringBuilder out = new StringBuilder(DumpFlows.HEADER).append('\n');
            rules.forEach(rule -> out.append(RuleFormatter.dumpLine(rule, now)).append('\n'));
            return out.toString();
        });
    }

    /** A bridge's flows as add-flow lines, what diff-flows compares when given a bridge. */
    public synchronized List<String> flowLines(String bridgeName) throws DaemonException {
        return onDatapath(() -> bridge(bridgeName).tables().rules().stream()
                .map(rule -> RuleFormatter.addFlowLine(FlowDiff.flowOf(rule)))
                .toList());
    }

    /** ovs-ofctl dump-ports. */
    public synchronized String dumpPorts(String bridgeName, Format format) throws DaemonException {
        return onDatapath(() -> {
            Bridge bridge = bridge(bridgeName);
            return format == Format.JSON ? json(SwitchViews.dumpPortsJson(bridge)) : SwitchViews.dumpPorts(bridge);
        });
    }

    /** The bridge, on the datapath thread; a missing one is refused as ovs-ofctl refuses it. */
    private Bridge bridge(String name) throws DaemonException {
        Bridge bridge = datapath().bridge(name);
        if (bridge == null) {
            throw new DaemonException(name + " is not a bridge");
        }
        return bridge;
    }

    // --------------------------------------------------------------------------------------------------------- appctl

    // -------------------------------------------------------------------------------------------------------- capture

    /**
     * ovs-tcpdump's view of a port: copies of the next {@code count} frames it receives or sends, as the bridge sees
     * them (a tunnel port's inner frames), waiting at most {@code timeout} for them. Not serialized with the other
     * requests: the switch can be configured while a capture waits. One capture per port at a time: a new one ends
     * the one before, which returns what it has.
     */
    public List<PortCapture.Frame> capture(String portName, int count, Duration timeout)
            throws DaemonException, InterruptedException {
        if (count < 1 || count > PortCapture.MAX_COUNT) {
            throw new DaemonException("capture: count must be 1 to " + PortCapture.MAX_COUNT + ", not " + count);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(PortCapture.MAX_TIME) > 0) {
            throw new DaemonException("capture: seconds must be 1 to " + PortCapture.MAX_TIME.toSeconds() + ", not "
                    + timeout.toSeconds());
        }
        PortCapture capture = new PortCapture(count, clock);
        Port port = onDatapath(() -> {
            Port found = datapath().findPort(portName);
            if (found == null) {
                throw new DaemonException("capture: " + portName + " is not a port");
            }
            // A capture whose client went away (Ctrl-C) would hold the port until its time is up: a new one ends it.
            if (found.capture() instanceof PortCapture earlier) {
                earlier.end();
            }
            found.capture(capture);
            return found;
        });
        try {
            return capture.await(timeout);
        } finally {
            onDatapath(() -> {
                if (port.capture() == capture) {
                    port.capture(null);
                }
                return null;
            });
        }
    }

    /** {@code 1 bridge}, {@code 2 bridges}. */
    private static String counted(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** The ovs-appctl commands the daemon answers. */
    private static final String APPCTL_COMMANDS = "ofproto/trace, fdb/show, tnl/ports/show, dpif/show-drops,"
            + " dpctl/show, dpctl/dump-flows, dpif/dump-flows";

    /**
     * ovs-appctl's commands: ofproto/trace, fdb/show, tnl/ports/show, dpif/show-drops, and the datapath's own view:
     * dpctl/show (lookups and ports), dpctl/dump-flows and dpif/dump-flows BRIDGE (the cached megaflows).
     */
    public synchronized String appctl(List<String> args, Format format) throws DaemonException {
        if (args.isEmpty()) {
            throw new DaemonException("missing command (commands: " + APPCTL_COMMANDS + ")");
        }
        String command = args.getFirst();
        List<String> operands = args.subList(1, args.size());
        return switch (command) {
            case "ofproto/trace" -> {
                expect(command, operands, 2, "BRIDGE FLOW");
                FlowKey key;
                try {
                    key = FlowKeyParser.parse(operands.get(1));
                } catch (FlowParseException e) {
                    throw new DaemonException("ofproto/trace: FLOW: " + e.getMessage(), e);
                }
                yield onDatapath(() -> {
                    StringBuilder trace = new StringBuilder();
                    Translator.traceWithoutLearning(bridge(operands.getFirst()), key, trace);
                    return trace.toString();
                });
            }
            case "fdb/show" -> {
                expect(command, operands, 1, "BRIDGE");
                yield onDatapath(() -> {
                    Bridge bridge = bridge(operands.getFirst());
                    long now = datapath().clock().millis();
                    return format == Format.JSON
                            ? json(SwitchViews.fdbJson(bridge, now))
                            : SwitchViews.fdb(bridge, now);
                });
            }
            case "tnl/ports/show" -> {
                expect(command, operands, 0, "");
                yield onDatapath(() -> format == Format.JSON
                        ? json(SwitchViews.tunnelPortsJson(datapath()))
                        : SwitchViews.tunnelPorts(datapath()));
            }
            case "dpif/show-drops" -> {
                expect(command, operands, 0, "");
                yield onDatapath(() -> format == Format.JSON
                        ? json(SwitchViews.dropsJson(datapath()))
                        : SwitchViews.drops(datapath()));
            }
            case "dpctl/show" -> {
                expect(command, operands, 0, "");
                yield onDatapath(() -> DatapathFlows.show(datapath()));
            }
            case "dpctl/dump-flows" -> {
                expect(command, operands, 0, "");
                yield onDatapath(() ->
                        DatapathFlows.dumpFlows(datapath(), datapath().clock().millis()));
            }
            case "dpif/dump-flows" -> {
                expect(command, operands, 1, "BRIDGE");
                yield onDatapath(() -> DatapathFlows.dumpFlows(
                        bridge(operands.getFirst()), datapath().clock().millis()));
            }
            default ->
                throw new DaemonException("unknown command '" + command + "' (commands: " + APPCTL_COMMANDS + ")");
        };
    }

    private static void expect(String command, List<String> operands, int count, String usage) throws DaemonException {
        if (operands.size() != count) {
            throw new DaemonException(command + " takes " + (count == 0 ? "no arguments" : usage) + ", not "
                    + (operands.isEmpty() ? "none" : String.join(" ", operands)));
        }
    }

    // ---------------------------------------------------------------------------------------------------------- agent

    /**
     * Gives the tunnel agent a host's desired state, which it applies (changing only what differs) and the store
     * keeps, so a restarted daemon applies it again.
     *
     * @param host the host file as a tree ({@link HostFile#read})
     */
    public synchronized String agent(JsonNode host, String source) throws DaemonException {
        HostState state = HostFile.state(host, source);
        for (String bridge : AGENT_BRIDGES) {
            if (db.bridge(bridge) != null) {
                throw new DaemonException("bridge " + bridge + " was made with vsctl; the tunnel agent makes its own"
                        + " (jvs vsctl del-br " + bridge + " first)");
            }
        }
        long cookie = db.agent() != null ? db.agent().cookie() : randomCookie();
        Map<String, Object> tree = JSON.convertValue(host, new TypeReference<Map<String, Object>>() {});
        SwitchDb next = db.withAgent(new AgentConfig(cookie, tree));
        boolean fresh = agent == null;
        if (fresh) {
            agent = new TunnelAgent(datapath(), UUID.fromString(db.uuid()), cookie, runtime.vmPorts());
        }
        HostState previous = agent.state();
        Changes changes;
        try {
            changes = onDatapath(() -> agent.apply(state));
        } catch (DaemonException e) {
            if (fresh) {
                agent = null;
            }
            throw e;
        }
        try {
            store.save(next);
        } catch (IOException e) {
            if (previous != null) {
                onDatapath(() -> agent.apply(previous));
            }
            throw new DaemonException("cannot write " + store.file() + ": " + e.getMessage(), e);
        }
        db = next;
        return describe(changes);
    }

    private static String describe(Changes changes) {
        if (changes.isEmpty()) {
            return "no changes\n";
        }
        List<String> lines = new ArrayList<>();
        changes.portsAdded().forEach(port -> lines.add("added port " + port));
        changes.portsRemoved().forEach(port -> lines.add("removed port " + port));
        lines.add("br-tun flows: " + changes.flowsAdded() + " added, " + changes.flowsModified() + " modified, "
                + changes.flowsDeleted() + " deleted, " + changes.learnedFlowsDeleted() + " learned deleted");
        return String.join("\n", lines) + "\n";
    }

    private static long randomCookie() {
        SecureRandom random = new SecureRandom();
        long value;
        do {
            value = random.nextLong();
        } while (value == 0);
        return value;
    }

    // ----------------------------------------------------------------------------------------------------- plumbing

    /** A task the datapath may refuse with a {@link DaemonException} or a datapath complaint. */
    @FunctionalInterface
    private interface DatapathTask<T> {
        T call() throws DaemonException;
    }

    /** Runs {@code task} on the datapath thread and waits; its refusal or failure comes back as a refusal. */
    private <T> T onDatapath(DatapathTask<T> task) throws DaemonException {
        try {
            return thread.submit((Callable<T>) task::call).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DaemonException refused) {
                throw refused;
            }
            if (cause instanceof IllegalArgumentException) { // the datapath, the agent and flow tables refuse so
                throw new DaemonException(cause.getMessage(), cause);
            }
            throw e;
        }
    }

    /** Runs a task that does I/O (opening devices) on the datapath thread and waits. */
    private <T> T onDatapathIo(Callable<T> task) throws IOException {
        try {
            return thread.submit(task).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtimeFailure) {
                throw runtimeFailure;
            }
            throw e;
        }
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree we built always writes
        }
    }

    /**
     * Stops the timers and the datapath thread; the store already holds everything, but for flows that expired just
     * now, which it drops first.
     */
    @Override
    public void close() {
        timers.shutdownNow();
        try {
            forgetExpired();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove expired flows from " + store.file() + ": " + e);
        }
        thread.close();
    }
}
