package io.jvswitch.datapath;

import io.jvswitch.datapath.port.Port;

/** Hears ports being added to and removed from a {@link Datapath}'s bridges; called on the datapath's thread. */
public interface PortListener {
    /** {@code port} has just joined a bridge and has its numbers. */
    void portAdded(Port port);

    /** {@code port} is leaving its bridge; called before the datapath forgets it. */
    void portRemoved(Port port);
}
