package io.jvswitch.datapath.port;

import java.lang.foreign.MemorySegment;

/**
 * Takes copies of the frames a port receives and sends, as the bridge sees them (a tunnel port's frames before
 * encapsulation and after decapsulation): what {@code ovs-tcpdump} shows through a mirror. Called on the datapath's
 * thread for every such frame while it is set on a port; it must copy what it keeps, the bytes are the packet's.
 */
@FunctionalInterface
public interface CaptureSink {
    /**
     * @param received true for a frame the port received (into the bridge), false for one it sends
     */
    void frame(boolean received, MemorySegment segment, long offset, int length);
}
