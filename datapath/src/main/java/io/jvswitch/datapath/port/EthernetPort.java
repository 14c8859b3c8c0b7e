package io.jvswitch.datapath.port;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * A port that carries Ethernet frames to and from something outside the switch: a guest VM, a TAP device, a system
 * interface, or (type internal) the host behind the bridge's own port. With a {@code tag}, it is an access port of
 * that VLAN for NORMAL switching: frames arrive untagged and leave untagged; without one, it is a trunk.
 */
public final class EthernetPort extends Port {
    private volatile FrameSink sink;
    private final int tag;

    /** An access port of VLAN {@code tag} (1–4094), or a trunk when {@code tag} is 0. */
    public EthernetPort(String name, PortType type, int tag, FrameSink sink) {
        super(name, type, Map.of());
        if (type != PortType.INTERNAL && type != PortType.SYSTEM && type != PortType.TAP) {
            throw new IllegalArgumentException(type + " is not an Ethernet port type");
        }
        if (tag < 0 || tag > 4094) {
            throw new IllegalArgumentException("tag " + tag + " is not a VLAN (1 to 4094, or 0 for a trunk)");
        }
        this.tag = tag;
        this.sink = sink;
    }

    /** The access VLAN, or 0 for a trunk. */
    public int tag() {
        return tag;
    }

    /** Where this port's frames go from now on (a guest attaching, say). */
    public void attach(FrameSink newSink) {
        this.sink = newSink;
    }

    /** Sends a frame out of the port. */
    public void transmit(MemorySegment segment, long offset, int length) {
        FrameSink target = sink;
        if (target == null) {
            counters().transmitDropped();
            return;
        }
        counters().sent(length);
        target.deliver(segment, offset, length);
    }
}
