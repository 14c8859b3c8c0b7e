package io.jvswitch.datapath.cache;

import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.xlate.BridgeView;
import java.time.Instant;
import java.time.InstantSource;

/** A bridge with ports 1 to 4 (3 and 4 tunnels), its tables, and a clock that moves when told. */
final class TestBridge implements BridgeView {
    final Clock clock = new Clock();
    final FlowTables tables = new FlowTables(clock);

    @Override
    public String name() {
        return "br-test";
    }

    @Override
    public FlowTables tables() {
        return tables;
    }

    @Override
    public int[] portNumbers() {
        return new int[] {1, 2, 3, 4};
    }

    @Override
    public boolean isTunnel(int port) {
        return port >= 3;
    }

    static final class Clock implements InstantSource {
        long millis = 1_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }
}
