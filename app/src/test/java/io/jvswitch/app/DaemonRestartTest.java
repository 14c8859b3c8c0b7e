package io.jvswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon in a process of its own, killed with SIGKILL (by its handle) and started again on the same database: it
 * comes back with the same bridges, ports and flows.
 */
class DaemonRestartTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killWhatWasStarted() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code jvs daemon} as a child and waits until it listens. */
    private Process daemon() throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        classPath,
                        "io.jvswitch.app.Jvs",
                        "daemon",
                        "--db",
                        dir.resolve("conf.db").toString(),
                        "--control",
                        socket().toString(),
                        "--datapath",
                        "memory")
                .redirectErrorStream(true)
                .start();
        started.add(process);
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    if (line.startsWith("jvs daemon: listening on ")) {
                        return seen.toString();
                    }
                }
            } catch (IOException e) {
                seen.append(e);
            }
            return seen.toString();
        });
        String seen =
                listening.completeOnTimeout("timed out", 60, TimeUnit.SECONDS).join();
        assertThat(seen).as("the daemon's output").contains("jvs daemon: listening on " + socket());
        return process;
    }

    private Path socket() {
        return dir.resolve("jvs.ctl");
    }

    private String ok(String... args) {
        List<String> words = new ArrayList<>(List.of(args));
        words.add(args[0].equals("ofctl") ? 2 : 1, "--control=" + socket());
        Cli.Result result = Cli.run(words.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result.out();
    }

    private List<String> flows(String bridge) {
        return ok("ofctl", "dump-flows", bridge)
                .lines()
                .map(line -> line.replaceAll("duration=[0-9.]+s, ", "").replaceAll("idle_age=[0-9]+, ", ""))
                .toList();
    }

    @Test
    void aKilledDaemonComesBackWithTheSameSwitch() throws Exception {
        Process first = daemon();
        ok(
                "vsctl",
                "add-br",
                "br-tun",
                "--",
                "add-port",
                "br-tun",
                "gre-1",
                "--",
                "set",
                "interface",
                "gre-1",
                "type=gre",
                "options:remote_ip=198.18.0.2",
                "options:key=flow");
        ok(
                "vsctl",
                "add-br",
                "br-int",
                "--",
                "add-port",
                "br-int",
                "tap0",
                "tag=1",
                "--",
                "set",
                "interface",
                "tap0",
                "type=tap");
        ok("ofctl", "add-flow", "br-tun", "table=0,priority=1,in_port=1,actions=resubmit(,2)");
        ok("ofctl", "add-flow", "br-tun", "table=2,priority=1,tun_id=0x1388,actions=mod_vlan_vid:1,NORMAL");
        ok("ofctl", "del-flows", "br-tun", "--strict", "priority=0");
        String show = ok("vsctl", "show");
        List<String> flows = flows("br-tun");
        assertThat(flows)
                .containsExactly(
                        "NXST_FLOW reply (xid=0x4):",
                        " cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=1,in_port=1 actions=resubmit(,2)",
                        " cookie=0x0, table=2, n_packets=0, n_bytes=0, priority=1,tun_id=0x1388"
                                + " actions=mod_vlan_vid:1,NORMAL");

        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

        daemon();
        assertThat(ok("vsctl", "show")).isEqualTo(show);
        assertThat(flows("br-tun")).isEqualTo(flows);
        assertThat(flows("br-int"))
                .containsExactly(
                        "NXST_FLOW reply (xid=0x4):",
                        " cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=0" + " actions=NORMAL");
    }
}
