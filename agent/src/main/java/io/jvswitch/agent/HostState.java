package io.jvswitch.agent;

import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.wire.MacAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one host should look like: the desired state {@link TunnelAgent#apply} makes real.
 *
 * @param localIp this host's underlay address, the tunnels' {@code local_ip} (IPv4 or IPv6)
 * @param tunnelTypes the tunnel types this host offers (Neutron's {@code tunnel_types}); every network's type must be
 *     among them
 * @param networks the networks with VMs (or otherwise wanted) here, in the order local VLANs are handed out
 * @param vms the VM ports on br-int
 * @param peers the other hosts, in the order their tunnels are made; one whose address is {@code localIp} is skipped,
 *     as Neutron skips its own endpoint
 * @param layout which br-tun tables to write
 * @param naming how tunnel ports are named
 * @param underlayMtu the largest IP packet the underlay carries; each network's MTU is this less its encapsulation
 * @param arpResponder in the Neutron layout, answer ARP requests for remote VMs on br-tun (Neutron's {@code
 *     arp_responder}, which needs l2population); ignored by the tutorial layout
 * @throws HostStateException when the state is inconsistent, naming what and why
 */
public record HostState(
        InetAddress localIp,
        Set<NetworkType> tunnelTypes,
        List<Network> networks,
        List<Vm> vms,
        List<Peer> peers,
        Layout layout,
        TunnelNaming naming,
        int underlayMtu,
        boolean arpResponder) {

    /** The smallest MTU a network may be left with: IPv4's minimum (RFC 791). */
    public static final int MIN_NETWORK_MTU = 68;

    public HostState {
        if (localIp == null) {
            throw new HostStateException("the host needs a local_ip (its underlay address)");
        }
        if (localIp.isMulticastAddress() || localIp.isAnyLocalAddress()) {
            throw new HostStateException(
                    "local_ip " + TunnelConfig.addressText(localIp) + " is not a unicast address of this host");
        }
        tunnelTypes = Collections.unmodifiableSet(
                tunnelTypes.isEmpty() ? EnumSet.noneOf(NetworkType.class) : EnumSet.copyOf(tunnelTypes));
        networks = List.copyOf(networks);
        vms = List.copyOf(vms);
        peers = List.copyOf(peers);
        if (layout == null || naming == null) {
            throw new HostStateException("the host needs a layout and a tunnel naming");
        }
        if (underlayMtu < 1 || underlayMtu > 65535) {
            throw new HostStateException("underlay MTU " + underlayMtu + " is out of range (1 to 65535)");
        }
        checkNetworks(localIp, tunnelTypes, networks, layout, underlayMtu);
        checkVms(networks, vms);
        checkPeers(localIp, peers);
    }

    private static void checkNetworks(
            InetAddress localIp, Set<NetworkType> types, List<Network> networks, Layout layout, int underlayMtu) {
        Set<String> names = new HashSet<>();
        Map<String, String> segments = new HashMap<>();
        boolean ipv6 = localIp instanceof Inet6Address;
        for (Network network : networks) {
            if (!names.add(network.name())) {
                throw new HostStateException("network " + network.name() + " is given twice");
            }
            if (!types.contains(network.type())) {
                throw new HostStateException("network " + network.name() + " is " + network.type()
                        + " but this host offers " + (types.isEmpty() ? "no tunnel types" : "only " + types));
            }
            String segment = network.type() + " 0x" + Long.toHexString(network.segmentationId());
            String other = segments.putIfAbsent(segment, network.name());
            if (other != null) {
                throw new HostStateException("networks " + other + " and " + network.name() + " both use " + segment
                        + ": a segmentation ID marks one network");
            }
            if (network.hasGroup() && layout == Layout.NEUTRON) {
                throw new HostStateException("network " + network.name() + " floods to multicast group "
                        + TunnelConfig.addressText(network.group())
                        + ", which the tutorial layout does (flood and learn);"
                        + " the neutron layout floods by l2population instead");
            }
            if (network.hasGroup() && ipv6) {
                throw new HostStateException("network " + network.name() + " floods to IPv4 group "
                        + TunnelConfig.addressText(network.group()) + " but local_ip "
                        + TunnelConfig.addressText(localIp)
                        + " is IPv6");
            }
            int mtu = underlayMtu - network.type().overhead(ipv6);
            if (mtu < MIN_NETWORK_MTU) {
                throw new HostStateException("network " + network.name() + " would have MTU " + mtu + ": underlay MTU "
                        + underlayMtu + " less " + network.type().overhead(ipv6) + " bytes of " + network.type()
                        + " encapsulation; it needs at least " + MIN_NETWORK_MTU);
            }
        }
    }

    private static void checkVms(List<Network> networks, List<Vm> vms) {
        Set<String> networkNames = new HashSet<>();
        networks.forEach(network -> networkNames.add(network.name()));
        Set<String> names = new HashSet<>();
        for (Vm vm : vms) {
            if (!names.add(vm.name())) {
                throw new HostStateException("VM port " + vm.name() + " is given twice");
            }
            if (!networkNames.contains(vm.network())) {
                throw new HostStateException(
                        "VM port " + vm.name() + " is on network " + vm.network() + ", which this host does not have");
            }
        }
    }

    private static void checkPeers(InetAddress localIp, List<Peer> peers) {
        Set<InetAddress> addresses = new HashSet<>();
        Map<String, InetAddress> macs = new HashMap<>();
        for (Peer peer : peers) {
            if (!addresses.add(peer.address())) {
                throw new HostStateException("peer " + TunnelConfig.addressText(peer.address()) + " is given twice");
            }
            if (peer.address().getClass() != localIp.getClass()) {
                throw new HostStateException("peer " + TunnelConfig.addressText(peer.address()) + " and local_ip "
                        + TunnelConfig.addressText(localIp) + " are of different IP versions: no tunnel between them");
            }
            if (peer.address().isMulticastAddress()) {
                throw new HostStateException("peer " + TunnelConfig.addressText(peer.address())
                        + " is a multicast group: give it as a network's group instead");
            }
            for (RemoteVm vm : peer.vms()) {
                String key = vm.network() + " " + MacAddress.format(vm.mac());
                InetAddress other = macs.putIfAbsent(key, peer.address());
                if (other != null && !other.equals(peer.address())) {
                    throw new HostStateException("MAC " + MacAddress.format(vm.mac())
                            + " on network " + vm.network() + " is claimed by peers " + TunnelConfig.addressText(other)
                            + " and " + TunnelConfig.addressText(peer.address()));
                }
            }
        }
    }

    /** The peers that are not this host. */
    public List<Peer> remotePeers() {
        return peers.stream().filter(peer -> !peer.address().equals(localIp)).toList();
    }

    public boolean ipv6() {
        return localIp instanceof Inet6Address;
    }

    public Network network(String name) {
        for (Network network : networks) {
            if (network.name().equals(name)) {
                return network;
            }
        }
        return null;
    }

    /** A state for the host at {@code localIp}: both tunnel types, the tutorial's layout and names, MTU 1500. */
    public static Builder builder(InetAddress localIp) {
        return new Builder(localIp);
    }

    /** Builds a {@link HostState} a piece at a time, with the defaults {@link #builder} names. */
    public static final class Builder {
        private final InetAddress localIp;
        private Set<NetworkType> tunnelTypes = EnumSet.allOf(NetworkType.class);
        private final List<Network> networks = new ArrayList<>();
        private final List<Vm> vms = new ArrayList<>();
        private final List<Peer> peers = new ArrayList<>();
        private Layout layout = Layout.TUTORIAL;
        private TunnelNaming naming = TunnelNaming.TUTORIAL;
        private int underlayMtu = 1500;
        private boolean arpResponder = true;

        private Builder(InetAddress localIp) {
            this.localIp = localIp;
        }

        public Builder tunnelTypes(Set<NetworkType> types) {
            this.tunnelTypes = types.isEmpty() ? EnumSet.noneOf(NetworkType.class) : EnumSet.copyOf(types);
            return this;
        }

        public Builder network(Network network) {
            networks.add(network);
            return this;
        }

        public Builder vm(Vm vm) {
            vms.add(vm);
            return this;
        }

        public Builder peer(Peer peer) {
            peers.add(peer);
            return this;
        }

        public Builder layout(Layout newLayout) {
            this.layout = newLayout;
            return this;
        }

        public Builder naming(TunnelNaming newNaming) {
            this.naming = newNaming;
            return this;
        }

        public Builder underlayMtu(int mtu) {
            this.underlayMtu = mtu;
            return this;
        }

        public Builder arpResponder(boolean on) {
            this.arpResponder = on;
            return this;
        }

        public HostState build() {
            return new HostState(localIp, tunnelTypes, networks, vms, peers, layout, naming, underlayMtu, arpResponder);
        }
    }
}
