package io.jvswitch.datapath.io;

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
 * inside it. Needs root and iproute2; tests using it are skipped, with a message, otherwise. (A copy of netio's test
 * helper: test sources are not shared between modules.)
 */
final class TestNamespace implements AutoCloseable {
    final String name;

    private TestNamespace(String name) {
        this.name = name;
    }

    /** Skips the calling test unless it runs as root with {@code ip} available. */
    static void assumePrivileged() {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "privileged test skipped: needs root to create network namespaces");
        assumeTrue(onPath("ip"), "privileged test skipped: iproute2's ip is not installed");
    }

    /** Skips the calling test unless {@code program} is installed. */
    static void assumeOnPath(String program) {
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
     * A new namespace named {@code jvs-ROLE-RANDOM}, with loopback up and IPv6 off (no router solicitations or MLD
     * reports for a test to step over).
     */
    static TestNamespace create(String role) throws IOException, InterruptedException {
        String name = "jvs-" + role + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        run("ip", "netns", "add", name);
        TestNamespace namespace = new TestNamespace(name);
        try {
            namespace.ip("link", "set", "lo", "up");
            namespace.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            namespace.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
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
    String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** Runs {@code ip netns exec NAME COMMAND...} (a program inside the namespace) and returns its output. */
    String exec(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /**
     * Runs a program, waits up to 10 s for it (then kills it, by its process handle) and returns its output; a
     * non-zero exit is an IOException with the output.
     */
    static String run(String... command) throws IOException, InterruptedException {
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
