package io.jvswitch.datapath.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.FlowParser;
import org.junit.jupiter.api.Test;

class FlowCacheTest {
    private final TestBridge bridge = new TestBridge();
    private final FlowCache cache = new FlowCache(bridge, bridge.clock);

    private void add(String flow) {
        bridge.tables.apply(FlowParser.parse(flow, FlowMod.Command.ADD));
    }

    private static FlowKey packet(int inPort, long destination) {
        return new FlowKey()
                .set(Field.IN_PORT, inPort)
                .set(Field.DL_SRC, 0xfa163e000001L)
                .set(Field.DL_DST, destination)
                .set(Field.DL_TYPE, 0x0800)
                .set(Field.NW_PROTO, 17);
    }

    private String actions(FlowKey key) {
        return cache.classify(key, 100).translation().actionsText();
    }

    @Test
    void aPacketIsTranslatedOnceThenServedByTheExactMatchCacheAndOthersByTheMegaflow() {
        add("table=0,priority=1,in_port=1 actions=output:2");
        assertThat(actions(packet(1, 0xfa163e000002L))).isEqualTo("2");
        assertThat(actions(packet(1, 0xfa163e000002L))).isEqualTo("2");
        // Another destination from the same port: the megaflow (in_port, dl_type, vlan) covers it.
        assertThat(actions(packet(1, 0xfa163e000003L))).isEqualTo("2");
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.exactHits()).isEqualTo(1);
        assertThat(cache.megaflowHits()).isEqualTo(1);
        assertThat(cache.megaflows().size()).isEqualTo(1);
    }

    @Test
    void everyKindOfFlowChangeToATableThePacketReadDropsTheCachedResult() {
        add("table=0,priority=1,in_port=1 actions=resubmit(,1)");
        add("table=1,priority=1,dl_dst=fa:16:3e:00:00:02 actions=output:2");
        FlowKey key = packet(1, 0xfa163e000002L);
        assertThat(actions(key)).isEqualTo("2");

        add("table=1,priority=5,dl_dst=fa:16:3e:00:00:02 actions=output:3"); // add
        assertThat(actions(key)).isEqualTo("set(tunnel(tun_id=0x0)),3"); // ports 3 and 4 are tunnels
        bridge.tables.apply(FlowParser.parse(
                "table=1,priority=5,dl_dst=fa:16:3e:00:00:02 actions=output:4", FlowMod.Command.MODIFY_STRICT));
        assertThat(actions(key)).isEqualTo("set(tunnel(tun_id=0x0)),4"); // modify
        bridge.tables.apply(
                FlowParser.parse("table=1,priority=5,dl_dst=fa:16:3e:00:00:02", FlowMod.Command.DELETE_STRICT));
        assertThat(actions(key)).isEqualTo("2"); // delete
        bridge.tables.learn(FlowParser.parse(
                "table=1,priority=7,hard_timeout=10,dl_dst=fa:16:3e:00:00:02 actions=IN_PORT",
                FlowMod.Command.MODIFY_STRICT));
        assertThat(actions(key)).isEqualTo("1"); // learn of a new flow
        bridge.clock.millis += 10_001; // hard_timeout=10 expires strictly after 10 s, as in Open vSwitch
        assertThat(bridge.tables.expire()).hasSize(1);
        assertThat(actions(key)).isEqualTo("2"); // expiry
        assertThat(cache.misses()).isEqualTo(6);
    }

    @Test
    void aChangeToATableThePacketNeverReadLeavesItsCachedResultAlone() {
        add("table=0,priority=1,in_port=1 actions=output:2");
        FlowKey key = packet(1, 0xfa163e000002L);
        actions(key);
        add("table=5,priority=1 actions=drop");
        actions(key);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void aLearnThatRefreshesAnIdenticalFlowInvalidatesNothing() {
        add("table=0,priority=1 actions=output:2");
        FlowKey key = packet(1, 0xfa163e000002L);
        String learned = "table=0,priority=9,hard_timeout=300,in_port=3 actions=output:1";
        bridge.tables.learn(FlowParser.parse(learned, FlowMod.Command.MODIFY_STRICT));
        actions(key);
        bridge.tables.learn(FlowParser.parse(learned, FlowMod.Command.MODIFY_STRICT));
        actions(key);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void countersReachTheFlowsWhenPushedAndLearningIsReplayedFromTheCache() {
        add("table=0,priority=1,in_port=3 actions=learn(table=1,hard_timeout=60,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
                + "output:NXM_OF_IN_PORT[]),output:1");
        FlowKey key = packet(3, 0xfa163e000009L);
        for (int i = 0; i < 5; i++) {
            actions(key);
        }
        Rule first = bridge.tables.rules().stream()
                .filter(r -> r.table() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(first.packets()).isZero(); // nothing pushed yet: the cache counts
        cache.pushStats();
        assertThat(first.packets()).isEqualTo(5);
        assertThat(first.bytes()).isEqualTo(500);

        Rule learned = bridge.tables.rules().stream()
                .filter(r -> r.table() == 1)
                .findFirst()
                .orElseThrow();
        long learnedAt = learned.modifiedMillis();
        bridge.clock.millis += 30_000;
        actions(key); // a cache hit 30 s later replays the learn: the learned flow's hard timer restarts
        assertThat(learned.modifiedMillis()).isEqualTo(learnedAt + 30_000);
        bridge.clock.millis += 40_000;
        assertThat(bridge.tables.expire()).isEmpty(); // 70 s after it was learned, 40 s after its refresh
        assertThat(cache.misses()).isEqualTo(1);
    }
}
