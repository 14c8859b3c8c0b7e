package io.jvswitch.netio;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace a test makes for itself and removes afterwards, even when the test fails: real packets stay
 * inside it. Needs root and iproute2; tests using it are skipped, with a message, otherwise.
 *
 * <p>Public, and published in netio's test-jar, so that other modules' privileged tests (datapath's) use this class
 * rather than a copy of it.
 */
public final class TestNamespace implements AutoCloseable {
    /** What a new namespace does with IPv6; every caller says which, because the two kinds of test need opposites. */
    public enum Ipv6 {
        /**
         * On, as a namespace normally comes (written explicitly, whatever the machine's defaults for new namespaces):
         * what tests that send or receive IPv6 themselves need, such as netio's socket tests.
         */
        ON,
        /**
         * Off, so that the namespace's kernel sends no router solicitations or MLD reports of its own: a test that
         * reads or counts the frames on its links has none of them to step over.
         */
        OFF_TO_KEEP_LINKS_QUIET
    }

    public final String name;

    private TestNamespace(String name) {
        this.name = name;
    }

    /** Skips the calling test unless it runs as root with {@code ip} available. */
    public static void assumePrivileged() {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "privileged test skipped: needs root to create network namespaces");
        assumeTrue(onPath("ip"), "privileged test skipped: iproute2's ip is not installed");
    }

    /** Skips the calling test unless {@code program} is installed. */
    public static void assumeOnPath(String program) {
        assumeTrue(onPath(program), "privileged test skipped: " + program + " is not installed");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (new java.io.File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A new namespace named {@code jvs-ROLE-RANDOM}, with loopback up and IPv6 as {@code ipv6} says. When setting it up
     * fails, the namespace is deleted again before the failure is thrown.
     */
    public static TestNamespace create(String role, Ipv6 ipv6) throws IOException, InterruptedException {
        String name = "jvs-" + role + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        run("ip", "netns", "add", name);
        TestNamespace namespace = new TestNamespace(name);
        try {
            namespace.ip("link", "set", "lo", "up");
            String disabled = ipv6 == Ipv6.ON ? "0" : "1";
            namespace.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=" + disabled);
            namespace.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=" + disabled);
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                namespace.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return namespace;
    }

    /** Runs {@code ip -n NAME ARGS...} and returns its output. */
    public String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** Runs {@code ip netns exec NAME COMMAND...} (a program inside the namespace) and returns its output. */
    public String exec(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /**
     * Runs a program, waits up to 10 s for it (then kills it, by its process handle) and returns its output; a
     * non-zero exit is an IOException with the output.
     */
    public static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IOException(String.join(" ", command) + ": timed out");
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        String text = output.join();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + text);
        }
        return text;
    }

    /** {@code ip netns list}. */
    public static String namespacesLeft() throws IOException {
        try {
            return run("ip", "netns", "list");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing namespaces", e);
        }
    }

    /**
     * Deletes {@code namespaces} in the order given (so a caller lists the ones that hold links into others first),
     * each even when an earlier deletion failed, then checks that none of them is left. The first failure is thrown,
     * with the later ones suppressed in it.
     */
    public static void deleteAll(List<TestNamespace> namespaces) throws IOException {
        IOException failure = null;
        for (TestNamespace namespace : namespaces) {
            try {
                namespace.close();
            } catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = e instanceof IOException io
                            ? io
                            : new IOException("deleting namespace " + namespace.name + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        String left = namespacesLeft();
        for (TestNamespace namespace : namespaces) {
            if (left.lines().anyMatch(line -> line.split(" ")[0].equals(namespace.name))) {
                throw new IOException("namespace " + namespace.name + " is still there after its deletion");
            }
        }
    }

    /**
     * As {@link #deleteAll(List)} on the way out of a failed set-up: what goes wrong while deleting is suppressed in
     * {@code pending}, the failure the caller is about to throw.
     */
    public static void deleteAll(List<TestNamespace> namespaces, Throwable pending) {
        try {
            deleteAll(namespaces);
        } catch (IOException e) {
            pending.addSuppressed(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run("ip", "netns", "delete", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while deleting namespace " + name, e);
        }
    }
}
