package io.jvswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvswitch.app.demo.netns.Namespaces;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code jvs demo --netns}: the tutorial on real namespaces, as a user runs it, and what it refuses. */
class NetnsDemoCommandTest {
    @Test
    @Tag("privileged")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void vm1PingsVm2AcrossRealGreTunnelsAndLeavesNothingBehind() throws Exception {
        String why = Namespaces.whyNotPrivileged(System.getenv());
        assumeTrue(why == null, () -> "privileged test skipped: " + why);
        String before = Namespaces.run(java.time.Duration.ofSeconds(10), "ip", "netns", "list");

        Cli.Result result = Cli.run("demo", "--netns", "gre");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out())
                .contains("vm1$ ping -c 3 10.0.0.2")
                .contains("3 packets transmitted, 3 received, 0% packet loss")
                .contains("host1$ jvs vsctl show")
                .contains("remote_ip=\"198.18.0.2\"")
                .containsPattern("table=20, n_packets=\\d+, .*dl_dst=fa:16:3e:1f:19:55 actions=.*output:3");
        String pid = Long.toString(ProcessHandle.current().pid());
        assertThat(Namespaces.run(java.time.Duration.ofSeconds(10), "ip", "netns", "list")
                        .lines()
                        .filter(line -> line.startsWith("jvd" + pid))
                        .toList())
                .as("namespaces left behind (before: " + before + ")")
                .isEmpty();
    }

    @Test
    void refusesWhatItCannotRunOnNamespaces() {
        Cli.Result result = Cli.run("demo", "--netns", "l3-gre");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--netns: runs gre, vxlan or vxlan-multicast, not l3-gre");
    }
}
