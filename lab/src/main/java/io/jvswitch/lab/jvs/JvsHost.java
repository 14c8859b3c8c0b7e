package io.jvswitch.lab.jvs;

import io.jvswitch.agent.TunnelAgent;
import io.jvswitch.datapath.Datapath;
import io.jvswitch.lab.LabHost;

/** One lab host running jvswitch: its datapath on the host's underlay NIC and the tunnel agent that configured it. */
public record JvsHost(LabHost host, Datapath datapath, TunnelAgent agent) {
    public String name() {
        return host.name();
    }
}
