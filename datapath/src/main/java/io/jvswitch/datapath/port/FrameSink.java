package io.jvswitch.datapath.port;

import java.lang.foreign.MemorySegment;

/**
 * Where frames sent out of an Ethernet-facing port go: a lab guest's network card, a TAP device, the host's stack
 * behind an internal port. The bytes must be consumed (or copied) before the call returns: the buffer is reused.
 */
@FunctionalInterface
public interface FrameSink {
    void deliver(MemorySegment segment, long offset, int length);
}
