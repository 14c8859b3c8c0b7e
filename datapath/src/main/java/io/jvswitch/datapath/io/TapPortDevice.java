package io.jvswitch.datapath.io;

import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.netio.NativeException;
import io.jvswitch.netio.TapDevice;
import io.jvswitch.netio.VirtioNetHeader;
import io.jvswitch.wire.PacketBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A TAP device the switch creates for a {@code type=tap} port ({@code IFF_TAP | IFF_NO_PI | IFF_VNET_HDR}, with
 * checksum and TCP segmentation offload): what the kernel sends out of the interface arrives on the port, what the
 * switch sends out of the port the kernel receives on the interface. The interface may be moved to another network
 * namespace ({@code ip link set NAME netns VM}): the descriptor keeps working.
 *
 * <p>With the offloads the guest's TCP hands over super-frames of up to 64 KB instead of one frame per MTU, and leaves
 * checksums partial: a read goes into the device's own {@link #received() receive buffer} (64 KB and more), with the
 * virtio header's fields kept for the reader ({@link #gsoType()}, ...), who finishes the checksum or cuts the
 * super-frame ({@link TcpSegmenter}) before switching. Writes are complete frames behind a header of zeros, unless
 * {@link #coalescing(boolean) coalescing} is on: then consecutive TCP segments of one flow wait to be written together
 * as one super-frame ({@link TcpCoalescer}) until the next frame that does not continue them or {@link #flush()}.
 */
public final class TapPortDevice implements PortDevice {
    /** The largest super-frame a TAP hands over (the kernel's default {@code gso_max_size}), plus tags, rounded up. */
    static final int RECEIVE_CAPACITY = 65536 + 512;

    private final TapDevice tap;
    private final Arena arena = Arena.ofShared();
    /** The frame of the last read, at the default headroom; its virtio header is just in front. */
    private final PacketBuffer received;

    /** The pending TCP super-frame, when coalescing; null when not. */
    private TcpCoalescer coalescer;

    private EthernetPort port;
    private long sendFailures;
    private boolean closed;
    private int flags;
    private int gsoType;
    private int gsoSize;
    private int checksumStart;
    private int checksumOffset;

    private TapPortDevice(TapDevice tap) {
        this.tap = tap;
        this.received = new PacketBuffer(
                arena.allocate(PacketBuffer.DEFAULT_HEADROOM + RECEIVE_CAPACITY, 64), PacketBuffer.DEFAULT_HEADROOM);
    }

    /**
     * Creates TAP interface {@code name} in the calling thread's network namespace, sets its MTU ({@code mtu > 0}) and
     * MAC ({@code mac != 0}; else the kernel's random one stays), and brings it up.
     */
    public static TapPortDevice create(String name, int mtu, long mac) throws NativeException {
        TapDevice tap = TapDevice.openWithOffloads(name);
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
     * Reads one frame (or super-frame) into {@link #received()}, and its virtio header's fields.
     *
     * @return the frame's length; 0 when none is waiting; -1 when it was larger than the buffer or shorter than a
     *     virtio header (lost)
     */
    int read() throws NativeException {
        int at = PacketBuffer.DEFAULT_HEADROOM - VirtioNetHeader.LENGTH;
        MemorySegment memory = received.memory();
        int capacity = (int) memory.byteSize() - at;
        int length = tap.read(memory, at, capacity);
        if (length == 0) {
            return 0;
        }
        if (length > capacity || length <= VirtioNetHeader.LENGTH) {
            return -1;
        }
        flags = VirtioNetHeader.flags(memory, at);
        gsoType = VirtioNetHeader.gsoType(memory, at);
        gsoSize = VirtioNetHeader.gsoSize(memory, at);
        checksumStart = VirtioNetHeader.checksumStart(memory, at);
        checksumOffset = VirtioNetHeader.checksumOffset(memory, at);
        received.reset(PacketBuffer.DEFAULT_HEADROOM);
        received.length(length - VirtioNetHeader.LENGTH);
        return length - VirtioNetHeader.LENGTH;
    }

    /** The frame of the last {@link #read()}; the device's own buffer, reused by the next read. */
    PacketBuffer received() {
        return received;
    }

    /** The last read's virtio flags ({@link VirtioNetHeader#F_NEEDS_CSUM}). */
    int flags() {
        return flags;
    }

    /** The last read's GSO type ({@link VirtioNetHeader#GSO_NONE} for a single frame). */
    int gsoType() {
        return gsoType;
    }

    int gsoSize() {
        return gsoSize;
    }

    int checksumStart() {
        return checksumStart;
    }

    int checksumOffset() {
        return checksumOffset;
    }

    /**
     * Turns coalescing on or off (off writes what is pending first). Whoever turns it on must call {@link #flush()}
     * after each batch of frames, from the thread that delivers them: frames may wait until then.
     */
    void coalescing(boolean on) {
        if (on && coalescer == null && !closed) {
            coalescer = new TcpCoalescer(arena.allocate(VirtioNetHeader.LENGTH + RECEIVE_CAPACITY, 64));
        } else if (!on && coalescer != null) {
            flush();
            coalescer = null;
        }
    }

    @Override
    public void deliver(MemorySegment segment, long offset, int length) {
        TcpCoalescer pending = coalescer;
        if (pending != null) {
            if (pending.append(segment, offset, length)) {
                return;
            }
            flush();
            if (pending.start(segment, offset, length)) {
                return;
            }
        }
        try {
            tap.write(segment, offset, length);
        } catch (NativeException e) {
            // Interface down or its queue full: a frame lost, as on a wire; the counters say so.
            failed(1);
        }
    }

    /** Writes the frames waiting to be coalesced, if any: one write, a super-frame when there are several. */
    void flush() {
        TcpCoalescer pending = coalescer;
        if (pending == null || pending.segments() == 0) {
            return;
        }
        try {
            tap.writeWithHeader(pending.buffer(), 0, pending.finish());
        } catch (NativeException e) {
            failed(pending.segments());
        } finally {
            pending.clear();
        }
    }

    private void failed(int frames) {
        sendFailures += frames;
        if (port != null) {
            port.counters().transmitDropped(frames);
        }
    }

    @Override
    public long sendFailures() {
        return sendFailures;
    }

    @Override
    public void close() {
        tap.close();
        if (!closed) {
            closed = true;
            coalescer = null;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "tap " + tap.name();
    }
}
