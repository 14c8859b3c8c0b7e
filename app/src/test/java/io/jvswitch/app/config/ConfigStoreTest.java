package io.jvswitch.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.app.config.SwitchDb.AgentConfig;
import io.jvswitch.app.config.SwitchDb.BridgeConfig;
import io.jvswitch.app.config.SwitchDb.PortConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {
    @TempDir
    Path dir;

    private static final SwitchDb SAMPLE = new SwitchDb("6f9619ff-8b86-d011-b42d-00cf4fc964ff", List.of(), null)
            .withBridge(BridgeConfig.named("br-tun")
                    .withPort(PortConfig.named("gre-1")
                            .withType("gre")
                            .withOptions(Map.of("remote_ip", "198.18.0.2", "key", "flow")))
                    .withFlows(List.of("priority=0 actions=NORMAL", "table=1, priority=1 actions=drop")))
            .withAgent(new AgentConfig(42, Map.of("local_ip", "192.168.1.100")));

    @Test
    void whatIsSavedLoadsBackTheSame() throws IOException {
        ConfigStore store = new ConfigStore(dir.resolve("conf.db"));
        assertThat(store.load().bridges()).isEmpty();
        SwitchDb db = SAMPLE;
        store.save(db);
        assertThat(new ConfigStore(dir.resolve("conf.db")).load()).isEqualTo(db);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("conf.db");
    }

    @Test
    void aCrashBeforeTheRenameLeavesTheOldFileWhole() throws IOException {
        Path file = dir.resolve("conf.db");
        new ConfigStore(file).save(SAMPLE);
        byte[] before = Files.readAllBytes(file);
        ConfigStore crashing = new ConfigStore(file, temporary -> {
            // The new content is on disk beside the old file; the process dies here, as kill -9 would kill it.
            throw new IOException("killed");
        });
        assertThatThrownBy(() -> crashing.save(SwitchDb.empty())).hasMessage("killed");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(new ConfigStore(file).load()).isEqualTo(SAMPLE);
        // The next save replaces the leftover temporary file.
        new ConfigStore(file).save(SwitchDb.empty());
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("conf.db");
    }

    @Test
    void aCorruptFileIsRefusedNamingFileAndPosition() throws IOException {
        Path file = dir.resolve("conf.db");
        Files.writeString(file, "{\n  \"uuid\": \"x\",\n  \"bridges\": [ {\"name\": \"br0\",, } ]\n}\n");
        assertThatThrownBy(() -> new ConfigStore(file).load())
                .hasMessageStartingWith(file + ": line 3, column 31: not a jvswitch configuration: Unexpected"
                        + " character (',' (code 44))");
        Files.writeString(file, "{\"uuid\": \"x\", \"bridges\": [");
        assertThatThrownBy(() -> new ConfigStore(file).load())
                .hasMessageStartingWith(file + ": line 1, column 27: not a jvswitch configuration:");
        Files.writeString(file, "");
        assertThatThrownBy(() -> new ConfigStore(file).load())
                .hasMessage(file + ": is empty, not a jvswitch configuration (restore it, or delete it to start an"
                        + " empty switch)");
    }

    @Test
    void hardDeadlinesAreWrittenBesideTheirFlowsAsInstantsAndOnlyWhenThereAreAny() throws IOException {
        Path file = dir.resolve("conf.db");
        SwitchDb db = new SwitchDb("6f9619ff-8b86-d011-b42d-00cf4fc964ff", List.of(), null)
                .withBridge(BridgeConfig.named("br0")
                        .withFlows(
                                List.of("hard_timeout=3, priority=5,ip actions=drop", "priority=0 actions=NORMAL"),
                                Map.of(
                                        "hard_timeout=3, priority=5,ip actions=drop",
                                        Instant.parse("2026-01-01T00:00:03.250Z"),
                                        "a flow that is not there",
                                        Instant.parse("2026-01-01T00:00:09Z"))));
        new ConfigStore(file).save(db);
        assertThat(Files.readString(file)).isEqualTo("""
                        {
                          "uuid" : "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
                          "bridges" : [ {
                            "name" : "br0",
                            "failMode" : null,
                            "ports" : [ ],
                            "flows" : [ "hard_timeout=3, priority=5,ip actions=drop", "priority=0 actions=NORMAL" ],
                            "hardDeadlines" : {
                              "hard_timeout=3, priority=5,ip actions=drop" : "2026-01-01T00:00:03.250Z"
                            }
                          } ],
                          "agent" : null
                        }""");
        assertThat(new ConfigStore(file).load()).isEqualTo(db);

        SwitchDb without = db.withBridge(db.bridge("br0").withFlows(List.of("priority=0 actions=NORMAL")));
        new ConfigStore(file).save(without);
        assertThat(Files.readString(file)).doesNotContain("hardDeadlines");
        assertThat(new ConfigStore(file).load()).isEqualTo(without);
    }

    @Test
    void aDatabaseWrittenBeforeHardDeadlinesWereKeptLoadsWithNone() throws IOException {
        Path file = dir.resolve("conf.db");
        Files.writeString(file, """
                {"uuid": "6f9619ff-8b86-d011-b42d-00cf4fc964ff", "bridges": [{"name": "br0", "failMode": null,
                 "ports": [], "flows": ["hard_timeout=3, priority=5,ip actions=drop"]}], "agent": null}
                """);
        BridgeConfig bridge = new ConfigStore(file).load().bridge("br0");
        assertThat(bridge.flows()).containsExactly("hard_timeout=3, priority=5,ip actions=drop");
        assertThat(bridge.hardDeadlines()).isEmpty();
        assertThat(bridge.hardDeadline("hard_timeout=3, priority=5,ip actions=drop"))
                .isNull();
    }

    @Test
    void aHardDeadlineThatIsNotAnInstantIsRefusedNamingItsPosition() throws IOException {
        Path file = dir.resolve("conf.db");
        Files.writeString(file, """
                {"uuid": "6f9619ff-8b86-d011-b42d-00cf4fc964ff", "bridges": [{"name": "br0", "failMode": null,
                 "ports": [], "flows": ["hard_timeout=3, priority=5,ip actions=drop"],
                 "hardDeadlines": {"hard_timeout=3, priority=5,ip actions=drop": "tomorrow"}}], "agent": null}
                """);
        assertThatThrownBy(() -> new ConfigStore(file).load())
                .hasMessage(file + ": line 3, column 66: not a jvswitch configuration: Cannot deserialize value of"
                        + " type `java.time.Instant` from String \"tomorrow\": not an instant such as"
                        + " 2026-01-01T00:00:03Z");
    }
}
