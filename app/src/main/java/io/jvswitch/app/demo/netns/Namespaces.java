package io.jvswitch.app.demo.netns;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The network namespaces one run makes, named {@code PREFIX-ROLE} with a prefix unique to this process and run (so two
 * demos, or a demo and a test, never share one), and the {@code ip} commands that build and inspect them. Every
 * program runs with a timeout and is killed by its process handle when it overstays. {@link #close} deletes every
 * namespace this object made, in reverse order, and nothing else; after it, {@link #add} refuses, so a shutdown hook
 * that closes mid-setup leaves nothing behind.
 */
public final class Namespaces implements AutoCloseable {
    /** How long an {@code ip} command may take before it is killed. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final String prefix;
    private final List<String> created = new ArrayList<>();
    private boolean closed;

    private Namespaces(String prefix) {
        this.prefix = prefix;
    }

    /** A fresh set for this process: names start {@code jvd<pid>} (plus a letter from the second run on). */
    public static Namespaces create() {
        int run = RUNS.getAndIncrement();
        String suffix = run == 0 ? "" : Integer.toString(run, 36);
        return new Namespaces("jvd" + ProcessHandle.current().pid() + suffix);
    }

    /** The full name of the namespace for {@code role}, made or not. */
    public String name(String role) {
        return prefix + "-" + role;
    }

    /**
     * Makes the namespace for {@code role} with loopback up and IPv6 off (no router solicitations or MLD reports in
     * the VMs' traffic), and returns its name.
     */
    public synchronized String add(String role) throws IOException, InterruptedException {
        if (closed) {
            throw new IOException("stopping: no more namespaces are made");
        }
        String name = name(role);
        run(COMMAND_TIMEOUT, "ip", "netns", "add", name);
        created.add(name);
        ip(name, "link", "set", "lo", "up");
        exec(name, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        exec(name, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        return name;
    }

    /** Runs {@code ip -n NS ARGS...} and returns its output. */
    public static String ip(String namespace, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        return run(COMMAND_TIMEOUT, command);
    }

    /** Runs {@code ip netns exec NS COMMAND...} and returns its output. */
    public static String exec(String namespace, String... command) throws IOException, InterruptedException {
        return run(COMMAND_TIMEOUT, inNamespace(namespace, command));
    }

    /** The command line that runs {@code command} inside {@code namespace}. */
    public static List<String> inNamespace(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return full;
    }

    /** As {@link #run(Duration, List)}. */
    public static String run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, List.of(command));
    }

    /**
     * Runs a program, waits up to {@code timeout} for it (then kills it by its handle) and returns its output, stderr
     * included; a non-zero exit is an IOException carrying the command and its output.
     */
    public static String run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(String.join(" ", command) + ": timed out after " + timeout.toSeconds() + " s");
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        String text = output.join();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + text.strip());
        }
        return text;
    }

    /** Whether {@code program} is an executable on PATH (or the usual sbin folders, where iproute2 lives). */
    public static boolean onPath(String program) {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && new File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why this process cannot make namespaces, or null when it can: it must run as root (effective uid 0, read from
     * {@code /proc/self/status}) with iproute2's {@code ip} installed.
     */
    public static String whyNotPrivileged(Map<String, String> env) {
        if (!isRoot()) {
            return "needs root (it creates network namespaces, veth pairs and TAP devices): run it with sudo";
        }
        for (String program : List.of("ip", "ping")) {
            if (!onPath(program)) {
                return program + " is not installed (apt-get install "
                        + (program.equals("ip") ? "iproute2" : "iputils-ping") + ")";
            }
        }
        return null;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    // Real, effective, saved, filesystem: the effective uid decides.
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids.length > 1 && ids[1].equals("0");
                }
            }
        } catch (IOException e) {
            // No procfs: fall back on the user name.
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Deletes every namespace made here, newest first, all of them even when one fails (deleting a namespace removes
     * its links, veth peers included). Idempotent.
     *
     * @throws IOException the first failure, the others suppressed
     */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        // An interrupted caller (a test timing out) still gets everything deleted; the flag is restored after.
        boolean interrupted = Thread.interrupted();
        IOException failure = null;
        for (String name : created.reversed()) {
            try {
                run(COMMAND_TIMEOUT, "ip", "netns", "delete", name);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                failure = failure == null ? new IOException("interrupted while deleting " + name, e) : failure;
            }
        }
        created.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
