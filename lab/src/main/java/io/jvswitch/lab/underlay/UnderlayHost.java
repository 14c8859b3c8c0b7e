package io.jvswitch.lab.underlay;

import io.jvswitch.datapath.Underlay;
import io.jvswitch.datapath.port.FrameSink;
import io.jvswitch.lab.IpPrefix;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.PacketBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A hypervisor host on the underlay: where a switch runs. It is the switch's {@link Underlay} (send whole frames,
 * learn the MACs and addresses to put on them) and hands the switch, through the {@link #receiver(FrameSink)
 * receiver}, every frame that arrives for one of its addresses or for a multicast group it {@link #join joined}.
 *
 * <pre>{@code
 * UnderlayHost host = network.host("host1");
 * Datapath datapath = new Datapath(..., host);            // the switch sends through host.send(...)
 * host.receiver(datapath::receiveFromUnderlay);           // and receives what the underlay brings
 * }</pre>
 *
 * <p>Frames are delivered from an off-heap buffer owned by the host, with {@link PacketBuffer#DEFAULT_HEADROOM} bytes
 * in front of them; they must be consumed before the call returns. Sending copies the frame at once; it reaches the
 * next node one segment latency later (on the lab's scheduler), never inside the call.
 *
 * <p>The host does no ARP on the underlay: {@link #nextHopMac} reads the neighbor's MAC from the network, as a host
 * with a complete neighbor table would. A host with several interfaces sends from the one its route chooses; {@link
 * #localMac} and {@link #mtu} are the first interface's.
 */
public final class UnderlayHost extends Node implements Underlay {
    private final Set<InetAddress> groups = new LinkedHashSet<>();
    private final PacketBuffer receiveBuffer = new PacketBuffer(
            Arena.ofAuto().allocate(PacketBuffer.DEFAULT_HEADROOM + 65536L + 64, 64), PacketBuffer.DEFAULT_HEADROOM);
    private FrameSink receiver;

    UnderlayHost(UnderlayNetwork network, String name) {
        super(network, name);
    }

    /** Where frames for this host go (the switch's receive from the underlay); null drops them, counted. */
    public void receiver(FrameSink sink) {
        this.receiver = sink;
    }

    public FrameSink receiver() {
        return receiver;
    }

    /** Joins a multicast group: frames sent to it reach this host (no IGMP: the network just knows). */
    public void join(String group) {
        join(IpPrefix.parseAddress(group));
    }

    public void join(InetAddress group) {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException(name() + ": " + IpPrefix.format(group) + " is not a multicast group");
        }
        groups.add(group);
    }

    public void leave(String group) {
        groups.remove(IpPrefix.parseAddress(group));
    }

    public void leave(InetAddress group) {
        groups.remove(group);
    }

    /** The groups joined, in the order they were joined. */
    public Set<InetAddress> groups() {
        return Collections.unmodifiableSet(groups);
    }

    private Nic primary() {
        if (nics().isEmpty()) {
            throw new IllegalStateException(name() + " has no interface on the underlay");
        }
        return nics().getFirst();
    }

    // ---------------------------------------------------------------- Underlay

    @Override
    public void send(MemorySegment segment, long offset, int length) {
        byte[] frame = segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        InetAddress destination = ipDestination(frame);
        if (destination == null) {
            counters.dropped(UnderlayDrop.MALFORMED);
            return;
        }
        Nic out;
        if (destination.isMulticastAddress()) {
            out = nicOwning(ipSource(frame));
        } else {
            Hop hop = lookup(destination);
            if (hop == null) {
                counters.dropped(UnderlayDrop.NO_ROUTE);
                return;
            }
            out = hop.nic();
        }
        transmit(out, frame);
    }

    private Nic nicOwning(InetAddress source) {
        for (Nic nic : nics()) {
            if (nic.owns(source)) {
                return nic;
            }
        }
        return primary();
    }

    @Override
    public long localMac() {
        return primary().mac();
    }

    /**
     * The MAC to send a packet for {@code destination} to: the group MAC for a multicast group (01:00:5e:... or
     * 33:33:...), else the MAC of the route's next hop; 0 when there is no route or no neighbor has the next hop's
     * address (a frame sent there is dropped and counted).
     */
    @Override
    public long nextHopMac(InetAddress destination) {
        if (destination.isMulticastAddress()) {
            return groupMac(destination);
        }
        Hop hop = lookup(destination);
        if (hop == null) {
            return 0;
        }
        Nic neighbor = network.neighbor(hop.nic().segment(), hop.nextHop());
        return neighbor == null ? 0 : neighbor.mac();
    }

    /** The Ethernet group address of an IPv4 (01:00:5e + 23 bits) or IPv6 (33:33 + 32 bits) multicast group. */
    public static long groupMac(InetAddress group) {
        byte[] b = group.getAddress();
        if (group instanceof Inet6Address) {
            return 0x3333_0000_0000L
                    | Integer.toUnsignedLong(
                            ((b[12] & 0xff) << 24) | ((b[13] & 0xff) << 16) | ((b[14] & 0xff) << 8) | (b[15] & 0xff));
        }
        return 0x0100_5e00_0000L | ((b[1] & 0x7fL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    /**
     * The source address towards {@code remote}: the address of its family on the interface the route to it leaves
     * by (the one on the next hop's subnet first); for a group, the first interface's.
     *
     * @throws IllegalStateException when the host has no address of that family
     */
    @Override
    public InetAddress localAddress(InetAddress remote) {
        Hop hop = remote.isMulticastAddress() ? null : lookup(remote);
        InetAddress address = hop != null ? hop.nic().addressFor(hop.nextHop()) : null;
        for (int i = 0; address == null && i < nics().size(); i++) {
            address = nics().get(i).addressFor(remote);
        }
        if (address == null) {
            throw new IllegalStateException(name() + " has no " + (remote instanceof Inet6Address ? "IPv6" : "IPv4")
                    + " address to reach " + IpPrefix.format(remote) + " from");
        }
        return address;
    }

    /** The first interface's MTU: the largest IP packet the host sends. */
    @Override
    public int mtu() {
        return primary().mtu();
    }

    // ---------------------------------------------------------------- receiving

    @Override
    void receive(Nic nic, byte[] frame) {
        received++;
        InetAddress destination = ipDestination(frame);
        if (destination == null) {
            counters.dropped(UnderlayDrop.MALFORMED);
            return;
        }
        boolean forUs = destination.isMulticastAddress() ? groups.contains(destination) : owns(destination);
        if (!forUs) {
            counters.dropped(UnderlayDrop.NOT_FOR_HOST);
            return;
        }
        FrameSink sink = receiver;
        if (sink == null) {
            counters.dropped(UnderlayDrop.NO_RECEIVER);
            return;
        }
        receiveBuffer.reset(PacketBuffer.DEFAULT_HEADROOM);
        receiveBuffer.append(frame);
        sink.deliver(receiveBuffer.memory(), receiveBuffer.start(), receiveBuffer.length());
    }

    @Override
    public String toString() {
        return name() + " (" + MacAddress.format(primary().mac()) + ", "
                + primary().addresses() + ")";
    }
}
