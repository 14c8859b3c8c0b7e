package io.jvswitch.app.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.app.daemon.DatapathRuntimes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input on the socket is answered with an error, and the daemon goes on serving on the same connection. */
class ControlServerTest {
    @TempDir
    Path dir;

    @Test
    void aSecondDaemonOnTheSameDatabaseIsRefusedUntilTheFirstStops() throws Exception {
        Path db = dir.resolve("conf.db");
        try (RunningDaemon first =
                RunningDaemon.start(db, dir.resolve("one.ctl"), DatapathRuntimes.named("memory"), line -> {})) {
            assertThatThrownBy(() -> RunningDaemon.start(
                            db, dir.resolve("two.ctl"), DatapathRuntimes.named("memory"), line -> {}))
                    .isInstanceOf(IOException.class)
                    .hasMessage(db + ": another jvs daemon is using this database (" + db + ".lock is locked)");
            assertThat(first.daemon().db().bridges()).isEmpty();
        }
        try (RunningDaemon again =
                RunningDaemon.start(db, dir.resolve("two.ctl"), DatapathRuntimes.named("memory"), line -> {})) {
            assertThat(again.socket()).isEqualTo(dir.resolve("two.ctl"));
        }
    }

    @Test
    void aDaemonStartsOnANewDatabaseInAFolderThatDoesNotExistYet() throws Exception {
        Path db = dir.resolve("var/lib/jvswitch/conf.db");
        try (RunningDaemon daemon =
                RunningDaemon.start(db, dir.resolve("jvs.ctl"), DatapathRuntimes.named("memory"), line -> {})) {
            daemon.daemon().vsctl(List.of("add-br", "br0"), io.jvswitch.app.daemon.SwitchDaemon.Format.TEXT);
        }
        assertThat(db).exists();
        assertThat(db.resolveSibling("conf.db.lock")).exists();
    }

    @Test
    void badRequestsAreRefusedAndTheDaemonStillServes() throws Exception {
        try (RunningDaemon daemon = RunningDaemon.start(
                        dir.resolve("conf.db"), dir.resolve("jvs.ctl"), DatapathRuntimes.named("memory"), line -> {});
                SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
            OutputStream out = Channels.newOutputStream(channel);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            List<String> requests = List.of(
                    "this is not json",
                    "[1,2]",
                    "{\"op\":\"frobnicate\"}",
                    "{\"op\":\"vsctl\"}",
                    "{\"op\":\"vsctl\",\"args\":[\"add-br\",3]}",
                    "{\"op\":\"vsctl\",\"args\":[\"show\"],\"format\":\"xml\"}",
                    "{\"op\":\"ofctl\",\"command\":\"dump-flows\",\"bridge\":\"br9\"}",
                    "{\"op\":\"vsctl\",\"args\":[\"add-br\",\"br0\"]}",
                    "{\"op\":\"vsctl\",\"args\":[\"list-br\"]}");
            List<String> expected = List.of(
                    "{\"ok\":false,\"error\":\"request is not JSON: Unrecognized token 'this': was expecting (JSON"
                            + " String, Number, Array, Object or token 'null', 'true' or 'false') (line 1, column"
                            + " 1)\"}",
                    "{\"ok\":false,\"error\":\"request is not a JSON object\"}",
                    "{\"ok\":false,\"error\":\"unknown op \\\"frobnicate\\\" (ops: vsctl, ofctl, appctl, agent, capture)\"}",
                    "{\"ok\":false,\"error\":\"request needs \\\"args\\\" as an array of strings\"}",
                    "{\"ok\":false,\"error\":\"\\\"args\\\" must hold only strings\"}",
                    "{\"ok\":false,\"error\":\"format \\\"xml\\\" is not known (text or json)\"}",
                    "{\"ok\":false,\"error\":\"br9 is not a bridge\"}",
                    "{\"ok\":true,\"output\":\"\"}",
                    "{\"ok\":true,\"output\":\"br0\\n\"}");
            for (int i = 0; i < requests.size(); i++) {
                out.write((requests.get(i) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(in.readLine()).as(requests.get(i)).isEqualTo(expected.get(i));
            }
        }
    }
}
