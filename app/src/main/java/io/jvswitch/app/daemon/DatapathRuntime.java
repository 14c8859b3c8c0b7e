package io.jvswitch.app.daemon;

import io.jvswitch.agent.VmPorts;
import io.jvswitch.datapath.io.DatapathThread;
import java.io.IOException;
import java.time.InstantSource;

/**
 * What the daemon runs the switch on: the thread that owns the datapath (and the underlay its tunnels use), and the
 * devices tap and system ports stand for. The daemon does all datapath work through {@link DatapathThread#submit},
 * whichever runtime this is; {@link DatapathRuntimes} names the ones there are.
 */
public interface DatapathRuntime {
    /** The name {@code jvs daemon --datapath} takes. */
    String name();

    /**
     * Creates a datapath with its underlay and the thread that owns it. The daemon turns forwarding off at once and on
     * again once bridges, ports and flows are restored.
     *
     * @throws IOException when the runtime cannot start (a socket it cannot open, ...)
     */
    DatapathThread start(InstantSource clock) throws IOException;

    /** How tap and system ports are opened. */
    DevicePorts devicePorts();

    /** Where the tunnel agent's VM ports come from: plain ports unless the runtime has real devices. */
    default VmPorts vmPorts() {
        return VmPorts.PLAIN;
    }
}
