package io.jvswitch.datapath;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;

/**
 * The network tunnels ride on, as the datapath sees it: where encapsulated frames go, and the addresses to put on
 * them. The lab simulates one; the real switch sends through UDP and raw IP sockets.
 */
public interface Underlay {
    /** Sends an encapsulated frame (outer Ethernet header first) towards its outer destination. Consumed on return. */
    void send(MemorySegment segment, long offset, int length);

    /** This host's MAC on the underlay, the outer source. */
    long localMac();

    /** The MAC of the next hop towards {@code destination}, the outer destination. */
    long nextHopMac(InetAddress destination);

    /** This host's address towards {@code remote}: the tunnel's source when it has no {@code local_ip}. */
    InetAddress localAddress(InetAddress remote);

    /** The underlay's MTU: the largest IP packet it carries. */
    int mtu();
}
