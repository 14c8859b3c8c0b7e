package io.jvswitch.ofproto.xlate;

import io.jvswitch.ofproto.table.FlowTables;

/**
 * Something a translation's outcome rests on, whose change makes a cached copy of it stale: a flow table it looked
 * up, a bridge's MAC table NORMAL consulted. Caches index their entries by these and drop them when told of a change.
 * Equality is what matters: two translations that read the same table hold equal dependencies.
 */
public interface Dependency {
    /** A lookup in one OpenFlow table of one bridge: any flow added, changed or removed there may change the result. */
    record Table(FlowTables tables, int table) implements Dependency {
        @Override
        public boolean equals(Object other) {
            return other instanceof Table that && that.tables == tables && that.table == table;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(tables) * 31 + table;
        }
    }
}
