package io.jvswitch.app.daemon;

import io.jvswitch.datapath.Underlay;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An underlay that carries nothing: encapsulated frames are counted and dropped. The inline runtime's, until a real
 * socket underlay is given; tunnel ports can be configured, traced and dumped, but no packet leaves the host.
 */
final class DiscardingUnderlay implements Underlay {
    private final AtomicLong discarded = new AtomicLong();

    @Override
    public void send(MemorySegment segment, long offset, int length) {
        discarded.incrementAndGet();
    }

    @Override
    public long localMac() {
        return 0x02_00_00_00_00_01L;
    }

    @Override
    public long nextHopMac(InetAddress destination) {
        return 0x02_00_00_00_00_02L;
    }

    @Override
    public InetAddress localAddress(InetAddress remote) {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public int mtu() {
        return 1500;
    }

    long discarded() {
        return discarded.get();
    }
}
