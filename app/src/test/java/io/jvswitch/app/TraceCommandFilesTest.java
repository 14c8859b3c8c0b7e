package io.jvswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jvs trace} reads its flows file as diff-flows does: the same refusals, the same exit statuses. */
class TraceCommandFilesTest {
    @TempDir
    Path directory;

    @Test
    void aMissingFlowsFileExits1() {
        Path missing = directory.resolve("missing.flows");
        Cli.Result result = Cli.run("trace", "--flows", missing.toString(), "in_port=1");
        assertThat(result.exitCode()).isOne();
        assertThat(result.errLines()).containsExactly("jvs trace: " + missing + ": no such file or directory");
    }

    @Test
    void aDirectoryExits1() {
        Cli.Result result = Cli.run("trace", "--flows", directory.toString(), "in_port=1");
        assertThat(result.exitCode()).isOne();
        assertThat(result.errLines())
                .containsExactly("jvs trace: " + directory + ": is a directory, not a file of flows");
    }

    @Test
    void aBadFlowExits2WithTheFileLineAndCaret() throws IOException {
        Path flows = directory.resolve("br.flows");
        Files.writeString(flows, "in_port=1 actions=output:2\ntable=255 actions=drop\n");
        Cli.Result result = Cli.run("trace", "--flows", flows.toString(), "in_port=1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly(
                        "jvs trace: " + flows + ":2: table 255 does not exist (tables are 0 to 254)",
                        "  table=255 actions=drop",
                        "        ^^^",
                        "Try 'jvs trace --help' for more information.");
    }
}
