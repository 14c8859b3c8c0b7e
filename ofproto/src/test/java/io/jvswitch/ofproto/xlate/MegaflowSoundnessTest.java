package io.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.ManualClock;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.MatchFormatter;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowModException;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.text.FlowParseException;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.ofproto.text.RuleFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The megaflow promise, tested at random: a packet that agrees with another on every bit of the other's megaflow
 * translates to the same datapath actions, side effects, flows hit and drop reason. The datapath's megaflow cache
 * hands the first packet's result to every such packet without translating it, so a bit that the outcome depended on
 * but that the megaflow leaves out sends some packet the wrong way.
 *
 * <p>Each pair runs on two copies of the same bridge, built alike: the first packet on one, its partner on the other.
 * Both copies then learn the same flows (if the result is sound), so they stay alike and the tables grow with
 * learning as the run goes on. The partner copies the first packet under its megaflow's mask and is random on every
 * other bit of every field a packet has (registers and metadata, which no packet carries, stay zero).
 */
class MegaflowSoundnessTest {
    static final int PAIRS = 12_000;

    private static final long[] FIELD_BITS = new long[FlowKey.WORDS];

    static {
        for (Field field : Field.values()) {
            if (field.bits() == 128) {
                FIELD_BITS[field.word()] = -1L;
                FIELD_BITS[field.word() + 1] = -1L;
            } else {
                FIELD_BITS[field.word()] |= field.wordMask();
            }
        }
        // Packets carry no registers or metadata: they start translation at zero, and megaflows leave them out.
        FIELD_BITS[FlowKey.METADATA] = 0;
        for (int w = FlowKey.REGS; w < FlowKey.REGS + 4; w++) {
            FIELD_BITS[w] = 0;
        }
    }

    @ParameterizedTest(name = "tutorial br-tun, seed {0}")
    @ValueSource(longs = {1, 2})
    void theTutorialsBrTun(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Pools pools = new Pools(random, new int[] {1, 2, 3, 4}, new long[] {0, 0x1388, 0x1389});
        run(seed, "tutorial", random, clock -> TutorialBrTun.beforeLearning(clock), pools::packet);
    }

    @ParameterizedTest(name = "random tables, seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void randomTablesWithResubmitsLoadsMovesSetFieldAndLearn(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> flows = new RandomFlows(new SplittableRandom(seed * 7919)).flows(6, 14);
        List<String> peerFlows = new RandomFlows(new SplittableRandom(seed * 104729)).flows(3, 6);
        Pools pools = new Pools(random, new int[] {1, 2, 3, 4, 5}, new long[] {0, 0x1388, 0x64});
        run(
                seed,
                "random",
                random,
                clock -> {
                    TestBridge bridge = new TestBridge("br0", tables(clock, flows))
                            .port(1, "p1")
                            .port(2, "p2")
                            .tunnel(3, "vxlan0")
                            .noFlood(4, "p4");
                    TestBridge peer = new TestBridge("br1", tables(clock, peerFlows))
                            .port(2, "q2")
                            .tunnel(3, "gre0");
                    TestBridge.patch(bridge, 5, "patch-br1", peer, 1, "patch-br0");
                    return bridge;
                },
                pools::packet);
    }

    /** Loads the flows that parse and pass their checks, skipping the others (the generator is not that careful). */
    private static FlowTables tables(ManualClock clock, List<String> flows) {
        FlowTables tables = new FlowTables(clock);
        int loaded = 0;
        for (String flow : flows) {
            try {
                tables.apply(FlowParser.parse(flow, FlowMod.Command.ADD));
                loaded++;
            } catch (FlowParseException | FlowModException e) {
                // skipped
            }
        }
        assertThat(loaded).as("flows that load").isGreaterThan(flows.size() * 3 / 4);
        return tables;
    }

    private static void run(
            long seed,
            String what,
            SplittableRandom random,
            Function<ManualClock, TestBridge> bridges,
            Supplier<FlowKey> packets) {
        long start = System.nanoTime();
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        TestBridge first = bridges.apply(clock);
        TestBridge second = bridges.apply(clock);
        assertThat(first.tables().size()).isGreaterThan(3);
        int delivered = 0;
        int learned = 0;
        int exactBits = 0;
        for (int pair = 0; pair < PAIRS; pair++) {
            FlowKey packet = packets.get();
            Translation one = Translator.translate(first, packet);
            Match megaflow = one.megaflow();
            assertThat(megaflow.matches(packet)).isTrue();
            FlowKey partner = new FlowKey();
            for (int w = 0; w < FlowKey.WORDS; w++) {
                long mask = megaflow.mask(w);
                partner.word(w, (packet.word(w) & mask) | (random.nextLong() & ~mask & FIELD_BITS[w]));
                exactBits += Long.bitCount(mask);
            }
            Translation two = Translator.translate(second, partner);
            if (!outcome(one).equals(outcome(two))) {
                throw new AssertionError(what + " seed " + seed + ", pair " + pair + ": the megaflow\n  "
                        + MatchFormatter.format(megaflow, -1) + "\nof\n  " + packet + "\nholds\n  " + partner
                        + "\nbut they translate differently:\n  " + outcome(one) + "\n  " + outcome(two)
                        + "\ntrace of the first (translated again: tables have changed since):\n"
                        + traceOf(first, packet));
            }
            if (one.dropReason() == null) {
                delivered++;
            }
            learned += one.sideEffects().size();
            if (pair % 1000 == 999) {
                clock.advanceSeconds(7);
                first.tables().expire();
                second.tables().expire();
            }
        }
        System.out.printf(
                "megaflow soundness: %s seed %d, %d pairs (%d delivered, %d learns, %.1f megaflow bits on average),"
                        + " %d flows at the end, %d ms%n",
                what,
                seed,
                PAIRS,
                delivered,
                learned,
                exactBits / (double) PAIRS,
                first.tables().size(),
                (System.nanoTime() - start) / 1_000_000);
        // The pools are built to exercise forwarding, not to drop everything.
        assertThat(delivered).isGreaterThan(PAIRS / 10);
    }

    private static String traceOf(TestBridge bridge, FlowKey packet) {
        StringBuilder trace = new StringBuilder();
        Translator.trace(bridge, packet, trace);
        return trace.toString();
    }

    /** What a cached megaflow replays: datapath actions, learning, the flows credited, the drop reason. */
    private static String outcome(Translation translation) {
        List<String> effects = new ArrayList<>();
        for (SideEffect effect : translation.sideEffects()) {
            effects.add(
                    switch (effect) {
                        case SideEffect.LearnFlow learn -> "learn " + RuleFormatter.addFlowLine(learn.flow());
                        case SideEffect.LearnMac mac ->
                            "mac " + mac.vlan() + " " + Long.toHexString(mac.mac()) + " " + mac.port();
                    });
        }
        return "actions " + translation.actionsText() + "; effects " + effects + "; rules "
                + translation.rules().stream().map(RuleFormatter::addFlowLine).toList() + "; drop "
                + translation.dropReason();
    }

    /** Packets whose fields come from small pools, so that they hit the flows (which use the same values). */
    record Pools(SplittableRandom random, int[] ports, long[] tunnels) {
        static final long[] MACS = {
            0xfa163e000001L, 0xfa163e1f1955L, 0xfa163e000003L, 0x000000000009L, 0xffffffffffffL, 0x01005e000001L
        };
        static final int[] VLANS = {0, 0x1001, 0x1002, 0x7005};
        static final long[] IPS = {0x0a000001L, 0x0a000002L, 0x0a000063L, 0xc0a80101L};
        static final int[] TTLS = {0, 1, 2, 64, 255};

        FlowKey packet() {
            FlowKey key = new FlowKey();
            key.set(Field.IN_PORT, ports[random.nextInt(ports.length)]);
            key.set(Field.TUN_ID, tunnels[random.nextInt(tunnels.length)]);
            key.set(Field.VLAN_TCI, VLANS[random.nextInt(VLANS.length)]);
            key.set(Field.DL_SRC, MACS[random.nextInt(MACS.length)]);
            key.set(Field.DL_DST, MACS[random.nextInt(MACS.length)]);
            switch (random.nextInt(5)) {
                case 0 -> {
                    key.set(Field.DL_TYPE, 0x0806);
                    key.set(Field.ARP_OP, 1 + random.nextInt(2));
                    key.set(Field.ARP_SPA, IPS[random.nextInt(IPS.length)]);
                    key.set(Field.ARP_TPA, IPS[random.nextInt(IPS.length)]);
                    key.set(Field.ARP_SHA, key.get(Field.DL_SRC));
                }
                case 1, 2, 3 -> {
                    key.set(Field.DL_TYPE, 0x0800);
                    key.set(Field.NW_SRC, IPS[random.nextInt(IPS.length)]);
                    key.set(Field.NW_DST, IPS[random.nextInt(IPS.length)]);
                    key.set(Field.NW_TTL, TTLS[random.nextInt(TTLS.length)]);
                    key.set(Field.NW_TOS, random.nextInt(3) * 8);
                    key.set(Field.NW_ECN, random.nextInt(4));
                    int proto = new int[] {1, 6, 17}[random.nextInt(3)];
                    key.set(Field.NW_PROTO, proto);
                    key.set(Field.TP_SRC, 1000 + random.nextInt(3));
                    key.set(Field.TP_DST, new int[] {53, 80, 443}[random.nextInt(3)]);
                }
                default -> key.set(Field.DL_TYPE, random.nextBoolean() ? 0x86dd : 0x88cc);
            }
            return key;
        }
    }

    /** Flow tables at random, in ovs-ofctl syntax, from the same pools of values as the packets. */
    static final class RandomFlows {
        private final SplittableRandom random;

        RandomFlows(SplittableRandom random) {
            this.random = random;
        }

        private <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }

        private String mac() {
            return pick(List.of(
                    "fa:16:3e:00:00:01",
                    "fa:16:3e:1f:19:55",
                    "fa:16:3e:00:00:03",
                    "00:00:00:00:00:09",
                    "ff:ff:ff:ff:ff:ff"));
        }

        private String ip() {
            return pick(List.of("10.0.0.1", "10.0.0.2", "10.0.0.99", "192.168.1.1"));
        }

        List<String> flows(int tables, int perTable) {
            List<String> flows = new ArrayList<>();
            for (int table = 0; table < tables; table++) {
                int count = table == 0 ? perTable : perTable / 2 + random.nextInt(perTable / 2 + 1);
                for (int i = 0; i < count; i++) {
                    flows.add(flow(table, tables));
                }
                if (table == 0 || random.nextInt(3) > 0) {
                    flows.add("table=" + table + ", priority=0 actions=" + actions(table, tables, ""));
                }
            }
            return flows;
        }

        private String flow(int table, int tables) {
            List<String> match = new ArrayList<>();
            String protocol = pick(List.of("", "", "ip", "ip", "arp", "tcp", "udp"));
            if (!protocol.isEmpty()) {
                match.add(protocol);
            }
            int fields = 1 + random.nextInt(2);
            for (int i = 0; i < fields; i++) {
                String field = pick(List.of(
                        "in_port=" + (1 + random.nextInt(5)),
                        "dl_vlan=" + (1 + random.nextInt(2)),
                        "vlan_tci=0x0000",
                        "vlan_tci=0x1000/0x1000",
                        "dl_src=" + mac(),
                        "dl_dst=" + mac(),
                        "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
                        "reg0=0x" + random.nextInt(4),
                        "reg0=0x1/0x1",
                        "reg1=0x" + (1 + random.nextInt(5)),
                        "metadata=0x1",
                        "tun_id=0x1388",
                        "tun_id=0/0xff00"));
                match.add(field);
            }
            if (protocol.equals("ip") || protocol.equals("tcp") || protocol.equals("udp")) {
                match.add(pick(
                        List.of("nw_src=" + ip(), "nw_dst=" + ip(), "nw_dst=10.0.0.0/24", "nw_ttl=1", "nw_tos=8", "")));
            }
            if (protocol.equals("tcp") || protocol.equals("udp")) {
                match.add(pick(List.of("tp_dst=80", "tp_dst=53", "tp_src=1001", "")));
            }
            if (protocol.equals("arp")) {
                match.add(pick(List.of("arp_op=1", "arp_tpa=" + ip(), "")));
            }
            match.removeIf(String::isEmpty);
            String priority = "priority=" + (1 + random.nextInt(6));
            String text = "table=" + table + ", " + priority + (match.isEmpty() ? "" : "," + String.join(",", match));
            return text + " actions=" + actions(table, tables, protocol);
        }

        private String actions(int table, int tables, String protocol) {
            boolean ip = protocol.equals("ip") || protocol.equals("tcp") || protocol.equals("udp");
            List<String> actions = new ArrayList<>();
            int count = random.nextInt(5);
            for (int i = 0; i < count; i++) {
                actions.add(action(table, tables, ip));
            }
            // Usually end in going somewhere: a later table or a port.
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    if (table + 1 < tables) {
                        int next = table + 1 + random.nextInt(tables - table - 1);
                        actions.add(random.nextInt(4) == 0 ? "goto_table:" + next : "resubmit(," + next + ")");
                    }
                }
                case 2, 3 -> actions.add("output:" + (1 + random.nextInt(5)));
                default -> {}
            }
            return actions.isEmpty() ? "drop" : String.join(",", actions);
        }

        private String action(int table, int tables, boolean ip) {
            int later = table + 1 < tables ? table + 1 + random.nextInt(tables - table - 1) : table;
            List<String> any = new ArrayList<>(List.of(
                    "output:" + (1 + random.nextInt(5)),
                    "output:" + (1 + random.nextInt(5)),
                    "IN_PORT",
                    "FLOOD",
                    "ALL",
                    "NORMAL",
                    "controller",
                    "output:NXM_NX_REG1[0..2]",
                    "resubmit(," + later + ")",
                    "resubmit(" + (1 + random.nextInt(5)) + "," + later + ")",
                    "resubmit(," + random.nextInt(tables) + ")",
                    "load:0x" + Integer.toHexString(random.nextInt(16)) + "->NXM_NX_REG0[]",
                    "load:0x" + Integer.toHexString(random.nextInt(16)) + "->NXM_NX_REG0[0..3]",
                    "load:0x" + Integer.toHexString(1 + random.nextInt(5)) + "->NXM_NX_REG1[]",
                    "load:0->NXM_OF_VLAN_TCI[]",
                    "load:0x1002->NXM_OF_VLAN_TCI[]",
                    "load:0x1->NXM_OF_VLAN_TCI[0..11]",
                    "load:0xfa163e000001->NXM_OF_ETH_SRC[]",
                    "load:0x55->NXM_OF_ETH_DST[0..7]",
                    "load:0x1388->NXM_NX_TUN_ID[]",
                    "load:0x1->OXM_OF_METADATA[]",
                    "load:0x" + (1 + random.nextInt(5)) + "->NXM_OF_IN_PORT[]",
                    "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]",
                    "move:NXM_OF_ETH_DST[0..15]->NXM_NX_REG0[0..15]",
                    "move:NXM_NX_REG0[0..11]->NXM_OF_VLAN_TCI[0..11]",
                    "move:NXM_NX_TUN_ID[0..31]->NXM_NX_REG1[]",
                    "move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15]",
                    "move:NXM_OF_VLAN_TCI[]->NXM_NX_REG2[0..15]",
                    "set_field:" + mac() + "->eth_src",
                    "set_field:" + mac() + "->eth_dst",
                    "set_field:" + (1 + random.nextInt(3)) + "->dl_vlan",
                    "set_field:0x1388->tun_id",
                    "set_field:0x1/0x1->reg0",
                    "mod_dl_src:" + mac(),
                    "mod_dl_dst:" + mac(),
                    "mod_vlan_vid:" + (1 + random.nextInt(3)),
                    "mod_vlan_pcp:" + random.nextInt(8),
                    "strip_vlan",
                    "push_vlan:0x8100",
                    "set_tunnel:0x64",
                    "note:ab",
                    learn(tables)));
            if (ip) {
                any.addAll(List.of(
                        "mod_nw_src:" + ip(),
                        "mod_nw_dst:" + ip(),
                        "mod_nw_tos:" + random.nextInt(3) * 32,
                        "dec_ttl",
                        "dec_ttl",
                        "set_field:" + ip() + "->ip_dst",
                        "set_field:" + random.nextInt(4) + "->nw_ecn",
                        "load:0x" + Integer.toHexString(random.nextInt(256)) + "->NXM_OF_IP_SRC[0..7]",
                        "move:NXM_OF_IP_SRC[]->NXM_OF_IP_DST[]",
                        "move:NXM_OF_IP_DST[]->NXM_NX_REG0[]",
                        "move:NXM_NX_REG0[0..5]->NXM_OF_IP_TOS[2..7]"));
            }
            return pick(any);
        }

        private String learn(int tables) {
            int table = 1 + random.nextInt(tables - 1);
            List<String> specs = new ArrayList<>();
            specs.add("table=" + table);
            specs.add("priority=" + (5 + random.nextInt(3)));
            if (random.nextBoolean()) {
                specs.add("hard_timeout=" + (10 + random.nextInt(30)));
            } else {
                specs.add("idle_timeout=" + (10 + random.nextInt(30)));
            }
            specs.add(pick(
                    List.of("NXM_OF_VLAN_TCI[0..11]", "NXM_NX_TUN_ID[]", "NXM_OF_IN_PORT[]", "NXM_NX_REG0[0..3]")));
            specs.add(pick(List.of("NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]", "NXM_OF_ETH_SRC[]", "NXM_NX_REG1[]")));
            specs.add(pick(List.of(
                    "load:0->NXM_OF_VLAN_TCI[]",
                    "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[]",
                    "load:NXM_NX_REG0[]->NXM_NX_REG1[]",
                    "load:0x2->NXM_NX_REG1[]")));
            specs.add(pick(List.of("output:NXM_OF_IN_PORT[]", "output:NXM_NX_REG1[0..2]", "load:0x1->NXM_NX_REG2[]")));
            return "learn(" + String.join(",", specs) + ")";
        }
    }
}
