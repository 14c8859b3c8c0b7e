package io.jvswitch.ofproto.table;

import java.util.List;

/**
 * Told of the flows that {@link FlowTables#expire} removed because their idle or hard timeout passed, once per call
 * that removed any, after they have left their tables: what OpenFlow's flow-removed messages (reasons idle timeout and
 * hard timeout) tell a controller. Learned flows are among them; the listener tells them apart if it needs to.
 *
 * <p>Called on the thread that expires flows (the datapath's, between packet batches) with the tables' lock held: a
 * listener must only note what it heard and hand any slow work (writing a file) to a thread of its own.
 */
@FunctionalInterface
public interface FlowExpiryListener {
    void flowsExpired(List<Rule> expired);
}
