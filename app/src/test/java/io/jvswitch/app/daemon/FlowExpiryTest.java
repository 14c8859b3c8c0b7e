package io.jvswitch.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.app.config.ConfigStore;
import io.jvswitch.app.control.DaemonRequests;
import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stored flows follow the switch's timeouts: a user's flow that expires leaves the database, a hard timeout keeps
 * across a restart only the time it had left, and learned flows never reach the database. Requests go through the
 * control socket's handler ({@link DaemonRequests}); time is virtual, and the test runs the daemon's timers itself
 * after moving it.
 */
class FlowExpiryTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final VirtualWallClock clock = new VirtualWallClock(START);
    private final List<String> log = new ArrayList<>();
    private SwitchDaemon daemon;
    private DaemonRequests requests;

    /** A wall clock that moves only when told, readable from the datapath's thread. */
    private static final class VirtualWallClock implements InstantSource {
        private final AtomicLong millis;

        VirtualWallClock(Instant start) {
            millis = new AtomicLong(start.toEpochMilli());
        }

        void set(Instant instant) {
            millis.set(instant.toEpochMilli());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private Path db() {
        return dir.resolve("conf.db");
    }

    private void start() throws IOException {
        log.clear();
        daemon = SwitchDaemon.start(new ConfigStore(db()), DatapathRuntimes.named("memory"), clock, log::add);
        requests = new DaemonRequests(daemon);
    }

    private void restartAt(Instant instant) throws IOException {
        daemon.close();
        daemon = null;
        clock.set(instant);
        start();
    }

    /** Moves the clock and runs the timers, as the daemon does every second. */
    private void timersAt(Instant instant) throws DaemonException {
        clock.set(instant);
        daemon.runTimers();
    }

    private String request(String json) throws Exception {
        ObjectNode reply = requests.handle(JSON.readTree(json));
        return reply.get("output").asText();
    }

    private void vsctl(String... args) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("op", "vsctl");
        List.of(args).forEach(request.putArray("args")::add);
        requests.handle(request);
    }

    private void addFlow(String flow) throws Exception {
        ObjectNode request = JSON.createObjectNode()
                .put("op", "ofctl")
                .put("command", "add-flow")
                .put("bridge", "br0");
        request.putArray("flows").add(flow);
        assertThat(requests.handle(request).get("output").asText()).isEmpty();
    }

    private String dumpFlows() throws Exception {
        return request("{\"op\":\"ofctl\",\"command\":\"dump-flows\",\"bridge\":\"br0\"}");
    }

    private String dbText() throws IOException {
        return Files.readString(db());
    }

    /** The database as the daemon writes it, with one bridge br0 holding {@code flows} (and hard deadlines). */
    private String expectedDb(List<String> flows, String deadlines) {
        String quoted =
                String.join(", ", flows.stream().map(flow -> "\"" + flow + "\"").toList());
        return "{\n  \"uuid\" : \"" + daemon.db().uuid() + "\",\n"
                + "  \"bridges\" : [ {\n"
                + "    \"name\" : \"br0\",\n"
                + "    \"failMode\" : null,\n"
                + "    \"ports\" : [ {\n"
                + "      \"name\" : \"br0\",\n"
                + "      \"type\" : \"internal\",\n"
                + "      \"options\" : { },\n"
                + "      \"tag\" : 0\n"
                + "    } ],\n"
                + "    \"flows\" : [ " + quoted + " ]"
                + (deadlines == null ? "" : ",\n    \"hardDeadlines\" : " + deadlines)
                + "\n  } ],\n"
                + "  \"agent\" : null\n"
                + "}";
    }

    @Test
    void aFlowWhoseHardTimeoutPassesLeavesTheDatabaseAndFlowsWithoutTimeoutsStay() throws Exception {
        start();
        vsctl("add-br", "br0");
        addFlow("hard_timeout=1,priority=5,ip,actions=drop");
        addFlow("priority=7,arp,actions=NORMAL");
        assertThat(dbText())
                .isEqualTo(expectedDb(
                        List.of(
                                "priority=7,arp actions=NORMAL",
                                "hard_timeout=1, priority=5,ip actions=drop",
                                "priority=0 actions=NORMAL"),
                        "{\n      \"hard_timeout=1, priority=5,ip actions=drop\" : \"2026-01-01T00:00:01Z\"\n    }"));

        timersAt(START.plusMillis(1_000)); // at exactly its timeout the flow is still there
        assertThat(dumpFlows())
                .isEqualTo("NXST_FLOW reply (xid=0x4):\n"
                        + " cookie=0x0, duration=1.000s, table=0, n_packets=0, n_bytes=0, idle_age=1,"
                        + " priority=7,arp actions=NORMAL\n"
                        + " cookie=0x0, duration=1.000s, table=0, n_packets=0, n_bytes=0, hard_timeout=1, idle_age=1,"
                        + " priority=5,ip actions=drop\n"
                        + " cookie=0x0, duration=1.000s, table=0, n_packets=0, n_bytes=0, idle_age=1,"
                        + " priority=0 actions=NORMAL\n");
        timersAt(START.plusMillis(1_001));

        assertThat(dumpFlows())
                .isEqualTo("NXST_FLOW reply (xid=0x4):\n"
                        + " cookie=0x0, duration=1.001s, table=0, n_packets=0, n_bytes=0, idle_age=1,"
                        + " priority=7,arp actions=NORMAL\n"
                        + " cookie=0x0, duration=1.001s, table=0, n_packets=0, n_bytes=0, idle_age=1,"
                        + " priority=0 actions=NORMAL\n");
        assertThat(dbText())
                .isEqualTo(expectedDb(List.of("priority=7,arp actions=NORMAL", "priority=0 actions=NORMAL"), null));
        assertThat(log)
                .containsExactly(
                        "restored 0 bridges, 0 ports and 0 flows from " + db(),
                        "forwarding on",
                        "removed 1 expired flow from " + db() + ": br0: hard_timeout=1, priority=5,ip actions=drop");

        restartAt(START.plusSeconds(60));
        assertThat(dumpFlows())
                .isEqualTo("NXST_FLOW reply (xid=0x4):\n"
                        + " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                        + " priority=7,arp actions=NORMAL\n"
                        + " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                        + " priority=0 actions=NORMAL\n");
    }

    @Test
    void flowsThatExpireTogetherLeaveTheDatabaseInOneWriteIdleTimeoutsToo() throws Exception {
        start();
        vsctl("add-br", "br0");
        addFlow("idle_timeout=2,priority=6,tcp,actions=drop");
        addFlow("hard_timeout=2,priority=5,udp,actions=drop");
        addFlow("hard_timeout=9,priority=4,icmp,actions=drop");

        timersAt(START.plusMillis(2_001));

        assertThat(dbText())
                .isEqualTo(expectedDb(
                        List.of("hard_timeout=9, priority=4,icmp actions=drop", "priority=0 actions=NORMAL"),
                        "{\n      \"hard_timeout=9, priority=4,icmp actions=drop\" : \"2026-01-01T00:00:09Z\"\n    }"));
        assertThat(log.subList(2, log.size()))
                .containsExactly("removed 2 expired flows from " + db()
                        + ": br0: idle_timeout=2, priority=6,tcp actions=drop;"
                        + " br0: hard_timeout=2, priority=5,udp actions=drop");
    }

    @Test
    void aRestartBeforeTheHardDeadlineRestoresTheFlowWithOnlyTheTimeItHadLeft() throws Exception {
        start();
        vsctl("add-br", "br0");
        addFlow("hard_timeout=10,priority=5,ip,actions=drop");
        addFlow("idle_timeout=5,priority=6,arp,actions=drop");
        String stored = dbText();

        restartAt(START.plusSeconds(7)); // stopped for part of the 10 s

        assertThat(log).containsExactly("restored 1 bridge, 0 ports and 3 flows from " + db(), "forwarding on");
        assertThat(dbText()).isEqualTo(stored);
        // 3 s left of the hard timeout; the idle timer starts afresh, and so do the flows' durations and counters.
        assertThat(dumpFlows())
                .isEqualTo("NXST_FLOW reply (xid=0x4):\n"
                        + " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_timeout=5, idle_age=0,"
                        + " priority=6,arp actions=drop\n"
                        + " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, hard_timeout=10, idle_age=0,"
                        + " hard_age=7, priority=5,ip actions=drop\n"
                        + " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                        + " priority=0 actions=NORMAL\n");

        timersAt(START.plusMillis(10_000));
        assertThat(dbText()).isEqualTo(stored);
        timersAt(START.plusMillis(10_001)); // 3.001 s after the restart, not 10 s
        assertThat(dbText())
                .isEqualTo(expectedDb(
                        List.of("idle_timeout=5, priority=6,arp actions=drop", "priority=0 actions=NORMAL"), null));
        // The idle timer started afresh at the restart: 5 s from 7 s, not from 0 s.
        timersAt(START.plusMillis(12_000));
        assertThat(daemon.db().bridge("br0").flows()).hasSize(2);
        timersAt(START.plusMillis(12_001));
        assertThat(dbText()).isEqualTo(expectedDb(List.of("priority=0 actions=NORMAL"), null));
    }

    @Test
    void aRestartAfterTheHardDeadlineDoesNotRestoreTheFlow() throws Exception {
        start();
        vsctl("add-br", "br0");
        addFlow("hard_timeout=3,priority=5,ip,actions=drop");
        clock.set(START.plusSeconds(2));
        addFlow("hard_timeout=30,priority=6,arp,actions=drop");

        restartAt(START.plusMillis(3_001));

        assertThat(log)
                .containsExactly(
                        "restored 1 bridge, 0 ports and 2 flows from " + db(),
                        "not restored, its hard timeout passed while stopped: br0: hard_timeout=3, priority=5,ip"
                                + " actions=drop (hard deadline 2026-01-01T00:00:03Z)",
                        "forwarding on");
        assertThat(dumpFlows())
                .isEqualTo("NXST_FLOW reply (xid=0x4):\n"
                        + " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, hard_timeout=30, idle_age=0,"
                        + " hard_age=1, priority=6,arp actions=drop\n"
                        + " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                        + " priority=0 actions=NORMAL\n");
        assertThat(dbText())
                .isEqualTo(expectedDb(
                        List.of("hard_timeout=30, priority=6,arp actions=drop", "priority=0 actions=NORMAL"),
                        "{\n      \"hard_timeout=30, priority=6,arp actions=drop\" : \"2026-01-01T00:00:32Z\"\n    }"));
    }

    @Test
    void aDatabaseWrittenBeforeDeadlinesWereKeptLoadsAndItsHardTimeoutsStartAfresh() throws Exception {
        String old = """
                {
                  "uuid" : "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
                  "bridges" : [ {
                    "name" : "br0",
                    "failMode" : null,
                    "ports" : [ {
                      "name" : "br0",
                      "type" : "internal",
                      "options" : { },
                      "tag" : 0
                    } ],
                    "flows" : [ "hard_timeout=30, priority=5,ip actions=drop", "priority=0 actions=NORMAL" ]
                  } ],
                  "agent" : null
                }""";
        Files.writeString(db(), old);
        clock.set(START.plusSeconds(100));

        start();

        assertThat(dumpFlows())
                .isEqualTo("NXST_FLOW reply (xid=0x4):\n"
                        + " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, hard_timeout=30, idle_age=0,"
                        + " priority=5,ip actions=drop\n"
                        + " cookie=0x0, duration=0.000s, table=0, n_packets=0, n_bytes=0, idle_age=0,"
                        + " priority=0 actions=NORMAL\n");
        assertThat(dbText())
                .isEqualTo(expectedDb(
                        List.of("hard_timeout=30, priority=5,ip actions=drop", "priority=0 actions=NORMAL"),
                        "{\n      \"hard_timeout=30, priority=5,ip actions=drop\" : \"2026-01-01T00:02:10Z\"\n    }"));
    }

    @Test
    void aDatabaseWithoutTimeoutsIsLeftAsItWas() throws Exception {
        String old = """
                {
                  "uuid" : "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
                  "bridges" : [ {
                    "name" : "br0",
                    "failMode" : null,
                    "ports" : [ {
                      "name" : "br0",
                      "type" : "internal",
                      "options" : { },
                      "tag" : 0
                    } ],
                    "flows" : [ "priority=5,ip actions=drop", "priority=0 actions=NORMAL" ]
                  } ],
                  "agent" : null
                }""";
        Files.writeString(db(), old);

        start();
        timersAt(START.plusSeconds(100_000));

        assertThat(dbText()).isEqualTo(old);
        addFlow("priority=6,arp,actions=drop");
        assertThat(dbText())
                .isEqualTo(expectedDb(
                        List.of(
                                "priority=6,arp actions=drop",
                                "priority=5,ip actions=drop",
                                "priority=0 actions=NORMAL"),
                        null));
    }

    @Test
    void aFlowModifiedBeforeARestartKeepsTheDeadlineOfItsModification() throws Exception {
        start();
        vsctl("add-br", "br0");
        addFlow("hard_timeout=10,priority=5,ip,actions=drop");
        clock.set(START.plusSeconds(4));
        request("{\"op\":\"ofctl\",\"command\":\"mod-flows\",\"bridge\":\"br0\",\"flows\":[\"ip actions=NORMAL\"]}");
        assertThat(daemon.db().bridge("br0").hardDeadlines())
                .containsExactly(
                        java.util.Map.entry("hard_timeout=10, priority=5,ip actions=NORMAL", START.plusSeconds(14)));

        restartAt(START.plusSeconds(12));
        timersAt(START.plusMillis(14_000));
        assertThat(dumpFlows()).contains("hard_timeout=10, idle_age=2, hard_age=10, priority=5,ip actions=NORMAL");
        timersAt(START.plusMillis(14_001));
        assertThat(daemon.db().bridge("br0").flows()).containsExactly("priority=0 actions=NORMAL");
    }

    @Test
    void learnedFlowsNeverReachTheDatabaseAndTheirExpiryWritesNothing() throws Exception {
        start();
        vsctl("add-br", "br0", "--", "add-port", "br0", "tap0", "--", "set", "interface", "tap0", "type=tap");
        addFlow("priority=10,actions=learn(table=1,hard_timeout=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
                + "output:NXM_OF_IN_PORT[]),NORMAL");
        String stored = dbText();

        byte[] frame = new FrameBuilder()
                .ethernet(MacAddress.parse("fa:16:3e:00:00:01"), MacAddress.BROADCAST)
                .build();
        daemon.thread()
                .submit(() -> {
                    Datapath datapath = daemon.thread().datapath();
                    datapath.receive(
                            (EthernetPort) datapath.findPort("tap0"), MemorySegment.ofArray(frame), 0, frame.length);
                    return null;
                })
                .join();
        timersAt(START.plusMillis(500));
        assertThat(request("{\"op\":\"ofctl\",\"command\":\"dump-flows\",\"bridge\":\"br0\",\"match\":\"table=1\"}"))
                .isEqualTo("NXST_FLOW reply (xid=0x4):\n"
                        + " cookie=0x0, duration=0.500s, table=1, n_packets=0, n_bytes=0, hard_timeout=1, idle_age=0,"
                        + " dl_dst=fa:16:3e:00:00:01 actions=output:1\n");
        assertThat(dbText()).isEqualTo(stored);

        timersAt(START.plusMillis(1_001));

        assertThat(request("{\"op\":\"ofctl\",\"command\":\"dump-flows\",\"bridge\":\"br0\",\"match\":\"table=1\"}"))
                .isEqualTo("NXST_FLOW reply (xid=0x4):\n");
        assertThat(dbText()).isEqualTo(stored);
        assertThat(log).containsExactly("restored 0 bridges, 0 ports and 0 flows from " + db(), "forwarding on");
    }
}
