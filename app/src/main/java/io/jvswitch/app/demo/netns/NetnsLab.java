package io.jvswitch.app.demo.netns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.app.control.ControlClient;
import io.jvswitch.app.daemon.DaemonException;
import io.jvswitch.app.daemon.HostFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The tutorial's network on real kernels: an underlay namespace holding a Linux bridge, three hypervisor namespaces
 * joined to it by veth pairs ({@code eth0}, 198.18.0.1/.2/.3 /24), one {@code jvs daemon} process per hypervisor
 * started inside its namespace and configured by the tunnel agent from a host file, and one namespace per VM holding
 * the TAP device its host's daemon made for it. Used by {@code jvs demo --netns} and the privileged tests.
 *
 * <p>Everything it makes is its own: namespaces named after this process, addresses from 198.18.0.0/24 and the
 * tenant's 10.0.0.0/24 only inside them, daemons it holds by their {@link Process} handle, a temporary folder for
 * their databases and sockets. {@link #close} undoes all of it, even halfway through {@link #start}, and may be
 * called from a shutdown hook while another thread works.
 */
public final class NetnsLab implements AutoCloseable {
    /** The hypervisors, in the tutorial's order. */
    public static final List<String> HOSTS = List.of("host1", "host2", "host3");

    /** The multicast group VXLAN VTEPs join in {@link Kind#VXLAN_MULTICAST}. */
    public static final String VXLAN_GROUP = "239.1.1.1";

    /** How long a daemon may take to say it listens (a cold JVM on a busy CI machine). */
    private static final Duration DAEMON_START = Duration.ofSeconds(90);

    /** How long the daemon may take to make a VM's TAP device once it was asked to. */
    private static final Duration TAP_APPEARS = Duration.ofSeconds(30);

    /** The tunnels tenant networks ride in. */
    public enum Kind {
        GRE("gre"),
        VXLAN("vxlan"),
        VXLAN_MULTICAST("vxlan-multicast");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The word {@code jvs demo} takes for it. */
        public String word() {
            return word;
        }

        /** The kind {@code word} names, or null. */
        public static Kind parse(String word) {
            for (Kind kind : values()) {
                if (kind.word.equals(word)) {
                    return kind;
                }
            }
            return null;
        }

        String networkType() {
            return this == GRE ? "gre" : "vxlan";
        }

        /** The VMs' MTU the agent gives their TAP devices over a 1500-byte underlay. */
        public int vmMtu() {
            return this == GRE ? 1458 : 1450;
        }
    }

    /** A tenant network: its name and its tunnel id (GRE key or VNI). */
    public record Tenant(String name, long segmentationId) {}

    /** A VM: its name (also its TAP device's, so at most 15 characters), host, network, MAC and address. */
    public record VmPlan(String name, String host, String network, String mac, String ip) {
        public VmPlan {
            if (name.length() > 15) {
                throw new IllegalArgumentException("VM name " + name + " is longer than an interface name may be");
            }
        }
    }

    /** What to build: the tunnel kind, br-tun's layout, the tenant networks and the VMs. */
    public record Plan(Kind kind, String layout, List<Tenant> tenants, List<VmPlan> vms) {
        /** The tutorial's: network net1 (0x1388), VM1 on host1, VM2 on host2. */
        public static Plan tutorial(Kind kind, String layout) {
            return new Plan(
                    kind,
                    layout,
                    List.of(new Tenant("net1", 0x1388)),
                    List.of(
                            new VmPlan("vm1", "host1", "net1", "fa:16:3e:00:00:01", "10.0.0.1"),
                            new VmPlan("vm2", "host2", "net1", "fa:16:3e:1f:19:55", "10.0.0.2")));
        }

        /**
         * Two tenants with the same addresses on the same hosts: net1 (0x1388) holds vm1 and vm2 as the tutorial's,
         * net2 (0x1389) holds vm3 (10.0.0.1 on host1) and vm4 (10.0.0.2 on host2); only MACs and networks differ.
         */
        public static Plan twoTenants(Kind kind) {
            return new Plan(
                    kind,
                    "tutorial",
                    List.of(new Tenant("net1", 0x1388), new Tenant("net2", 0x1389)),
                    List.of(
                            new VmPlan("vm1", "host1", "net1", "fa:16:3e:00:00:01", "10.0.0.1"),
                            new VmPlan("vm2", "host2", "net1", "fa:16:3e:1f:19:55", "10.0.0.2"),
                            new VmPlan("vm3", "host1", "net2", "fa:16:3e:00:00:b1", "10.0.0.1"),
                            new VmPlan("vm4", "host2", "net2", "fa:16:3e:00:00:b2", "10.0.0.2")));
        }

        VmPlan vm(String name) {
            return vms.stream()
                    .filter(vm -> vm.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no VM " + name));
        }
    }

    /**
     * How a daemon is started: this JVM's {@code java} binary and a class path holding jvswitch, so that it works from
     * the jar and from tests alike.
     */
    public record Launcher(String java, String classPath) {
        /** This process's java and class path. */
        public static Launcher current() {
            return new Launcher(
                    ProcessHandle.current().info().command().orElse("java"), System.getProperty("java.class.path"));
        }
    }

    private final Plan plan;
    private final Launcher launcher;
    private final Consumer<String> log;
    private final Namespaces namespaces = Namespaces.create();
    private final Path dir;
    private final Map<String, HostDaemon> daemons = new LinkedHashMap<>();
    private final List<Process> programs = new ArrayList<>();
    private String underlay;
    private boolean closed;

    private NetnsLab(Plan plan, Launcher launcher, Consumer<String> log) throws IOException {
        this.plan = plan;
        this.launcher = launcher;
        this.log = log;
        this.dir = Files.createTempDirectory("jvs-netns-");
    }

    /**
     * A lab, built ({@link #build}).
     *
     * @param log told each step, one line at a time
     */
    public static NetnsLab start(Plan plan, Launcher launcher, Consumer<String> log)
            throws IOException, InterruptedException {
        NetnsLab lab = create(plan, launcher, log);
        lab.build();
        return lab;
    }

    /**
     * A lab with nothing built yet (only its temporary folder), for a caller that must be able to {@link #close} it
     * from a shutdown hook while {@link #build} runs.
     */
    public static NetnsLab create(Plan plan, Launcher launcher, Consumer<String> log) throws IOException {
        return new NetnsLab(plan, launcher, log);
    }

    /**
     * Builds everything: namespaces, underlay, daemons, host files, VMs attached. On failure everything made so far
     * is removed before the exception leaves.
     */
    public void build() throws IOException, InterruptedException {
        try {
            buildAll();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            try {
                close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void buildAll() throws IOException, InterruptedException {
        underlay = namespaces.add("ul");
        // Snooping off: the bridge floods multicast to every port, as a switch with no IGMP querier should.
        Namespaces.ip(underlay, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
        Namespaces.ip(underlay, "link", "set", "br0", "up");
        for (int i = 0; i < HOSTS.size(); i++) {
            String host = HOSTS.get(i);
            String ns = namespaces.add(host);
            String port = "h" + (i + 1);
            Namespaces.ip(underlay, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
            Namespaces.ip(underlay, "link", "set", port, "master", "br0", "up");
            Namespaces.ip(
                    ns, "link", "set", "eth0", "address", String.format(Locale.ROOT, "02:00:c6:12:00:%02x", i + 1));
            Namespaces.ip(ns, "addr", "add", address(host) + "/24", "dev", "eth0");
            Namespaces.ip(ns, "link", "set", "eth0", "up");
            // Multicast leaves by eth0 (the only way out), whatever socket options the daemon sets.
            Namespaces.ip(ns, "route", "add", "224.0.0.0/4", "dev", "eth0");
        }
        log.accept("underlay: namespace " + underlay + " with Linux bridge br0; "
                + String.join(
                        ", ",
                        HOSTS.stream()
                                .map(host -> host + " " + address(host) + " (" + namespaces.name(host) + ", eth0)")
                                .toList()));
        for (VmPlan vm : plan.vms()) {
            namespaces.add(vm.name());
        }
        for (String host : HOSTS) {
            HostDaemon daemon = new HostDaemon(host);
            synchronized (this) {
                if (closed) {
                    throw new IOException("stopping");
                }
                daemons.put(host, daemon);
            }
            daemon.start();
        }
        for (String host : HOSTS) {
            configure(host);
        }
        for (VmPlan vm : plan.vms()) {
            attachVm(vm.name());
        }
    }

    /** A hypervisor's underlay address: 198.18.0.N for hostN. */
    public static String address(String host) {
        return "198.18.0." + (HOSTS.indexOf(host) + 1);
    }

    /** The plan this lab was built from. */
    public Plan plan() {
        return plan;
    }

    /** The namespace of a host or VM. */
    public String namespace(String role) {
        return namespaces.name(role);
    }

    /** The folder holding the daemons' databases, sockets and host files. */
    public Path dir() {
        return dir;
    }

    /** A host's daemon. */
    public HostDaemon daemon(String host) {
        return daemons.get(host);
    }

    /** The host file the tunnel agent gets for {@code host}, as YAML (the format of {@code jvs agent --config}). */
    public String hostFile(String host) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("local_ip: ").append(address(host)).append('\n');
        yaml.append("tunnel_types: [").append(plan.kind().networkType()).append("]\n");
        yaml.append("layout: ").append(plan.layout()).append('\n');
        yaml.append("underlay_mtu: 1500\n");
        yaml.append("networks:\n");
        for (Tenant tenant : plan.tenants()) {
            yaml.append("  - {name: ")
                    .append(tenant.name())
                    .append(", type: ")
                    .append(plan.kind().networkType())
                    .append(", segmentation_id: 0x")
                    .append(Long.toHexString(tenant.segmentationId()));
            if (plan.kind() == Kind.VXLAN_MULTICAST) {
                yaml.append(", group: ").append(VXLAN_GROUP);
            }
            yaml.append("}\n");
        }
        List<VmPlan> local =
                plan.vms().stream().filter(vm -> vm.host().equals(host)).toList();
        if (!local.isEmpty()) {
            yaml.append("vms:\n");
            local.forEach(vm -> yaml.append("  - ").append(vmYaml(vm, true)).append('\n'));
        }
        if (plan.kind() != Kind.VXLAN_MULTICAST) {
            // Peers in the tutorial's order: host1's gre-1 goes to host3 and gre-2 to host2, as in its show.
            yaml.append("peers:\n");
            for (String peer : peers(host)) {
                yaml.append("  - address: ").append(address(peer)).append('\n');
                yaml.append("    networks: [")
                        .append(String.join(
                                ", ", plan.tenants().stream().map(Tenant::name).toList()))
                        .append("]\n");
                List<VmPlan> remote =
                        plan.vms().stream().filter(vm -> vm.host().equals(peer)).toList();
                if (!remote.isEmpty()) {
                    yaml.append("    vms:\n");
                    remote.forEach(vm ->
                            yaml.append("      - ").append(vmYaml(vm, false)).append('\n'));
                }
            }
        }
        return yaml.toString();
    }

    private static List<String> peers(String host) {
        return switch (host) {
            case "host1" -> List.of("host3", "host2");
            case "host2" -> List.of("host1", "host3");
            default -> List.of("host1", "host2");
        };
    }

    private static String vmYaml(VmPlan vm, boolean named) {
        return "{" + (named ? "name: " + vm.name() + ", " : "") + "network: " + vm.network() + ", mac: \"" + vm.mac()
                + "\", ip: " + vm.ip() + "}";
    }

    /** Writes {@code host}'s host file next to its database and gives it to its daemon's tunnel agent. */
    private void configure(String host) throws IOException {
        String text = hostFile(host);
        Path file = dir.resolve(host + ".yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        ObjectNode request =
                ControlClient.request("agent").put("source", file.getFileName().toString());
        try {
            request.set("host", HostFile.read(text, file.getFileName().toString()));
        } catch (DaemonException e) {
            throw new IllegalStateException("the harness wrote a bad host file: " + e.getMessage(), e);
        }
        ControlClient.call(daemons.get(host).control(), request);
        log.accept(host + ": tunnel agent configured from " + file.getFileName());
    }

    /**
     * Reattaches a VM: waits for the TAP device its host's daemon makes (at start, and again after a restart, since a
     * TAP device dies with the process holding it), moves it into the VM's namespace, gives it the VM's address and
     * brings it up. The daemon has already set its MAC and MTU.
     */
    public void attachVm(String name) throws IOException, InterruptedException {
        VmPlan vm = plan.vm(name);
        String hostNs = namespaces.name(vm.host());
        String vmNs = namespaces.name(vm.name());
        long deadline = System.nanoTime() + TAP_APPEARS.toNanos();
        while (!linkExists(hostNs, vm.name())) {
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        vm.host() + "'s daemon made no TAP device " + vm.name() + " in " + TAP_APPEARS.toSeconds()
                                + " s (its output: " + daemons.get(vm.host()).output() + ")");
            }
            daemons.get(vm.host()).checkAlive();
            Thread.sleep(10);
        }
        Namespaces.ip(hostNs, "link", "set", vm.name(), "netns", vmNs);
        Namespaces.ip(vmNs, "addr", "replace", vm.ip() + "/24", "dev", vm.name());
        Namespaces.ip(vmNs, "link", "set", vm.name(), "up");
        log.accept(vm.name() + ": TAP " + vm.name() + " (" + linkSummary(vmNs, vm.name()) + ") moved from " + vm.host()
                + " into " + vmNs + ", " + vm.ip() + "/24");
    }

    private static boolean linkExists(String namespace, String link) throws IOException, InterruptedException {
        try {
            Namespaces.ip(namespace, "link", "show", "dev", link);
            return true;
        } catch (IOException e) {
            if (e.getMessage().contains("does not exist")) {
                return false;
            }
            throw e;
        }
    }

    /** "mtu 1458, fa:16:3e:00:00:01" for a link. */
    private static String linkSummary(String namespace, String link) throws IOException, InterruptedException {
        String line = Namespaces.ip(namespace, "-o", "link", "show", "dev", link);
        java.util.regex.Matcher mtu =
                java.util.regex.Pattern.compile("mtu (\\d+)").matcher(line);
        java.util.regex.Matcher mac =
                java.util.regex.Pattern.compile("link/ether (\\S+)").matcher(line);
        return "MTU " + (mtu.find() ? mtu.group(1) : "?") + ", " + (mac.find() ? mac.group(1) : "?");
    }

    /** The MTU of a VM's interface, as its kernel sees it. */
    public int vmMtu(String vm) throws IOException, InterruptedException {
        String line = Namespaces.ip(namespaces.name(vm), "-o", "link", "show", "dev", vm);
        java.util.regex.Matcher mtu =
                java.util.regex.Pattern.compile("mtu (\\d+)").matcher(line);
        if (!mtu.find()) {
            throw new IOException("no MTU in: " + line);
        }
        return Integer.parseInt(mtu.group(1));
    }

    /**
     * Runs {@code ping ARGS...} in a VM's namespace, each line of its output to {@code lines} as it comes, and
     * returns ping's exit status (0: replies came).
     */
    public int ping(String vm, Consumer<String> lines, String... args) throws IOException, InterruptedException {
        Running running = launchPing(vm, lines, args);
        try {
            if (!running.process().waitFor(120, TimeUnit.SECONDS)) {
                throw new IOException("ping in " + vm + " did not end within 120 s");
            }
            // Its last lines (the statistics) are read after it exits: the caller gets them all.
            running.reader().join(10_000);
            return running.process().exitValue();
        } finally {
            stopProgram(running.process());
        }
    }

    /**
     * Starts {@code ping ARGS...} in a VM's namespace with each output line to {@code lines} as it comes (from a
     * thread of its own); {@link #close} kills it if the caller does not.
     */
    public Process startPing(String vm, Consumer<String> lines, String... args) throws IOException {
        return launchPing(vm, lines, args).process();
    }

    private record Running(Process process, Thread reader) {}

    private Running launchPing(String vm, Consumer<String> lines, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ping"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(
                        Namespaces.inNamespace(namespaces.name(vm), command.toArray(String[]::new)))
                .redirectErrorStream(true)
                .start();
        synchronized (this) {
            programs.add(process);
            if (closed) {
                process.destroyForcibly();
                throw new IOException("stopping");
            }
        }
        Thread reader = Thread.ofPlatform().daemon().name("ping-" + vm).start(() -> {
            try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.accept(line);
                }
            } catch (IOException e) {
                // The process was killed: its output ends here.
            }
        });
        return new Running(process, reader);
    }

    /** Stops a program started here: SIGTERM, then SIGKILL if it lingers. */
    public void stopProgram(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        synchronized (this) {
            programs.remove(process);
        }
    }

    /** {@code jvs vsctl ARGS...} on a host's daemon, through its control socket: the output. */
    public String vsctl(String host, String... args) throws IOException {
        ObjectNode request = ControlClient.request("vsctl");
        List.of(args).forEach(request.putArray("args")::add);
        return ControlClient.call(daemons.get(host).control(), request)
                .path("output")
                .asText("");
    }

    /** {@code jvs ofctl dump-flows BRIDGE} on a host's daemon: the output. */
    public String dumpFlows(String host, String bridge) throws IOException {
        JsonNode reply = ControlClient.call(
                daemons.get(host).control(),
                ControlClient.request("ofctl").put("command", "dump-flows").put("bridge", bridge));
        return reply.path("output").asText("");
    }

    /**
     * Stops the daemons (SIGTERM by their handles, SIGKILL after 10 s) and any ping still running, deletes every
     * namespace (and with them the veths, the bridge and the TAP devices), then the temporary folder. Runs every step
     * even when one fails; idempotent, and safe from a shutdown hook.
     *
     * @throws IOException the first failure
     */
    @Override
    public void close() throws IOException {
        List<Process> toStop = new ArrayList<>();
        List<HostDaemon> toKill;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop.addAll(programs);
            toKill = List.copyOf(daemons.values());
        }
        boolean interrupted = Thread.interrupted();
        IOException failure = null;
        for (Process process : toStop) {
            process.destroyForcibly();
        }
        for (HostDaemon daemon : toKill) {
            try {
                daemon.stop();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            namespaces.close();
        } catch (IOException e) {
            failure = e;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | UncheckedIOException e) {
            if (failure == null) {
                failure = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** One hypervisor's {@code jvs daemon}: a process inside its namespace, held by its handle. */
    public final class HostDaemon {
        private final String host;
        private final StringBuffer output = new StringBuffer();
        private volatile Process process;
        private volatile Instant listeningAt;

        HostDaemon(String host) {
            this.host = host;
        }

        /** Its control socket. */
        public Path control() {
            return dir.resolve(host + ".ctl");
        }

        /** Its database. */
        public Path db() {
            return dir.resolve(host + ".db");
        }

        /** The running process, or null before the first start. */
        public Process process() {
            return process;
        }

        /** When it last printed its "listening" line (wall clock, read as the line arrived). */
        public Instant listeningAt() {
            return listeningAt;
        }

        /** Everything it printed, every run. */
        public String output() {
            return output.toString();
        }

        /**
         * Starts {@code jvs daemon} in the host's namespace on its database and waits until it says it listens.
         *
         * @throws IOException when it exits or stays silent for 90 s (with what it printed)
         */
        public void start() throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    launcher.java(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    launcher.classPath(),
                    "io.jvswitch.app.Jvs",
                    "daemon",
                    "--db",
                    db().toString(),
                    "--control",
                    control().toString()));
            if (plan.kind() == Kind.VXLAN_MULTICAST) {
                command.addAll(List.of("--underlay-interface", "eth0"));
            }
            Process started;
            synchronized (NetnsLab.this) {
                if (closed) {
                    throw new IOException("stopping");
                }
                started = new ProcessBuilder(
                                Namespaces.inNamespace(namespaces.name(host), command.toArray(String[]::new)))
                        .redirectErrorStream(true)
                        .start();
                process = started;
            }
            CompletableFuture<Instant> listening = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("daemon-" + host).start(() -> {
                try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        Instant now = Instant.now();
                        output.append(line).append('\n');
                        if (line.startsWith("jvs daemon: listening on ")) {
                            listening.complete(now);
                        }
                    }
                } catch (IOException e) {
                    // Killed: its output ends here.
                }
                listening.complete(null);
            });
            Instant at;
            try {
                at = listening.get(DAEMON_START.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                at = null;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException(e.getCause());
            }
            synchronized (NetnsLab.this) {
                if (closed) {
                    // Ctrl-C: the shutdown hook stopped everything while this daemon was starting.
                    throw new IOException("stopped before " + host + "'s daemon was ready");
                }
            }
            if (at == null) {
                throw new IOException(host + "'s daemon did not start (" + (started.isAlive() ? "silent" : "exited")
                        + "); it printed:\n" + output);
            }
            listeningAt = at;
            log.accept(host + ": jvs daemon (pid " + started.pid() + ") in " + namespaces.name(host) + ": listening on "
                    + control().getFileName());
        }

        /** Kills it with SIGKILL, as a crash would, and waits for it to be gone. */
        public void kill() throws InterruptedException, IOException {
            Process running = process;
            running.destroyForcibly();
            if (!running.waitFor(30, TimeUnit.SECONDS)) {
                throw new IOException(host + "'s daemon survived SIGKILL for 30 s");
            }
        }

        void checkAlive() throws IOException {
            Process running = process;
            if (running != null && !running.isAlive()) {
                throw new IOException(host + "'s daemon exited " + running.exitValue() + "; it printed:\n" + output);
            }
        }

        void stop() throws InterruptedException {
            Process running = process;
            if (running == null || !running.isAlive()) {
                return;
            }
            running.destroy();
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                running.destroyForcibly();
                running.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
