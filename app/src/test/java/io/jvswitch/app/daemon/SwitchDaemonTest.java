package io.jvswitch.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.app.config.ConfigStore;
import io.jvswitch.app.daemon.SwitchDaemon.Format;
import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.io.DatapathThread;
import io.jvswitch.datapath.show.DumpFlows;
import io.jvswitch.ofproto.table.FlowMod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's start order and what it keeps across a restart in the same process. */
class SwitchDaemonTest {
    @TempDir
    Path dir;

    /** A runtime whose thread notes each forwarding change, and what br0's flows were at that moment. */
    private static final class RecordingRuntime implements DatapathRuntime {
        final List<String> events = new ArrayList<>();
        final InMemoryDevicePorts devices = new InMemoryDevicePorts();
        DatapathThread started;

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public DevicePorts devicePorts() {
            return devices;
        }

        @Override
        public DatapathThread start(InstantSource clock) throws IOException {
            DatapathThread inner = DatapathRuntimes.named("inline").start(clock);
            started = inner;
            return new DatapathThread() {
                @Override
                public Datapath datapath() {
                    return inner.datapath();
                }

                @Override
                public <T> CompletableFuture<T> submit(Callable<T> task) {
                    return inner.submit(task);
                }

                @Override
                public void forwarding(boolean enabled) {
                    var bridge = inner.datapath().bridge("br0");
                    String flows = bridge == null
                            ? "no br0"
                            : DumpFlows.render(bridge).lines().count() - 1 + " flows";
                    events.add("forwarding " + (enabled ? "on" : "off") + " with " + flows);
                    inner.forwarding(enabled);
                }

                @Override
                public boolean forwarding() {
                    return inner.forwarding();
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        }
    }

    /** br0 with a TAP port, tap0 (OpenFlow port 1). */
    private static void addBridgeWithTap(SwitchDaemon daemon) throws DaemonException {
        daemon.vsctl(
                List.of("add-br", "br0", "--", "add-port", "br0", "tap0", "--", "set", "interface", "tap0", "type=tap"),
                Format.TEXT);
    }

    @Test
    void flowsAreRestoredBeforeForwardingStarts() throws Exception {
        Path db = dir.resolve("conf.db");
        RecordingRuntime first = new RecordingRuntime();
        try (SwitchDaemon daemon = SwitchDaemon.start(new ConfigStore(db), first, line -> {})) {
            addBridgeWithTap(daemon);
            daemon.modifyFlows("br0", FlowMod.Command.ADD, List.of("priority=5,in_port=1,actions=drop"), "flow");
            daemon.modifyFlows("br0", FlowMod.Command.ADD, List.of("table=1,priority=5,actions=drop"), "flow");
        }
        assertThat(first.events).containsExactly("forwarding off with no br0", "forwarding on with no br0");
        RecordingRuntime second = new RecordingRuntime();
        List<String> log = new ArrayList<>();
        try (SwitchDaemon daemon = SwitchDaemon.start(new ConfigStore(db), second, log::add)) {
            assertThat(second.events).containsExactly("forwarding off with no br0", "forwarding on with 3 flows");
            assertThat(second.devices.openDevices()).containsExactly("tap0");
            assertThat(log)
                    .containsExactly(
                            "restored 1 bridge, 1 port and 3 flows from " + db.toAbsolutePath(), "forwarding on");
            daemon.vsctl(List.of("del-port", "tap0"), Format.TEXT);
            assertThat(second.devices.openDevices()).isEmpty();
        }
    }

    @Test
    void aNewCaptureOfAPortEndsTheOneItsClientLeftBehind() throws Exception {
        RecordingRuntime runtime = new RecordingRuntime();
        try (SwitchDaemon daemon = SwitchDaemon.start(new ConfigStore(dir.resolve("conf.db")), runtime, line -> {})) {
            addBridgeWithTap(daemon);
            var forgotten = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return daemon.capture("tap0", 10, java.time.Duration.ofHours(1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The second capture may start before the first is installed: retry until the first has ended.
            long start = System.nanoTime();
            while (!forgotten.isDone()) {
                assertThat(daemon.capture("tap0", 1, java.time.Duration.ofSeconds(1)))
                        .isEmpty();
                assertThat(System.nanoTime() - start)
                        .as("the first capture ended")
                        .isLessThan(30_000_000_000L);
            }
            assertThat(forgotten.join()).isEmpty();
        }
    }

    @Test
    void dumpFlowsCountsThePacketsSeenSoFarWithoutWaitingForTheTimers() throws Exception {
        RecordingRuntime runtime = new RecordingRuntime();
        try (SwitchDaemon daemon = SwitchDaemon.start(new ConfigStore(dir.resolve("conf.db")), runtime, line -> {})) {
            addBridgeWithTap(daemon);
            daemon.modifyFlows("br0", FlowMod.Command.ADD, List.of("priority=5,in_port=1,actions=drop"), "flow");
            byte[] frame = new io.jvswitch.wire.build.FrameBuilder()
                    .ethernet(0xfa163e000001L, 0xfa163e000002L)
                    .ipv4(0x0a000001, 0x0a000002)
                    .udp(1, 2)
                    .build();
            runtime.started
                    .submit(() -> {
                        var datapath = runtime.started.datapath();
                        var tap = (io.jvswitch.datapath.port.EthernetPort) datapath.findPort("tap0");
                        for (int i = 0; i < 3; i++) {
                            datapath.receive(tap, java.lang.foreign.MemorySegment.ofArray(frame), 0, frame.length);
                        }
                        return null;
                    })
                    .join();
            assertThat(daemon.dumpFlows("br0", "in_port=1", Format.TEXT))
                    .as("no timer has run: the dump itself credited the flow")
                    .contains("n_packets=3, n_bytes=126,");
        }
    }

    @Test
    void aDatabaseThatFailsItsChecksIsRefusedAndKept() throws IOException {
        Path db = dir.resolve("conf.db");
        String text = """
                {"uuid": "6f9619ff-8b86-d011-b42d-00cf4fc964ff", "bridges": [{"name": "br0", "failMode": null,
                 "ports": [{"name": "vx", "type": "vxlan", "options": {"remote_ip": "nowhere"}, "tag": 0}],
                 "flows": []}], "agent": null}
                """;
        Files.writeString(db, text);
        assertThatThrownBy(() -> SwitchDaemon.start(new ConfigStore(db), new RecordingRuntime(), line -> {}))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(db.toAbsolutePath() + ": not a valid jvswitch configuration: vx: ");
        assertThat(Files.readString(db)).isEqualTo(text);
    }

    @Test
    void aTransactionTheDatapathRefusesIsUndoneWhole() throws Exception {
        try (SwitchDaemon daemon =
                SwitchDaemon.start(new ConfigStore(dir.resolve("conf.db")), new RecordingRuntime(), line -> {})) {
            daemon.vsctl(List.of("add-br", "br0"), Format.TEXT);
            String before = daemon.vsctl(List.of("show"), Format.TEXT);
            // A patch port whose peer names itself passes vsctl's checks; a device the runtime cannot open does not.
            DaemonException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    DaemonException.class,
                    () -> daemon.vsctl(
                            List.of(
                                    "add-port",
                                    "br0",
                                    "p1",
                                    "--",
                                    "set",
                                    "interface",
                                    "p1",
                                    "type=patch",
                                    "options:peer=p2",
                                    "--",
                                    "add-port",
                                    "br0",
                                    "eth9",
                                    "--",
                                    "set",
                                    "interface",
                                    "eth9",
                                    "type=bogus"),
                            Format.TEXT));
            assertThat(refused).hasMessageContaining("type=bogus: unknown interface type");
            assertThat(daemon.vsctl(List.of("show"), Format.TEXT)).isEqualTo(before);
        }
    }
}
