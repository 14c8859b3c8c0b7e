package io.jvswitch.app.daemon;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.io.DatapathThread;
import io.jvswitch.datapath.io.InlineDatapathThread;
import java.time.InstantSource;

/**
 * The datapath on an {@link InlineDatapathThread}: no packet I/O, an underlay that discards. Configuration, flows,
 * traces and dumps all work; packets reach the switch only from tasks.
 *
 * @param name the name {@code --datapath} takes
 * @param devicePorts what tap and system ports are
 */
record InlineRuntime(String name, DevicePorts devicePorts) implements DatapathRuntime {
    @Override
    public DatapathThread start(InstantSource clock) {
        return new InlineDatapathThread(new Datapath(clock, new DiscardingUnderlay()), "jvs-datapath");
    }
}
