package io.jvswitch.lab.underlay;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A link of the underlay: a broadcast domain (an Ethernet segment, a switch or a cable) with an MTU, a latency and
 * an optional loss rate. Frames put on it go to the interface that has their destination MAC, or to every other
 * interface for a group address, {@link #latency()} later.
 *
 * <p>A frame whose IP packet is larger than the MTU (the segment's, or the sending or receiving interface's, whichever
 * is smallest) is dropped and counted here as {@link UnderlayDrop#MTU_EXCEEDED}: the underlay never fragments. Loss is
 * drawn from a {@link Random} seeded from the network's seed and the segment's name, so a scenario loses the same
 * frames on every run. Taps (and so captures) see each frame once, when it goes on the wire: after the MTU check,
 * before loss.
 */
public final class Segment {
    /** 1500, Ethernet's. */
    public static final int DEFAULT_MTU = 1500;
    /** 100 microseconds: a data-centre link and switch. */
    public static final Duration DEFAULT_LATENCY = Duration.ofNanos(100_000);

    private final UnderlayNetwork network;
    private final String name;
    private final Random random;
    private final List<Nic> nics = new ArrayList<>();
    private final List<Consumer<CapturedFrame>> taps = new ArrayList<>();
    private final Counters counters = new Counters();
    private int mtu = DEFAULT_MTU;
    private double loss;
    private Duration latency = DEFAULT_LATENCY;

    Segment(UnderlayNetwork network, String name, long seed) {
        this.network = network;
        this.name = name;
        this.random = new Random(seed);
    }

    public String name() {
        return name;
    }

    public int mtu() {
        return mtu;
    }

    /** Sets the MTU: the largest IP packet the segment carries (68 to 65535). */
    public Segment mtu(int newMtu) {
        if (newMtu < 68 || newMtu > 65535) {
            throw new IllegalArgumentException("segment " + name + ": MTU " + newMtu + " is not 68 to 65535");
        }
        this.mtu = newMtu;
        return this;
    }

    public double loss() {
        return loss;
    }

    /** Sets the probability (0 to 1) that a frame put on the segment is lost. */
    public Segment loss(double probability) {
        this.loss = checkLoss("segment " + name, probability);
        return this;
    }

    public Duration latency() {
        return latency;
    }

    /** Sets how long a frame takes to cross the segment. */
    public Segment latency(Duration newLatency) {
        if (newLatency.isNegative()) {
            throw new IllegalArgumentException("segment " + name + ": latency cannot be negative");
        }
        this.latency = Objects.requireNonNull(newLatency);
        return this;
    }

    public Counters counters() {
        return counters;
    }

    /** The interfaces attached, in the order they were attached. */
    public List<Nic> nics() {
        return List.copyOf(nics);
    }

    /** Calls {@code tap} with every frame put on the segment. */
    public void tap(Consumer<CapturedFrame> tap) {
        taps.add(Objects.requireNonNull(tap, "tap"));
    }

    static double checkLoss(String what, double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException(what + ": loss " + probability + " is not a probability (0 to 1)");
        }
        return probability;
    }

    void attach(Nic nic) {
        for (Nic other : nics) {
            if (other.mac() == nic.mac()) {
                throw new IllegalArgumentException(
                        "segment " + name + ": " + nic.node().name() + " and "
                                + other.node().name() + " would both have MAC " + MacAddress.format(nic.mac()));
            }
        }
        nics.add(nic);
    }

    /** The interface on this segment with {@code mac}, or null. */
    Nic nicWithMac(long mac) {
        for (Nic nic : nics) {
            if (nic.mac() == mac) {
                return nic;
            }
        }
        return null;
    }

    /** Puts {@code frame} (a copy the segment now owns) on the wire from {@code from}. */
    void transmit(Nic from, byte[] frame) {
        int packet = ipLength(frame);
        if (packet > Math.min(mtu, from.mtu())) {
            counters.dropped(UnderlayDrop.MTU_EXCEEDED);
            return;
        }
        counters.passed(frame.length);
        if (!taps.isEmpty()) {
            CapturedFrame captured = new CapturedFrame(name, network.scheduler().now(), frame);
            for (Consumer<CapturedFrame> tap : taps) {
                tap.accept(captured);
            }
        }
        if ((loss > 0 && random.nextDouble() < loss) || from.loses()) {
            counters.dropped(UnderlayDrop.LOST);
            return;
        }
        long destination = frame.length >= 6 ? Bytes.mac(MemorySegment.ofArray(frame), 0) : 0;
        if (!MacAddress.isMulticast(destination)) {
            Nic to = nicWithMac(destination);
            if (to == null || to == from) {
                counters.dropped(UnderlayDrop.NO_SUCH_MAC);
                return;
            }
            deliver(to, frame, packet);
            return;
        }
        for (Nic to : nics) {
            if (to != from) {
                deliver(to, frame, packet);
            }
        }
    }

    private void deliver(Nic to, byte[] frame, int packet) {
        if (packet > to.mtu()) {
            counters.dropped(UnderlayDrop.MTU_EXCEEDED);
            return;
        }
        if (to.loses()) {
            counters.dropped(UnderlayDrop.LOST);
            return;
        }
        network.scheduler().after(latency, () -> to.node().receive(to, frame));
    }

    /** The IP packet's length: the frame less its Ethernet header (and an 802.1Q tag). */
    static int ipLength(byte[] frame) {
        boolean tagged = frame.length >= 14 && (frame[12] & 0xff) == 0x81 && frame[13] == 0;
        return frame.length - (tagged ? 18 : 14);
    }

    @Override
    public String toString() {
        return "segment " + name + " (mtu " + mtu + ", " + nics.size() + " interfaces)";
    }
}
