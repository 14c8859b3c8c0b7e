package io.jvswitch.datapath.port;

/** A port's counters, as {@code ovs-ofctl dump-ports} shows them. Updated by the datapath thread only. */
public final class PortCounters {
    long rxPackets;
    long rxBytes;
    long rxDropped;
    long txPackets;
    long txBytes;
    long txDropped;

    public void received(int bytes) {
        rxPackets++;
        rxBytes += bytes;
    }

    public void sent(int bytes) {
        txPackets++;
        txBytes += bytes;
    }

    public void receiveDropped() {
        rxDropped++;
    }

    public void transmitDropped() {
        txDropped++;
    }

    /** {@code frames} dropped on transmit together (a refused write of a coalesced frame). */
    public void transmitDropped(int frames) {
        txDropped += frames;
    }

    public long rxPackets() {
        return rxPackets;
    }

    public long rxBytes() {
        return rxBytes;
    }

    public long rxDropped() {
        return rxDropped;
    }

    public long txPackets() {
        return txPackets;
    }

    public long txBytes() {
        return txBytes;
    }

    public long txDropped() {
        return txDropped;
    }
}
