package io.jvswitch.lab;

import io.jvswitch.lab.guest.Guest;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.lab.underlay.UnderlayHost;
import java.util.List;

/**
 * One hypervisor of a built lab: everything its switch needs to be wired in.
 *
 * @param spec the host as the topology describes it: {@code localIp()}, {@code peers()}, its VMs
 * @param underlay the switch's {@link io.jvswitch.datapath.Underlay}; set its {@link UnderlayHost#receiver receiver}
 * @param vms the guests on this host, in topology order: {@link Guest#connect connect} each to its switch port, and
 *     make each the sink of that port (a {@link Guest} is a {@link io.jvswitch.datapath.port.FrameSink})
 * @param networks the tenant networks with a VM on this host (type, segmentation ID, group)
 */
public record LabHost(Topology.Host spec, UnderlayHost underlay, List<Guest> vms, List<Topology.Network> networks) {
    public LabHost {
        vms = List.copyOf(vms);
        networks = List.copyOf(networks);
    }

    public String name() {
        return spec.name();
    }

    /** The network a guest of this host is on. */
    public Topology.Network networkOf(Guest guest) {
        String network = spec.vms().stream()
                .filter(vm -> vm.name().equals(guest.name()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(guest.name() + " is not on " + name()))
                .network();
        return networks.stream()
                .filter(n -> n.name().equals(network))
                .findFirst()
                .orElseThrow();
    }
}
