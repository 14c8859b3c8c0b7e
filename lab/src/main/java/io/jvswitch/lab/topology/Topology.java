package io.jvswitch.lab.topology;

import io.jvswitch.lab.IpPrefix;
import io.jvswitch.wire.MacAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lab topology, as a YAML file describes it ({@link TopologyLoader}): the underlay (segments, routers, multicast
 * groups, hosts and their addresses), what each host's switch needs (its tunnel endpoint address, the tenant
 * networks, the VMs on it, the hosts it tunnels to), and a script of steps to run.
 *
 * <p>A topology from the loader is validated (every reference resolves, every address parses) and complete: every
 * optional field the file left out holds its default, as listed on each record. The text fields hold addresses as
 * written; the typed accessors ({@link Vm#macAddress()}, {@link Host#localAddress()}, ...) parse them.
 *
 * @param name what the topology is called (the file's name without {@code .yaml} when not given)
 * @param seed the seed of the underlay's random loss (default 1)
 */
public record Topology(
        String name,
        Long seed,
        List<Segment> segments,
        List<Router> routers,
        List<MulticastGroup> multicastGroups,
        List<Network> networks,
        List<Host> hosts,
        List<Step> script) {
    public Topology {
        segments = copy(segments);
        routers = copy(routers);
        multicastGroups = copy(multicastGroups);
        networks = copy(networks);
        hosts = copy(hosts);
        script = copy(script);
    }

    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /**
     * An underlay link.
     *
     * @param mtu largest IP packet it carries (default 1500)
     * @param latency time to cross it (default 100us)
     * @param loss probability that a frame is lost (default 0)
     */
    public record Segment(String name, Integer mtu, Duration latency, Double loss) {}

    /** An underlay router: interfaces on segments, static routes. */
    public record Router(String name, List<Interface> interfaces, List<Route> routes) {
        public Router {
            interfaces = copy(interfaces);
            routes = copy(routes);
        }
    }

    /**
     * A router's interface.
     *
     * @param addresses with prefix, {@code 198.18.0.1/24}
     * @param mac default: 02:00 and the first IPv4 address
     * @param mtu default: the segment's
     * @param loss default 0
     */
    public record Interface(String segment, List<String> addresses, String mac, Integer mtu, Double loss) {
        public Interface {
            addresses = copy(addresses);
        }
    }

    /** A static route: {@code to} a prefix ({@code 0.0.0.0/0} for the default) {@code via} a neighbor's address. */
    public record Route(String to, String via) {}

    /** A multicast group and the hosts that join it when the lab starts. */
    public record MulticastGroup(String address, List<String> members) {
        public MulticastGroup {
            members = copy(members);
        }
    }

    /**
     * A tenant network (Neutron's network with its segment and subnet).
     *
     * @param type gre, vxlan or local
     * @param segmentationId the GRE key or VXLAN VNI (the tutorial's tunnel id 0x1388); null for a local network
     * @param cidr the subnet its VMs' addresses are in, or null (then each VM's ip has a prefix)
     * @param group VXLAN only: the multicast group for flooding (flood-and-learn), or null for unicast tunnels
     * @param gateway the subnet's gateway (Neutron's {@code gateway_ip}): the router's address on it, and the default
     *     gateway of its VMs; null for none. Requires {@code cidr}.
     */
    public record Network(
            String name, NetworkType type, Long segmentationId, String cidr, String group, String gateway) {
        /** This network carried by another tunnel: {@code type}, {@code segmentationId}, multicast {@code group}. */
        public Network withTunnel(NetworkType newType, Long newSegmentationId, String newGroup) {
            return new Network(name, newType, newSegmentationId, cidr, newGroup, gateway);
        }

        public Optional<IpPrefix> subnet() {
            return cidr == null ? Optional.empty() : Optional.of(IpPrefix.parse(cidr));
        }

        /** The gateway's address, when the network has one. */
        public Optional<InetAddress> gatewayAddress() {
            return gateway == null ? Optional.empty() : Optional.of(IpPrefix.parseAddress(gateway));
        }
    }

    /**
     * A hypervisor: an underlay host, and what its switch needs.
     *
     * @param segment the underlay segment it is on
     * @param addresses its underlay addresses with prefixes, {@code 192.168.1.100/24} (IPv4 and/or IPv6)
     * @param mac default: 02:00 and the first IPv4 address
     * @param mtu its underlay interface's MTU (default: the segment's)
     * @param loss loss on its interface (default 0)
     * @param routes static routes (default none: only its segment's subnets)
     * @param localIp the tunnel endpoint address (default: the first address)
     * @param peers the hosts it has tunnels to (default: every other host, a full mesh)
     * @param vms the VMs on it
     */
    public record Host(
            String name,
            String segment,
            List<String> addresses,
            String mac,
            Integer mtu,
            Double loss,
            List<Route> routes,
            String localIp,
            List<String> peers,
            List<Vm> vms) {
        public Host {
            addresses = copy(addresses);
            routes = copy(routes);
            peers = copy(peers);
            vms = copy(vms);
        }

        public InetAddress localAddress() {
            return IpPrefix.parseAddress(localIp);
        }

        public List<IpPrefix> prefixes() {
            return addresses.stream().map(IpPrefix::parse).toList();
        }
    }

    /**
     * A VM.
     *
     * @param ip its IPv4 address with prefix ({@code 10.0.0.1/24}; the loader adds the network's prefix when the file
     *     gives none)
     * @param ipv6 its IPv6 address with prefix, or null
     * @param mtu default 1500
     * @param gateway its IPv4 default gateway (default: its network's gateway), or null
     */
    public record Vm(String name, String network, String mac, String ip, String ipv6, Integer mtu, String gateway) {
        public long macAddress() {
            return MacAddress.parse(mac);
        }

        public IpPrefix ipPrefix() {
            return IpPrefix.parse(ip);
        }
    }

    /** The network named {@code name}. */
    public Optional<Network> network(String name) {
        return networks.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The host named {@code name}. */
    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /** The networks that have a VM on {@code host}, in the order the topology lists networks. */
    public List<Network> networksOn(Host host) {
        List<Network> on = new ArrayList<>();
        for (Network network : networks) {
            if (host.vms().stream().anyMatch(vm -> vm.network().equals(network.name()))) {
                on.add(network);
            }
        }
        return on;
    }

    /** Every VM by name, with the host it is on, in file order. */
    public Map<String, Host> vmHosts() {
        Map<String, Host> where = new LinkedHashMap<>();
        for (Host host : hosts) {
            for (Vm vm : host.vms()) {
                where.put(vm.name(), host);
            }
        }
        return where;
    }
}
