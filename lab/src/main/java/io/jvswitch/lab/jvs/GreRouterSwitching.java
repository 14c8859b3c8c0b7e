package io.jvswitch.lab.jvs;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.datapath.port.PortType;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.lab.HostSwitch;
import io.jvswitch.lab.IpPrefix;
import io.jvswitch.lab.Lab;
import io.jvswitch.lab.LabHost;
import io.jvswitch.lab.guest.Guest;
import io.jvswitch.lab.topology.NetworkType;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.lab.underlay.CapturedFrame;
import io.jvswitch.lab.underlay.Node;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Puts jvswitch on each lab host as a router of the tutorial's first example (RA and RB): one bridge, {@value
 * #BRIDGE}, with a port for each guest of the host ({@code lan0}, {@code lan1}, ...; the guest's network must be a
 * {@code local} one with a gateway) and, for each peer, a GRE port ({@code gre0}, ...) with Open vSwitch's options
 * {@code remote_ip} (the peer's {@code local_ip}), {@code local_ip} and {@code packet_type=legacy_l3}: the tunnel
 * carries the IP packet, not its Ethernet header. OpenFlow flows route, in table 0:
 *
 * <ul>
 *   <li>priority 100: ARP requests for the gateway address are answered where they arrive, with the router's MAC
 *       (Neutron's ARP responder: the request is turned into the reply by {@code move} and {@code load}, and goes
 *       back out {@code in_port});
 *   <li>priority 50, from a LAN port to a peer's subnets: {@code dec_ttl}, out of that peer's tunnel;
 *   <li>priority 50, from a tunnel to a guest's address: the router's MAC as source, the guest's as destination (a
 *       static neighbour: the router asks no ARP), {@code dec_ttl}, out of the guest's port;
 *   <li>priority 0: drop.
 * </ul>
 *
 * The router's MAC on a network is 02:00 followed by its gateway address ({@code 02:00:c0:a8:01:fe} for
 * 192.168.1.254), as the lab numbers the MACs of underlay interfaces. The flows are plain ovs-ofctl text ({@link
 * #flows}), so they can be printed and read; ports are numbered as added, LAN ports first.
 *
 * <p>Frames on a host's LAN links (guest to router and back) can be watched with {@link #tap}, as the lab's segments
 * can with {@link io.jvswitch.lab.underlay.Segment#tap}: that is where a packet is seen before encapsulation.
 */
public final class GreRouterSwitching implements HostSwitch {
    /** The bridge each router has. */
    public static final String BRIDGE = "br0";

    private final Map<String, GreRouter> routers = new LinkedHashMap<>();
    private final Map<String, List<Consumer<CapturedFrame>>> taps = new LinkedHashMap<>();

    /** The router on the host named {@code name}, once attached. */
    public GreRouter router(String name) {
        GreRouter router = routers.get(name);
        if (router == null) {
            throw new IllegalArgumentException(
                    "no router named " + name + " (routers: " + String.join(", ", routers.keySet()) + ")");
        }
        return router;
    }

    public List<GreRouter> routers() {
        return List.copyOf(routers.values());
    }

    /**
     * Calls {@code tap} with every frame on the LAN of {@code network} (a local network): each frame a guest on it
     * sends to its router and each frame the router sends to a guest, as it crosses the link. The frame's {@link
     * CapturedFrame#segment} is the network's name.
     */
    public void tap(String network, Consumer<CapturedFrame> tap) {
        taps.computeIfAbsent(network, name -> new CopyOnWriteArrayList<>()).add(tap);
    }

    @Override
    public void attach(Lab lab, LabHost host) {
        Topology topology = lab.topology();
        List<String> flows = flows(topology, host.spec());
        Datapath datapath = new Datapath(lab.clock(), host.underlay());
        host.underlay().receiver(datapath::receiveFromUnderlay);
        Bridge bridge = datapath.addBridge(BRIDGE);
        for (int i = 0; i < host.vms().size(); i++) {
            Guest guest = host.vms().get(i);
            String network = host.networkOf(guest).name();
            EthernetPort port = (EthernetPort) bridge.addPort(new EthernetPort("lan" + i, PortType.SYSTEM, 0, null));
            expectNumber(port, i + 1);
            port.attach((segment, offset, length) -> {
                watch(lab, network, segment, offset, length);
                guest.deliver(segment, offset, length);
            });
            guest.connect((segment, offset, length) -> {
                watch(lab, network, segment, offset, length);
                datapath.receive(port, segment, offset, length);
            });
        }
        List<String> peers = host.spec().peers();
        for (int i = 0; i < peers.size(); i++) {
            Topology.Host peer = topology.host(peers.get(i)).orElseThrow();
            Port port = bridge.addPort(new TunnelPort("gre" + i, tunnel(host.spec(), peer)));
            expectNumber(port, host.vms().size() + i + 1);
        }
        bridge.tables().apply(FlowParser.parse("", FlowMod.Command.DELETE)); // no NORMAL: a router routes
        bridge.tables().applyAll(FlowParser.parseLines(flows, FlowMod.Command.ADD, host.name() + " " + BRIDGE));
        lab.scheduler().every(Duration.ofSeconds(1), datapath::runTimers);
        UUID systemId = UUID.nameUUIDFromBytes(
                ("jvswitch lab " + topology.name() + " " + host.name()).getBytes(StandardCharsets.UTF_8));
        routers.put(host.name(), new GreRouter(host, datapath, systemId, flows));
    }

    private static void expectNumber(Port port, int number) {
        if (port.ofport() != number) {
            throw new IllegalStateException(port.name() + " is port " + port.ofport() + ", not " + number);
        }
    }

    private void watch(Lab lab, String network, MemorySegment segment, long offset, int length) {
        List<Consumer<CapturedFrame>> watchers = taps.get(network);
        if (watchers == null || watchers.isEmpty()) {
            return;
        }
        CapturedFrame frame = new CapturedFrame(
                network, lab.scheduler().now(), segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        for (Consumer<CapturedFrame> watcher : watchers) {
            watcher.accept(frame);
        }
    }

    /**
     * The GRE port from {@code host} to {@code peer}: {@code remote_ip} the peer's tunnel address, {@code local_ip}
     * the host's, {@code packet_type=legacy_l3}.
     */
    public static TunnelConfig tunnel(Topology.Host host, Topology.Host peer) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("remote_ip", peer.localIp());
        options.put("local_ip", host.localIp());
        options.put("packet_type", "legacy_l3");
        return TunnelConfig.fromOptions(TunnelType.GRE, options);
    }

    /**
     * The router's flows for {@code host}, as ovs-ofctl add-flow text, from the topology alone: ARP for each gateway,
     * each LAN's traffic to the peers' subnets into their tunnels, each tunnel's traffic for a guest to the guest.
     *
     * @throws IllegalArgumentException when a guest of the host is not on a local network with a gateway
     */
    public static List<String> flows(Topology topology, Topology.Host host) {
        List<String> flows = new ArrayList<>();
        List<Topology.Vm> vms = host.vms();
        List<String> peers = host.peers();
        int firstTunnel = vms.size() + 1;
        for (int i = 0; i < vms.size(); i++) {
            Topology.Vm vm = vms.get(i);
            Topology.Network network = lan(topology, host, vm);
            InetAddress gateway = network.gatewayAddress().orElseThrow();
            int port = i + 1;
            flows.add("table=0,priority=100,arp,in_port=" + port + ",arp_tpa=" + IpPrefix.format(gateway)
                    + ",arp_op=1 actions=" + arpResponder(routerMac(network), gateway));
            for (int p = 0; p < peers.size(); p++) {
                for (IpPrefix subnet :
                        subnets(topology, topology.host(peers.get(p)).orElseThrow())) {
                    flows.add("table=0,priority=50,ip,in_port=" + port + ",nw_dst=" + subnet
                            + " actions=dec_ttl,output:" + (firstTunnel + p));
                }
            }
        }
        for (int p = 0; p < peers.size(); p++) {
            for (int i = 0; i < vms.size(); i++) {
                Topology.Vm vm = vms.get(i);
                Topology.Network network = lan(topology, host, vm);
                flows.add("table=0,priority=50,ip,in_port=" + (firstTunnel + p) + ",nw_dst="
                        + IpPrefix.format(vm.ipPrefix().address()) + " actions=mod_dl_src:"
                        + MacAddress.format(routerMac(network)) + ",mod_dl_dst:" + vm.mac() + ",dec_ttl,output:"
                        + (i + 1));
            }
        }
        flows.add("table=0,priority=0 actions=drop");
        return flows;
    }

    /** The router's MAC on {@code network}: 02:00 and its gateway address, as the lab numbers interface MACs. */
    public static long routerMac(Topology.Network network) {
        InetAddress gateway = network.gatewayAddress()
                .orElseThrow(() -> new IllegalArgumentException("network " + network.name() + " has no gateway"));
        return Node.defaultMac(List.of(new IpPrefix(gateway, 32)));
    }

    private static Topology.Network lan(Topology topology, Topology.Host host, Topology.Vm vm) {
        Topology.Network network = topology.network(vm.network()).orElseThrow();
        if (network.type() != NetworkType.LOCAL || network.gateway() == null) {
            throw new IllegalArgumentException(vm.name() + " on " + host.name() + " is on network " + network.name()
                    + ", which is not a local network with a gateway: a GRE router routes between such LANs");
        }
        return network;
    }

    /** The subnets of {@code host}'s guests, in order, each once. */
    private static Set<IpPrefix> subnets(Topology topology, Topology.Host host) {
        Set<IpPrefix> subnets = new LinkedHashSet<>();
        for (Topology.Vm vm : host.vms()) {
            subnets.add(lan(topology, host, vm)
                    .subnet()
                    .orElseGet(() -> vm.ipPrefix().network()));
        }
        return subnets;
    }

    /**
     * Neutron's ARP responder ({@code ARP_RESPONDER_ACTIONS}): the request becomes the reply in place — Ethernet
     * destination the asker, source the router; ARP operation 2; target the asker's addresses; sender the router's —
     * and goes back out the port it came in by.
     */
    static String arpResponder(long mac, InetAddress ip) {
        return "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:" + MacAddress.format(mac)
                + ",load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"
                + "move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0x" + Long.toHexString(mac)
                + "->NXM_NX_ARP_SHA[],load:0x"
                + Integer.toHexString(IpPrefix.ipv4(ip)) + "->NXM_OF_ARP_SPA[],in_port";
    }
}
