package io.jvswitch.lab.topology;

import io.jvswitch.lab.IpPrefix;
import io.jvswitch.lab.underlay.Segment;
import io.jvswitch.wire.MacAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a topology as read and fills in its defaults: every name unique, every reference resolved, every address
 * parsed and where it must be. Collects every problem before it throws.
 */
final class TopologyValidator {
    static final long DEFAULT_SEED = 1;
    static final int DEFAULT_VM_MTU = 1500;
    static final int DEFAULT_UDP_SOURCE_PORT = 40000;

    private final Function<String, String> where;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Topology.Segment> segments = new LinkedHashMap<>();
    private final Map<String, String> nodes = new LinkedHashMap<>(); // name -> path
    private final Map<InetAddress, String> underlayAddresses = new HashMap<>(); // address -> "host1 (hosts[0]...)"
    private final Map<String, Topology.Network> networks = new LinkedHashMap<>();
    /** Every network with a name, valid or not: a VM on a broken network is not also an unknown network. */
    private final Set<String> networkNames = new LinkedHashSet<>();

    private final Map<String, Topology.Vm> vms = new LinkedHashMap<>();
    private final Set<String> hostNames = new LinkedHashSet<>();

    TopologyValidator(Function<String, String> where) {
        this.where = where;
    }

    private void problem(String path, String message) {
        problems.add(where.apply(path) + path + ": " + message);
    }

    Topology validate(Topology raw, String defaultName) throws TopologyException {
        if (raw.segments().isEmpty()) {
            problem("segments", "a topology needs at least one underlay segment");
        }
        if (raw.hosts().isEmpty()) {
            problem("hosts", "a topology needs at least one host");
        }
        List<Topology.Segment> segmentList = new ArrayList<>();
        for (int i = 0; i < raw.segments().size(); i++) {
            Topology.Segment segment = segment(raw.segments().get(i), "segments[" + i + "]");
            if (segment != null) {
                segmentList.add(segment);
            }
        }
        for (int i = 0; i < raw.hosts().size(); i++) {
            String name = raw.hosts().get(i).name();
            if (name != null) {
                hostNames.add(name);
            }
        }
        List<Topology.Network> networkList = new ArrayList<>();
        for (int i = 0; i < raw.networks().size(); i++) {
            Topology.Network network = network(raw.networks().get(i), "networks[" + i + "]", networkList);
            if (network != null) {
                networkList.add(network);
            }
        }
        List<Topology.Host> hostList = new ArrayList<>();
        for (int i = 0; i < raw.hosts().size(); i++) {
            Topology.Host host = host(raw.hosts().get(i), "hosts[" + i + "]");
            if (host != null) {
                hostList.add(host);
            }
        }
        List<Topology.Router> routerList = new ArrayList<>();
        for (int i = 0; i < raw.routers().size(); i++) {
            Topology.Router router = router(raw.routers().get(i), "routers[" + i + "]");
            if (router != null) {
                routerList.add(router);
            }
        }
        List<Topology.MulticastGroup> groupList = new ArrayList<>();
        for (int i = 0; i < raw.multicastGroups().size(); i++) {
            Topology.MulticastGroup group = group(raw.multicastGroups().get(i), "multicast_groups[" + i + "]");
            if (group != null) {
                groupList.add(group);
            }
        }
        List<Step> script = new ArrayList<>();
        for (int i = 0; i < raw.script().size(); i++) {
            Step step = step(raw.script().get(i), "script[" + i + "]");
            if (step != null) {
                script.add(step);
            }
        }
        if (!problems.isEmpty()) {
            throw new TopologyException(problems);
        }
        return new Topology(
                raw.name() == null ? defaultName : raw.name(),
                raw.seed() == null ? DEFAULT_SEED : raw.seed(),
                segmentList,
                routerList,
                groupList,
                networkList,
                hostList,
                script);
    }

    // ---------------------------------------------------------------- underlay

    private Topology.Segment segment(Topology.Segment segment, String path) {
        if (segment == null) {
            problem(path, "expected a segment (a map with name, mtu, latency, loss)");
            return null;
        }
        boolean ok = name(segment.name(), path);
        if (ok && segments.containsKey(segment.name())) {
            problem(path + ".name", "duplicate segment name '" + segment.name() + "'");
            ok = false;
        }
        int mtu = mtu(segment.mtu(), Segment.DEFAULT_MTU, path + ".mtu");
        Duration latency = segment.latency() == null ? Segment.DEFAULT_LATENCY : segment.latency();
        double loss = loss(segment.loss(), path + ".loss");
        if (!ok) {
            return null;
        }
        Topology.Segment complete = new Topology.Segment(segment.name(), mtu, latency, loss);
        segments.put(segment.name(), complete);
        return complete;
    }

    private Topology.Host host(Topology.Host host, String path) {
        if (host == null) {
            problem(path, "expected a host (a map with name, segment, addresses, ...)");
            return null;
        }
        boolean ok = nodeName(host.name(), path);
        String segment = segmentReference(host.segment(), path + ".segment");
        List<IpPrefix> prefixes = underlayAddresses(host.name(), host.addresses(), path);
        String mac = mac(host.mac(), path + ".mac", false);
        Integer mtu = host.mtu() != null
                ? Integer.valueOf(mtu(host.mtu(), 0, path + ".mtu"))
                : segment == null ? null : segments.get(segment).mtu();
        double loss = loss(host.loss(), path + ".loss");
        List<Topology.Route> routes = routes(host.name(), host.routes(), prefixes, path);
        String localIp = null;
        if (!prefixes.isEmpty()) {
            if (host.localIp() == null) {
                localIp = IpPrefix.format(prefixes.getFirst().address());
            } else {
                InetAddress local = address(host.localIp(), path + ".local_ip");
                if (local != null) {
                    if (prefixes.stream().noneMatch(p -> p.address().equals(local))) {
                        problem(
                                path + ".local_ip",
                                IpPrefix.format(local) + " is not one of " + host.name() + "'s addresses ("
                                        + formatAddresses(prefixes) + ")");
                    } else {
                        localIp = IpPrefix.format(local);
                    }
                }
            }
        }
        List<String> peers = peers(host, path);
        List<Topology.Vm> vmList = new ArrayList<>();
        for (int i = 0; i < host.vms().size(); i++) {
            Topology.Vm vm = vm(host.vms().get(i), path + ".vms[" + i + "]");
            if (vm != null) {
                vmList.add(vm);
            }
        }
        if (!ok || segment == null || prefixes.isEmpty() || localIp == null) {
            return null;
        }
        return new Topology.Host(
                host.name(),
                segment,
                prefixes.stream().map(IpPrefix::toString).toList(),
                mac,
                mtu,
                loss,
                routes,
                localIp,
                peers,
                vmList);
    }

    private List<String> peers(Topology.Host host, String path) {
        if (host.peers().isEmpty()) {
            return hostNames.stream().filter(name -> !name.equals(host.name())).toList();
        }
        Set<String> peers = new LinkedHashSet<>();
        for (int i = 0; i < host.peers().size(); i++) {
            String peer = host.peers().get(i);
            String at = path + ".peers[" + i + "]";
            if (peer == null || !hostNames.contains(peer)) {
                problem(at, "unknown host '" + peer + "' (hosts: " + String.join(", ", hostNames) + ")");
            } else if (peer.equals(host.name())) {
                problem(at, host.name() + " cannot be its own peer");
            } else if (!peers.add(peer)) {
                problem(at, "peer " + peer + " is listed twice");
            }
        }
        return List.copyOf(peers);
    }

    private Topology.Router router(Topology.Router router, String path) {
        if (router == null) {
            problem(path, "expected a router (a map with name, interfaces, routes)");
            return null;
        }
        boolean ok = nodeName(router.name(), path);
        if (router.interfaces().isEmpty()) {
            problem(path + ".interfaces", "a router needs at least one interface");
            ok = false;
        }
        List<Topology.Interface> interfaces = new ArrayList<>();
        List<IpPrefix> all = new ArrayList<>();
        for (int i = 0; i < router.interfaces().size(); i++) {
            String at = path + ".interfaces[" + i + "]";
            Topology.Interface nic = router.interfaces().get(i);
            if (nic == null) {
                problem(at, "expected an interface (a map with segment, addresses, ...)");
                ok = false;
                continue;
            }
            String segment = segmentReference(nic.segment(), at + ".segment");
            List<IpPrefix> prefixes = underlayAddresses(router.name(), nic.addresses(), at);
            all.addAll(prefixes);
            String mac = mac(nic.mac(), at + ".mac", false);
            Integer mtu = nic.mtu() != null
                    ? Integer.valueOf(mtu(nic.mtu(), 0, at + ".mtu"))
                    : segment == null ? null : segments.get(segment).mtu();
            double loss = loss(nic.loss(), at + ".loss");
            if (segment == null || prefixes.isEmpty()) {
                ok = false;
                continue;
            }
            interfaces.add(new Topology.Interface(
                    segment, prefixes.stream().map(IpPrefix::toString).toList(), mac, mtu, loss));
        }
        List<Topology.Route> routes = routes(router.name(), router.routes(), all, path);
        return ok ? new Topology.Router(router.name(), interfaces, routes) : null;
    }

    private List<Topology.Route> routes(String owner, List<Topology.Route> routes, List<IpPrefix> on, String path) {
        List<Topology.Route> checked = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            String at = path + ".routes[" + i + "]";
            Topology.Route route = routes.get(i);
            if (route == null) {
                problem(at, "expected a route (a map with to and via)");
                continue;
            }
            IpPrefix to = null;
            if (route.to() == null) {
                problem(at, "missing key 'to'");
            } else {
                try {
                    to = IpPrefix.parse(route.to());
                } catch (IllegalArgumentException e) {
                    problem(at + ".to", e.getMessage());
                }
            }
            InetAddress via = route.via() == null ? null : address(route.via(), at + ".via");
            if (route.via() == null) {
                problem(at, "missing key 'via'");
            }
            if (to == null || via == null) {
                continue;
            }
            if (to.address().getAddress().length != via.getAddress().length) {
                problem(at, "route to " + to + " via " + IpPrefix.format(via) + " mixes IPv4 and IPv6");
                continue;
            }
            if (on.stream().noneMatch(p -> p.contains(via))) {
                problem(
                        at + ".via",
                        IpPrefix.format(via) + " is on no subnet of " + owner + " ("
                                + String.join(
                                        ", ",
                                        on.stream()
                                                .map(p -> p.network().toString())
                                                .toList()) + ")");
                continue;
            }
            checked.add(new Topology.Route(to.toString(), IpPrefix.format(via)));
        }
        return checked;
    }

    private Topology.MulticastGroup group(Topology.MulticastGroup group, String path) {
        if (group == null) {
            problem(path, "expected a multicast group (a map with address and members)");
            return null;
        }
        InetAddress address = group.address() == null ? null : address(group.address(), path + ".address");
        if (group.address() == null) {
            problem(path, "missing key 'address'");
        } else if (address != null && !address.isMulticastAddress()) {
            problem(path + ".address", IpPrefix.format(address) + " is not a multicast address");
            address = null;
        }
        Set<String> members = new LinkedHashSet<>();
        for (int i = 0; i < group.members().size(); i++) {
            String member = group.members().get(i);
            if (member == null || !hostNames.contains(member)) {
                problem(
                        path + ".members[" + i + "]",
                        "unknown host '" + member + "' (hosts: " + String.join(", ", hostNames) + ")");
            } else {
                members.add(member);
            }
        }
        return address == null ? null : new Topology.MulticastGroup(IpPrefix.format(address), List.copyOf(members));
    }

    private List<IpPrefix> underlayAddresses(String owner, List<String> addresses, String path) {
        if (addresses.isEmpty()) {
            problem(path, "missing key 'addresses' (underlay addresses with prefix, as 192.168.1.100/24)");
            return List.of();
        }
        List<IpPrefix> prefixes = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            String at = path + ".addresses[" + i + "]";
            String text = addresses.get(i);
            if (text == null) {
                problem(at, "empty address");
                continue;
            }
            try {
                IpPrefix prefix = IpPrefix.parse(text);
                if (!text.contains("/")) {
                    problem(
                            at,
                            "'" + text + "' needs a prefix length (as " + text + (prefix.isIpv4() ? "/24" : "/64")
                                    + ")");
                    continue;
                }
                String other = underlayAddresses.putIfAbsent(prefix.address(), owner + " (" + at + ")");
                if (other != null) {
                    problem(at, IpPrefix.format(prefix.address()) + " is already the address of " + other);
                    continue;
                }
                prefixes.add(prefix);
            } catch (IllegalArgumentException e) {
                problem(at, e.getMessage());
            }
        }
        return prefixes;
    }

    // ---------------------------------------------------------------- overlay

    private Topology.Network network(Topology.Network network, String path, List<Topology.Network> earlier) {
        if (network == null) {
            problem(path, "expected a network (a map with name, type, segmentation_id, cidr, gateway)");
            return null;
        }
        boolean ok = name(network.name(), path);
        if (ok && !networkNames.add(network.name())) {
            problem(path + ".name", "duplicate network name '" + network.name() + "'");
            ok = false;
        }
        if (network.type() == null) {
            problem(path, "missing key 'type' (gre, vxlan or local)");
            ok = false;
        }
        if (network.type() == NetworkType.LOCAL) {
            if (network.segmentationId() != null) {
                problem(
                        path + ".segmentation_id",
                        "a local network has no segmentation_id: nothing tunnels it (it is reached by routing)");
                ok = false;
            }
        } else if (network.segmentationId() == null) {
            if (network.type() != null) { // without a type, whether it needs one is unknown
                problem(path, "missing key 'segmentation_id' (the GRE key or VXLAN VNI)");
            }
            ok = false;
        } else if (network.type() != null) {
            long id = network.segmentationId();
            if (id < 0 || id > network.type().maxSegmentationId()) {
                problem(
                        path + ".segmentation_id",
                        id + " is not a " + network.type().text()
                                + (network.type() == NetworkType.GRE ? " key (0 to " : " VNI (0 to ")
                                + network.type().maxSegmentationId() + ")");
                ok = false;
            } else {
                for (Topology.Network other : earlier) {
                    if (other.type() == network.type() && other.segmentationId() == id) {
                        problem(
                                path + ".segmentation_id",
                                network.type().text() + " " + id + " is already network " + other.name() + "'s");
                        ok = false;
                    }
                }
            }
        }
        String cidr = null;
        if (network.cidr() != null) {
            try {
                IpPrefix prefix = IpPrefix.parse(network.cidr());
                if (!prefix.isIpv4()) {
                    problem(path + ".cidr", "'" + network.cidr() + "' is not an IPv4 subnet");
                    ok = false;
                } else {
                    cidr = prefix.network().toString();
                }
            } catch (IllegalArgumentException e) {
                problem(path + ".cidr", e.getMessage());
                ok = false;
            }
        }
        String group = null;
        if (network.group() != null) {
            InetAddress address = address(network.group(), path + ".group");
            if (network.type() != NetworkType.VXLAN) {
                problem(path + ".group", "only a vxlan network floods to a multicast group");
                ok = false;
            } else if (address != null && !address.isMulticastAddress()) {
                problem(path + ".group", IpPrefix.format(address) + " is not a multicast address");
                ok = false;
            } else if (address != null) {
                group = IpPrefix.format(address);
            }
        }
        String gateway = null;
        if (network.gateway() != null) {
            InetAddress address = address(network.gateway(), path + ".gateway");
            if (address != null && network.cidr() == null) {
                problem(path + ".gateway", "a gateway needs the network's cidr (the subnet it is on)");
                ok = false;
            } else if (address != null && cidr != null && !IpPrefix.parse(cidr).contains(address)) {
                problem(
                        path + ".gateway",
                        IpPrefix.format(address) + " is not in network " + network.name() + "'s cidr " + cidr);
                ok = false;
            } else if (address != null) {
                gateway = IpPrefix.format(address);
            } else {
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        Topology.Network complete =
                new Topology.Network(network.name(), network.type(), network.segmentationId(), cidr, group, gateway);
        networks.put(network.name(), complete);
        return complete;
    }

    private Topology.Vm vm(Topology.Vm vm, String path) {
        if (vm == null) {
            problem(path, "expected a VM (a map with name, network, mac, ip)");
            return null;
        }
        boolean ok = name(vm.name(), path);
        if (ok && vms.containsKey(vm.name())) {
            problem(path + ".name", "duplicate VM name '" + vm.name() + "'");
            ok = false;
        }
        Topology.Network network = null;
        if (vm.network() == null) {
            problem(path, "missing key 'network'");
            ok = false;
        } else {
            network = networks.get(vm.network());
            if (network == null && networkNames.contains(vm.network())) {
                ok = false; // the network's own problem is reported already
            } else if (network == null) {
                problem(
                        path + ".network",
                        "unknown network '" + vm.network() + "' (networks: " + String.join(", ", networks.keySet())
                                + ")");
                ok = false;
            }
        }
        String mac = mac(vm.mac(), path + ".mac", true);
        if (mac != null) {
            for (Topology.Vm other : vms.values()) {
                if (MacAddress.parse(other.mac()) == MacAddress.parse(mac)) {
                    problem(path + ".mac", mac + " is already VM " + other.name() + "'s MAC");
                    mac = null;
                    break;
                }
            }
        }
        String ip = vmIp(vm, network, path);
        String ipv6 = null;
        if (vm.ipv6() != null) {
            try {
                IpPrefix prefix = IpPrefix.parse(vm.ipv6());
                if (prefix.isIpv4() || !vm.ipv6().contains("/")) {
                    problem(
                            path + ".ipv6",
                            "'" + vm.ipv6() + "' is not an IPv6 address with prefix (as 2001:db8::1/64)");
                } else {
                    ipv6 = prefix.toString();
                }
            } catch (IllegalArgumentException e) {
                problem(path + ".ipv6", e.getMessage());
            }
        }
        int mtu = mtu(vm.mtu(), DEFAULT_VM_MTU, path + ".mtu");
        String gateway = null;
        if (vm.gateway() == null && network != null && ip != null) {
            gateway = network.gateway(); // a VM's default gateway is its subnet's, as Neutron's DHCP hands it out
        } else if (vm.gateway() != null) {
            InetAddress address = address(vm.gateway(), path + ".gateway");
            if (address != null && ip != null && !IpPrefix.parse(ip).contains(address)) {
                problem(
                        path + ".gateway",
                        IpPrefix.format(address) + " is not on " + vm.name() + "'s subnet "
                                + IpPrefix.parse(ip).network());
            } else if (address != null) {
                gateway = IpPrefix.format(address);
            }
        }
        if (!ok
                || mac == null
                || ip == null
                || (vm.ipv6() != null && ipv6 == null)
                || (vm.gateway() != null && gateway == null)) {
            return null;
        }
        Topology.Vm complete = new Topology.Vm(vm.name(), vm.network(), mac, ip, ipv6, mtu, gateway);
        vms.put(vm.name(), complete);
        return complete;
    }

    private String vmIp(Topology.Vm vm, Topology.Network network, String path) {
        if (vm.ip() == null) {
            problem(path, "missing key 'ip'");
            return null;
        }
        IpPrefix prefix;
        try {
            prefix = IpPrefix.parse(vm.ip());
        } catch (IllegalArgumentException e) {
            problem(path + ".ip", e.getMessage());
            return null;
        }
        if (!prefix.isIpv4()) {
            problem(path + ".ip", "'" + vm.ip() + "' is not an IPv4 address (IPv6 goes in ipv6)");
            return null;
        }
        if (network == null) {
            return null;
        }
        IpPrefix subnet = network.subnet().orElse(null);
        if (!vm.ip().contains("/")) {
            if (subnet == null) {
                problem(
                        path + ".ip",
                        "'" + vm.ip() + "' needs a prefix length (as " + vm.ip() + "/24): network " + network.name()
                                + " has no cidr");
                return null;
            }
            prefix = new IpPrefix(prefix.address(), subnet.length());
        }
        if (subnet != null && (!subnet.contains(prefix.address()) || prefix.length() != subnet.length())) {
            problem(path + ".ip", prefix + " is not in network " + network.name() + "'s cidr " + subnet);
            return null;
        }
        if (network.gatewayAddress().filter(prefix.address()::equals).isPresent()) {
            problem(
                    path + ".ip",
                    IpPrefix.format(prefix.address()) + " is network " + network.name() + "'s gateway (its router's)");
            return null;
        }
        for (Topology.Vm other : vms.values()) {
            if (other.network().equals(network.name())
                    && IpPrefix.parse(other.ip()).address().equals(prefix.address())) {
                problem(
                        path + ".ip",
                        IpPrefix.format(prefix.address()) + " is already VM " + other.name() + "'s address on network "
                                + network.name());
                return null;
            }
        }
        return prefix.toString();
    }

    // ---------------------------------------------------------------- script

    private Step step(Step step, String path) {
        return switch (step) {
            case null -> {
                problem(path, "expected a step");
                yield null;
            }
            case Step.Ping ping -> {
                String at = path + ".ping";
                boolean ok = vmReference(ping.from(), at, "from");
                InetAddress to = required(ping.to(), at, "to") ? address(ping.to(), at + ".to") : null;
                int count = positive(ping.count(), 1, at + ".count");
                Duration interval = positive(ping.interval(), Duration.ofSeconds(1), at + ".interval");
                Duration timeout = positive(ping.timeout(), Duration.ofSeconds(1), at + ".timeout");
                int size = ping.size() == null ? 56 : ping.size();
                if (size < 0 || size > 65507) {
                    problem(at + ".size", size + " is not 0 to 65507");
                    ok = false;
                }
                if (ok && to != null && count > 0 && interval != null && timeout != null) {
                    yield new Step.Ping(
                            ping.from(), IpPrefix.format(to), count, interval, timeout, size, ping.expect());
                }
                yield null;
            }
            case Step.Udp udp -> {
                String at = path + ".udp";
                boolean ok = vmReference(udp.from(), at, "from");
                InetAddress to = required(udp.to(), at, "to") ? address(udp.to(), at + ".to") : null;
                ok &= required(udp.port(), at, "port") && port(udp.port(), at + ".port");
                int sourcePort = udp.sourcePort() == null ? DEFAULT_UDP_SOURCE_PORT : udp.sourcePort();
                ok &= port(sourcePort, at + ".source_port");
                if (ok && to != null) {
                    yield new Step.Udp(
                            udp.from(),
                            IpPrefix.format(to),
                            udp.port(),
                            sourcePort,
                            udp.payload() == null ? "" : udp.payload());
                }
                yield null;
            }
            case Step.UdpEcho echo -> {
                String at = path + ".udp_echo";
                boolean ok = vmReference(echo.vm(), at, "vm");
                ok &= required(echo.port(), at, "port") && port(echo.port(), at + ".port");
                yield ok ? echo : null;
            }
            case Step.Advance advance -> {
                if (advance.duration() == null || advance.duration().isZero()) {
                    problem(path + ".advance", "advance needs a positive duration (as 300s)");
                    yield null;
                }
                yield advance;
            }
            case Step.Join join -> membership(join.host(), join.group(), path + ".join") ? join : null;
            case Step.Leave leave -> membership(leave.host(), leave.group(), path + ".leave") ? leave : null;
            case Step.ExpectUdp expect -> {
                String at = path + ".expect_udp";
                boolean ok = vmReference(expect.vm(), at, "vm");
                ok &= required(expect.count(), at, "count");
                if (expect.count() != null && expect.count() < 0) {
                    problem(at + ".count", expect.count() + " is negative");
                    ok = false;
                }
                if (expect.port() != null) {
                    ok &= port(expect.port(), at + ".port");
                }
                InetAddress from = expect.from() == null ? null : address(expect.from(), at + ".from");
                ok &= expect.from() == null || from != null;
                yield ok
                        ? new Step.ExpectUdp(
                                expect.vm(), expect.count(), expect.port(), from == null ? null : IpPrefix.format(from))
                        : null;
            }
            case Step.ExpectNeighbor expect -> {
                String at = path + ".expect_neighbor";
                boolean ok = vmReference(expect.vm(), at, "vm");
                InetAddress ip = required(expect.ip(), at, "ip") ? address(expect.ip(), at + ".ip") : null;
                String mac = expect.mac() == null ? null : mac(expect.mac(), at + ".mac", true);
                boolean present = expect.present() == null || expect.present();
                if (!present && expect.mac() != null) {
                    problem(at + ".mac", "a MAC makes no sense with present: false");
                    ok = false;
                }
                yield ok && ip != null && (expect.mac() == null || mac != null)
                        ? new Step.ExpectNeighbor(expect.vm(), IpPrefix.format(ip), mac, present)
                        : null;
            }
        };
    }

    private boolean membership(String host, String group, String path) {
        boolean ok = true;
        if (host == null) {
            problem(path, "missing key 'host'");
            ok = false;
        } else if (!hostNames.contains(host)) {
            problem(path + ".host", "unknown host '" + host + "' (hosts: " + String.join(", ", hostNames) + ")");
            ok = false;
        }
        if (group == null) {
            problem(path, "missing key 'group'");
            return false;
        }
        InetAddress address = address(group, path + ".group");
        if (address != null && !address.isMulticastAddress()) {
            problem(path + ".group", IpPrefix.format(address) + " is not a multicast address");
            return false;
        }
        return ok && address != null;
    }

    private boolean vmReference(String vm, String path, String key) {
        if (vm == null) {
            problem(path, "missing key '" + key + "'");
            return false;
        }
        if (!vms.containsKey(vm)) {
            problem(path + "." + key, "unknown VM '" + vm + "' (VMs: " + String.join(", ", vms.keySet()) + ")");
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- values

    private boolean required(Object value, String path, String key) {
        if (value == null) {
            problem(path, "missing key '" + key + "'");
            return false;
        }
        return true;
    }

    private boolean name(String name, String path) {
        if (name == null || name.isBlank()) {
            problem(path, "missing key 'name'");
            return false;
        }
        return true;
    }

    private boolean nodeName(String name, String path) {
        if (!name(name, path)) {
            return false;
        }
        String other = nodes.putIfAbsent(name, path);
        if (other != null) {
            problem(
                    path + ".name",
                    "duplicate name '" + name + "' (also " + other + ": hosts and routers share names)");
            return false;
        }
        return true;
    }

    private String segmentReference(String segment, String path) {
        if (segment == null) {
            problem(path.substring(0, path.lastIndexOf('.')), "missing key 'segment'");
            return null;
        }
        if (!segments.containsKey(segment)) {
            problem(path, "unknown segment '" + segment + "' (segments: " + String.join(", ", segments.keySet()) + ")");
            return null;
        }
        return segment;
    }

    private InetAddress address(String text, String path) {
        try {
            return IpPrefix.parseAddress(text);
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage());
            return null;
        }
    }

    /** The MAC in canonical text, or null (a problem reported) when it is wrong; null text is a default for hosts. */
    private String mac(String text, String path, boolean required) {
        if (text == null) {
            if (required) {
                problem(path.substring(0, path.lastIndexOf('.')), "missing key 'mac'");
            }
            return null;
        }
        try {
            long mac = MacAddress.parse(text);
            if (MacAddress.isMulticast(mac) || mac == 0) {
                problem(path, MacAddress.format(mac) + " is not a unicast MAC");
                return null;
            }
            return MacAddress.format(mac);
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage());
            return null;
        }
    }

    private int mtu(Integer mtu, int fallback, String path) {
        if (mtu == null) {
            return fallback;
        }
        if (mtu < 68 || mtu > 65535) {
            problem(path, mtu + " is not an MTU (68 to 65535)");
            return fallback;
        }
        return mtu;
    }

    private double loss(Double loss, String path) {
        if (loss == null) {
            return 0;
        }
        if (!(loss >= 0 && loss <= 1)) {
            problem(path, loss + " is not a probability (0 to 1)");
            return 0;
        }
        return loss;
    }

    private int positive(Integer value, int fallback, String path) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            problem(path, value + " is not at least 1");
            return 0;
        }
        return value;
    }

    private Duration positive(Duration value, Duration fallback, String path) {
        if (value == null) {
            return fallback;
        }
        if (value.isZero()) {
            problem(path, "must be longer than 0s");
            return null;
        }
        return value;
    }

    private boolean port(int port, String path) {
        if (port < 0 || port > 65535) {
            problem(path, port + " is not a UDP port (0 to 65535)");
            return false;
        }
        return true;
    }

    private static String formatAddresses(List<IpPrefix> prefixes) {
        return String.join(
                ", ", prefixes.stream().map(p -> IpPrefix.format(p.address())).toList());
    }
}
