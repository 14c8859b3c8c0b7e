package io.jvswitch.lab.underlay;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.PacketParser;
import io.jvswitch.wire.ParsedPacket;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * A router of the underlay: forwards IPv4 and IPv6 between its segments by its routing table, decrementing the TTL
 * (hop limit) and fixing the IPv4 header checksum on the way, and rewriting the Ethernet addresses for the next hop.
 * A packet whose TTL would reach 0 is dropped ({@link UnderlayDrop#TTL_EXPIRED}); no ICMP is sent back.
 *
 * <p>Multicast: a packet to a group goes out of every other interface behind which some host has joined the group
 * (no IGMP or PIM: the network knows the members). This assumes the segments and routers form a tree; with loops
 * a member may receive a packet more than once.
 */
public final class Router extends Node {
    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();

    Router(UnderlayNetwork network, String name) {
        super(network, name);
    }

    @Override
    void receive(Nic in, byte[] shared) {
        received++;
        if (parser.parse(MemorySegment.ofArray(shared), 0, shared.length, parsed) != null || parsed.ipVersion() == 0) {
            counters.dropped(UnderlayDrop.MALFORMED);
            return;
        }
        InetAddress destination = ipDestination(shared);
        if (destination.isMulticastAddress()) {
            forwardToGroup(in, destination, shared);
            return;
        }
        if (owns(destination)) {
            counters.dropped(UnderlayDrop.NOT_FOR_HOST); // a router runs no services
            return;
        }
        Hop hop = lookup(destination);
        if (hop == null) {
            counters.dropped(UnderlayDrop.NO_ROUTE);
            return;
        }
        Nic neighbor = network.neighbor(hop.nic().segment(), hop.nextHop());
        if (neighbor == null) {
            counters.dropped(UnderlayDrop.NO_NEIGHBOR);
            return;
        }
        byte[] frame = shared.clone();
        if (!decrementTtl(frame)) {
            counters.dropped(UnderlayDrop.TTL_EXPIRED);
            return;
        }
        MemorySegment segment = MemorySegment.ofArray(frame);
        Bytes.mac(segment, 0, neighbor.mac());
        Bytes.mac(segment, 6, hop.nic().mac());
        transmit(hop.nic(), frame);
    }

    private void forwardToGroup(Nic in, InetAddress group, byte[] shared) {
        boolean expired = false;
        for (Nic out : nics()) {
            if (out == in || !network.membersBeyond(group, out.segment(), visitedFrom())) {
                continue;
            }
            byte[] frame = shared.clone();
            if (!decrementTtl(frame)) {
                expired = true;
                continue;
            }
            Bytes.mac(MemorySegment.ofArray(frame), 6, out.mac());
            transmit(out, frame);
        }
        if (expired) {
            counters.dropped(UnderlayDrop.TTL_EXPIRED);
        }
    }

    private Set<Node> visitedFrom() {
        Set<Node> visited = new HashSet<>();
        visited.add(this);
        return visited;
    }
}
