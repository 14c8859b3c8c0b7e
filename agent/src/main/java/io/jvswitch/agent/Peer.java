package io.jvswitch.agent;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Another host's tunnel endpoint. The tutorial's layout needs only its address (every peer gets a tunnel of each
 * type in use). Neutron's layout with l2population also needs what the peer hosts: the networks it has ports on
 * (its flooding entries) and its VMs (their unicast and ARP entries); a VM's network counts as hosted.
 */
public record Peer(InetAddress address, Set<String> networks, List<RemoteVm> vms) {
    public Peer {
        if (address == null) {
            throw new HostStateException("a peer needs an underlay address");
        }
        networks = Set.copyOf(networks);
        vms = List.copyOf(vms);
    }

    /** A peer known by its address alone. */
    public Peer(InetAddress address) {
        this(address, Set.of(), List.of());
    }

    /** The networks this peer hosts: those named, and those of its VMs. */
    public Set<String> hostedNetworks() {
        Set<String> hosted = new LinkedHashSet<>(networks);
        for (RemoteVm vm : vms) {
            hosted.add(vm.network());
        }
        return hosted;
    }

    public boolean hosts(String network) {
        return networks.contains(network)
                || vms.stream().anyMatch(vm -> vm.network().equals(network));
    }
}
