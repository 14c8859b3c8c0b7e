package io.jvswitch.lab.underlay;

import io.jvswitch.lab.IpPrefix;
import io.jvswitch.wire.MacAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.Random;

/**
 * A node's interface on a segment: its MAC, its addresses (each with the prefix of the segment's subnet, which makes
 * a connected route), its MTU (the segment's unless set lower or higher) and an optional loss rate of its own.
 */
public final class Nic {
    private final Node node;
    private final Segment segment;
    private final long mac;
    private final List<IpPrefix> addresses;
    private final Random random;
    private int mtu;
    private double loss;

    Nic(Node node, Segment segment, long mac, List<IpPrefix> addresses, long seed) {
        this.node = node;
        this.segment = segment;
        this.mac = mac;
        this.addresses = List.copyOf(addresses);
        this.random = new Random(seed);
        this.mtu = segment.mtu();
    }

    public Node node() {
        return node;
    }

    public Segment segment() {
        return segment;
    }

    public long mac() {
        return mac;
    }

    public List<IpPrefix> addresses() {
        return addresses;
    }

    /** The largest IP packet this interface sends or takes. */
    public int mtu() {
        return mtu;
    }

    public Nic mtu(int newMtu) {
        if (newMtu < 68 || newMtu > 65535) {
            throw new IllegalArgumentException(node.name() + ": MTU " + newMtu + " is not 68 to 65535");
        }
        this.mtu = newMtu;
        return this;
    }

    public double loss() {
        return loss;
    }

    /** Sets the probability (0 to 1) that a frame sent or received through this interface is lost. */
    public Nic loss(double probability) {
        this.loss = Segment.checkLoss(node.name(), probability);
        return this;
    }

    boolean loses() {
        return loss > 0 && random.nextDouble() < loss;
    }

    /** True when {@code address} is one of this interface's. */
    public boolean owns(InetAddress address) {
        for (IpPrefix prefix : addresses) {
            if (prefix.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** The first address of {@code remote}'s family, preferring one on the same subnet as {@code onLink}; or null. */
    InetAddress addressFor(InetAddress onLink) {
        InetAddress sameFamily = null;
        for (IpPrefix prefix : addresses) {
            if (prefix.address().getAddress().length != onLink.getAddress().length) {
                continue;
            }
            if (prefix.contains(onLink)) {
                return prefix.address();
            }
            if (sameFamily == null) {
                sameFamily = prefix.address();
            }
        }
        return sameFamily;
    }

    @Override
    public String toString() {
        return node.name() + " on " + segment.name() + " (" + MacAddress.format(mac) + ", " + addresses + ")";
    }
}
