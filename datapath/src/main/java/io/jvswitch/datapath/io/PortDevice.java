package io.jvswitch.datapath.io;

import io.jvswitch.datapath.port.FrameSink;

/**
 * The kernel object behind a real Ethernet port: a TAP device ({@code type=tap}) or a packet socket on an existing
 * interface ({@code type=system}). It is the port's {@link FrameSink} (frames the switch sends out of the port are
 * written to it) and a file descriptor the {@link EpollForwarder} watches for frames arriving. The port owns it:
 * removing the port closes it (a TAP interface then disappears, as Open vSwitch's do).
 */
public sealed interface PortDevice extends FrameSink, AutoCloseable permits TapPortDevice, SystemPortDevice {
    /** The interface's name. */
    String interfaceName();

    /** The descriptor to watch for received frames. */
    int fd();

    /** Frames the kernel refused to take (interface down, queue full): the port's {@code tx_dropped} counts them too. */
    long sendFailures();

    @Override
    void close();
}
