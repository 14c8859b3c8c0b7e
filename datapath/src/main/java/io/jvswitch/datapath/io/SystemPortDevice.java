package io.jvswitch.datapath.io;

import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.netio.Interfaces;
import io.jvswitch.netio.MessageBatch;
import io.jvswitch.netio.NativeException;
import io.jvswitch.netio.PacketSocket;
import io.jvswitch.netio.PartialChecksum;
import java.lang.foreign.MemorySegment;

/**
 * An existing interface (a veth end, a NIC) attached to a {@code type=system} port through an {@code AF_PACKET}
 * socket, as Open vSwitch attaches its "system" interfaces: every frame seen on the interface arrives on the port
 * (promiscuous, so frames for other MACs too), and frames sent out of the port leave by the interface.
 *
 * <p>Received frames are made whole before switching: the VLAN tag the kernel took off is put back, and a TCP or UDP
 * checksum the sender left partial (a kernel sending over a veth with offload on) is finished — without that, TCP
 * through the switch never connects while ping works.
 */
public final class SystemPortDevice implements PortDevice {
    private final String interfaceName;
    private final PacketSocket socket;
    /** A send batch of one: frames go out one by one, straight from the datapath's buffer (no copy). */
    private final MessageBatch send = new MessageBatch(1);

    private EthernetPort port;
    private long sendFailures;

    private SystemPortDevice(String interfaceName, PacketSocket socket) {
        this.interfaceName = interfaceName;
        this.socket = socket;
    }

    /** Attaches interface {@code name} of the calling thread's network namespace, and brings it up. */
    public static SystemPortDevice open(String name) throws NativeException {
        PacketSocket socket = PacketSocket.open(name);
        try {
            socket.promiscuous(true);
            Interfaces.setUp(name, true);
            return new SystemPortDevice(name, socket);
        } catch (NativeException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    void port(EthernetPort owner) {
        this.port = owner;
    }

    @Override
    public String interfaceName() {
        return interfaceName;
    }

    @Override
    public int fd() {
        return socket.fd();
    }

    /** Receives up to a batch of frames without waiting; see {@link #complete}. */
    int receive(MessageBatch batch) throws NativeException {
        return socket.receive(batch);
    }

    /**
     * Makes a received frame what it was on the wire: its VLAN tag back in place (into the headroom) and a partial
     * checksum finished.
     */
    static void complete(MessageBatch batch, int slot) {
        if (batch.hasVlan(slot)) {
            batch.reinsertVlanTag(slot);
        }
        if (batch.checksumNotReady(slot)) {
            PartialChecksum.completeFrame(batch.segment(slot), batch.offset(slot), batch.length(slot));
        }
    }

    @Override
    public void deliver(MemorySegment segment, long offset, int length) {
        try {
            send.buffer(0, segment, offset, length);
            send.data(0, offset, length);
            send.sendToBound(0);
            socket.send(send, 1);
            if (send.error(0) == 0) {
                return;
            }
        } catch (NativeException | RuntimeException e) {
            // counted below: a closed socket or a heap segment is a lost frame, never a dead datapath thread
        }
        sendFailures++;
        if (port != null) {
            port.counters().transmitDropped();
        }
    }

    @Override
    public long sendFailures() {
        return sendFailures;
    }

    @Override
    public void close() {
        socket.close();
        send.close();
    }

    @Override
    public String toString() {
        return "system " + interfaceName;
    }
}
