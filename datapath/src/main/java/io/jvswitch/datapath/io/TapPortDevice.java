package io.jvswitch.datapath.io;

import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.netio.NativeException;
import io.jvswitch.netio.TapDevice;
import io.jvswitch.wire.PacketBuffer;
import java.lang.foreign.MemorySegment;

/**
 * A TAP device the switch creates for a {@code type=tap} port ({@code IFF_TAP | IFF_NO_PI}): what the kernel sends out
 * of the interface arrives on the port, what the switch sends out of the port the kernel receives on the interface.
 * The interface may be moved to another network namespace ({@code ip link set NAME netns VM}): the descriptor keeps
 * working. A TAP hands over whole frames with finished checksums (no virtio header, so no offloads), ready to switch.
 */
public final class TapPortDevice implements PortDevice {
    private final TapDevice tap;
    private EthernetPort port;
    private long sendFailures;

    private TapPortDevice(TapDevice tap) {
        this.tap = tap;
    }

    /**
     * Creates TAP interface {@code name} in the calling thread's network namespace, sets its MTU ({@code mtu > 0}) and
     * MAC ({@code mac != 0}; else the kernel's random one stays), and brings it up.
     */
    public static TapPortDevice create(String name, int mtu, long mac) throws NativeException {
        TapDevice tap = TapDevice.open(name);
        try {
            if (mtu > 0) {
                tap.setMtu(mtu);
            }
            if (mac != 0) {
                tap.setMac(mac);
            }
            tap.setUp(true);
            return new TapPortDevice(tap);
        } catch (NativeException | RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    /** The port whose counters record refused sends; set once by {@link NativePorts}. */
    void port(EthernetPort owner) {
        this.port = owner;
    }

    @Override
    public String interfaceName() {
        return tap.name();
    }

    @Override
    public int fd() {
        return tap.fd();
    }

    /**
     * Reads one frame into {@code packet} behind its current start.
     *
     * @return its length; 0 when none is waiting; -1 when it was larger than the buffer (the rest is lost)
     */
    int read(PacketBuffer packet) throws NativeException {
        int capacity = (int) packet.memory().byteSize() - packet.start();
        int length = tap.read(packet.memory(), packet.start(), capacity);
        if (length > capacity) {
            return -1;
        }
        packet.length(length);
        return length;
    }

    @Override
    public void deliver(MemorySegment segment, long offset, int length) {
        try {
            tap.write(segment, offset, length);
        } catch (NativeException e) {
            // Interface down or its queue full: a frame lost, as on a wire; the counters say so.
            sendFailures++;
            if (port != null) {
                port.counters().transmitDropped();
            }
        }
    }

    @Override
    public long sendFailures() {
        return sendFailures;
    }

    @Override
    public void close() {
        tap.close();
    }

    @Override
    public String toString() {
        return "tap " + tap.name();
    }
}
