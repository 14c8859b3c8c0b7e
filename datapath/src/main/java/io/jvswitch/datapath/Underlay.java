package io.jvswitch.datapath;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.Map;

/**
 * The network tunnels ride on, as the datapath sees it: where encapsulated frames go, and the addresses to put on
 * them. The lab simulates one; the real switch sends through UDP and raw IP sockets.
 */
public interface Underlay {
    /**
     * Sends an encapsulated frame (outer Ethernet header first) towards its outer destination, or queues a copy to send
     * with the rest of the batch at {@link #flush}. The frame's buffer is free again on return.
     */
    void send(MemorySegment segment, long offset, int length);

    /**
     * Sends what {@link #send} queued. Whoever owns the datapath calls it after each batch of received packets; an
     * underlay that sends at once has nothing to do.
     */
    default void flush() {}

    /** This host's MAC on the underlay, the outer source. */
    long localMac();

    /** The MAC of the next hop towards {@code destination}, the outer destination. */
    long nextHopMac(InetAddress destination);

    /**
     * This host's address towards {@code remote}: the tunnel's source when it has no {@code local_ip}. Null when there
     * is no route there now; the tunnel's packets are then dropped as {@code tunnel_no_route}, and asked again later.
     */
    InetAddress localAddress(InetAddress remote);

    /** The underlay's MTU: the largest IP packet it carries. */
    int mtu();

    /**
     * Starts receiving packets sent to a multicast {@code group} (IGMP or MLD join, {@code IP_ADD_MEMBERSHIP}): the
     * datapath calls it when the first tunnel port whose {@code remote_ip} is that group is added, as an RFC 7348
     * VTEP joins its VNI's group. An underlay without multicast ignores it.
     */
    default void join(InetAddress group) {}

    /** Stops receiving packets sent to {@code group}: called when the last tunnel port to that group is removed. */
    default void leave(InetAddress group) {}

    /**
     * What the underlay's offloads did, by counter name in the order to print ({@code gso_sends}, ...), for {@code
     * dpctl/show}; empty for an underlay without any.
     */
    default Map<String, Long> offloadStatistics() {
        return Map.of();
    }
}
