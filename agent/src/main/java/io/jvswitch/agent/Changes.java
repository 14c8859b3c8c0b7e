package io.jvswitch.agent;

import java.util.List;

/**
 * What one {@link TunnelAgent#apply} changed: ports by name, and br-tun flows by kind. Applying a state the host
 * already has changes nothing.
 *
 * @param flowsModified flows whose actions or cookie changed in place (counters kept), or that were replaced
 * @param learnedFlowsDeleted flows the agent did not install (learned ones) deleted because they sent to a tunnel
 *     that went away or belonged to a network that left
 */
public record Changes(
        List<String> portsAdded,
        List<String> portsRemoved,
        int flowsAdded,
        int flowsModified,
        int flowsDeleted,
        int learnedFlowsDeleted) {
    public Changes {
        portsAdded = List.copyOf(portsAdded);
        portsRemoved = List.copyOf(portsRemoved);
    }

    /** True when nothing changed. */
    public boolean isEmpty() {
        return portsAdded.isEmpty()
                && portsRemoved.isEmpty()
                && flowsAdded == 0
                && flowsModified == 0
                && flowsDeleted == 0
                && learnedFlowsDeleted == 0;
    }
}
