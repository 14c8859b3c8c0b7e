package io.jvswitch.lab.jvs;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.show.VsctlShow;
import io.jvswitch.lab.LabHost;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.RuleFormatter;
import java.util.List;
import java.util.UUID;

/**
 * One lab host running jvswitch as an L3 GRE router ({@link GreRouterSwitching}).
 *
 * @param host the lab host (its underlay NIC, its guests)
 * @param datapath the switch, with one bridge, {@value GreRouterSwitching#BRIDGE}
 * @param systemId the Open_vSwitch row's UUID {@link #show} prints: stable from run to run
 * @param flows the flows it was given, as ovs-ofctl add-flow text
 */
public record GreRouter(LabHost host, Datapath datapath, UUID systemId, List<String> flows) {
    public GreRouter {
        flows = List.copyOf(flows);
    }

    public String name() {
        return host.name();
    }

    public Bridge bridge() {
        return datapath.bridge(GreRouterSwitching.BRIDGE);
    }

    /** {@code ovs-vsctl show}. */
    public String show() {
        return VsctlShow.render(systemId, datapath);
    }

    /** {@code ovs-ofctl dump-flows br0}, one line per flow, as of the datapath's clock. */
    public List<String> dumpFlows() {
        long now = datapath.clock().millis();
        return bridge().tables().rules().stream()
                .map((Rule rule) -> RuleFormatter.dumpLine(rule, now))
                .toList();
    }
}
