package io.jvswitch.ofproto.table;

import io.jvswitch.ofproto.flow.Match;

/**
 * Told of every change to a flow table, so that caches of translations can drop or revalidate what the change
 * affects: a flow added, modified, deleted, learned or expired in {@code table} with {@code match}.
 */
@FunctionalInterface
public interface FlowChangeListener {
    void flowChanged(int table, Match match);
}
