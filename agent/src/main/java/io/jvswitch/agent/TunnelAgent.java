package io.jvswitch.agent;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.PatchPort;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.datapath.port.PortType;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.datapath.show.VsctlShow;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.Ports;
import io.jvswitch.ofproto.table.FlowDiff;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.text.FlowParser;
import io.jvswitch.tunnel.TunnelConfig;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The tunnel agent of one host, as Neutron's Open vSwitch agent: it makes the host's datapath match a desired {@link
 * HostState} and keeps it so.
 *
 * <p>{@link #apply} builds br-int (kept on NORMAL) and br-tun (its default NORMAL flow removed), joined by the patch
 * ports {@code patch-tun} and {@code patch-int}; gives each network a local VLAN (1 to 4094, kept for as long as the
 * network stays); puts each VM on br-int as an access port of its network's VLAN; makes a tunnel port to each peer for
 * each tunnel type in use ({@code in_key=flow, local_ip=..., out_key=flow, remote_ip=...}); and writes br-tun's flows
 * for the chosen {@link Layout}.
 *
 * <p>Applying is a reconciliation: it changes only what differs. The same state applied twice touches nothing — no
 * flow is added, modified or deleted, so counters and ages stay. A network that leaves takes its flows and frees its
 * VLAN; a peer that leaves takes its tunnel port and every flow that mentions the port, the learned ones included; a
 * VM that leaves takes its port. The agent remembers which flows it installed: flows it did not install (those table
 * 10's learn adds to table 20) are left alone, except when they send to a tunnel that went away or belong to a
 * network that left (its VLAN may soon carry another network). A state that cannot be applied is refused with a
 * {@link HostStateException} before anything changes.
 *
 * <p>Not thread-safe beyond one call at a time: apply and the datapath's packet processing share the datapath's
 * thread, as the lab's event loop runs them.
 */
public final class TunnelAgent {
    public static final String INTEGRATION_BRIDGE = "br-int";
    public static final String TUNNEL_BRIDGE = "br-tun";
    /** br-int's end of the patch cable, as Neutron names it ({@code int_peer_patch_port}). */
    public static final String PATCH_TUN = "patch-tun";
    /** br-tun's end ({@code tun_peer_patch_port}). */
    public static final String PATCH_INT = "patch-int";
    /** The table learned flows go to in both layouts (Neutron's {@code UCAST_TO_TUN}). */
    public static final int LEARNED_TABLE = 20;

    private final Datapath datapath;
    private final UUID systemId;
    private final long cookie;
    private final LocalVlans vlans = new LocalVlans();
    private final Map<String, EthernetPort> vmPorts = new LinkedHashMap<>();
    private final VmPorts vmPortSource;
    private final Map<Endpoint, TunnelPort> tunnels = new LinkedHashMap<>();
    private final Map<FlowDiff.Key, FlowMod> installed = new HashMap<>();
    private HostState state;
    private Bridge brInt;
    private Bridge brTun;

    /** A tunnel's far end: its type and remote address (a peer, or a multicast group). */
    private record Endpoint(NetworkType type, InetAddress remote) {}

    /** A tunnel port as a state wants it. */
    private record TunnelPlan(Endpoint endpoint, String name, Map<String, String> options) {}

    /** An agent with a random system UUID and cookie, as a fresh Open vSwitch database and Neutron agent have. */
    public TunnelAgent(Datapath datapath) {
        this(datapath, UUID.randomUUID(), randomCookie());
    }

    /**
     * @param systemId the UUID {@link #show} prints first (the Open_vSwitch row's)
     * @param cookie the cookie of every flow, installed or learned, in the Neutron layout (Neutron's agent picks a
     *     random one, its {@code agent_uuid_stamp}); the tutorial layout always uses 0
     */
    public TunnelAgent(Datapath datapath, UUID systemId, long cookie) {
        this(datapath, systemId, cookie, VmPorts.PLAIN);
    }

    /** @param vmPorts where VM ports come from: plain ones (the lab), or TAP devices (a real host) */
    public TunnelAgent(Datapath datapath, UUID systemId, long cookie, VmPorts vmPorts) {
        this.datapath = Objects.requireNonNull(datapath);
        this.systemId = Objects.requireNonNull(systemId);
        this.cookie = cookie;
        this.vmPortSource = Objects.requireNonNull(vmPorts);
    }

    private static long randomCookie() {
        SecureRandom random = new SecureRandom();
        long value;
        do {
            value = random.nextLong();
        } while (value == 0);
        return value;
    }

    /**
     * Makes the host match {@code desired}, changing only what differs.
     *
     * @return what changed
     * @throws HostStateException when {@code desired} cannot be applied (a 4095th network, a name taken by a port
     *     the agent does not own, ...); nothing was changed
     */
    public Changes apply(HostState desired) {
        Objects.requireNonNull(desired);
        if (state == null) {
            adopt(desired);
        }
        // Everything that can be refused is refused here, before anything changes.
        Map<String, Integer> vlanPlan =
                vlans.plan(desired.networks().stream().map(Network::name).toList());
        List<TunnelPlan> tunnelPlan = planTunnels(desired);
        checkPortNames(desired, tunnelPlan);

        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        int learnedDeleted = 0;
        ensureBridges(added);

        // Networks that left, or changed what they are: what was learned on their VLAN is stale.
        if (state != null) {
            Map<String, Network> wantedNetworks = new HashMap<>();
            desired.networks().forEach(network -> wantedNetworks.put(network.name(), network));
            for (Network old : state.networks()) {
                if (!old.equals(wantedNetworks.get(old.name()))) {
                    int vlan = vlans.vlan(old.name());
                    Match onVlan = Match.builder()
                            .setMasked(Field.VLAN_TCI, vlan, 0x0fff)
                            .build();
                    learnedDeleted += deleteUninstalled(FlowMod.delete(LEARNED_TABLE, onVlan));
                }
            }
        }

        // VM ports that left or whose network's VLAN is another now.
        Map<String, Vm> wantedVms = new LinkedHashMap<>();
        desired.vms().forEach(vm -> wantedVms.put(vm.name(), vm));
        for (var it = vmPorts.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            Vm vm = wantedVms.get(entry.getKey());
            if (vm == null || vlanPlan.get(vm.network()) != entry.getValue().tag()) {
                brInt.removePort(entry.getKey());
                removed.add(entry.getKey());
                it.remove();
            }
        }

        // Tunnels no longer wanted, or wanted with another name or options: the port goes, and with it every flow
        // that sends to it and that the agent did not install (learned ones); the agent's own flows that mention it
        // are rewritten below.
        Map<Endpoint, TunnelPlan> wantedTunnels = new LinkedHashMap<>();
        tunnelPlan.forEach(plan -> wantedTunnels.put(plan.endpoint(), plan));
        for (var it = tunnels.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            TunnelPort port = entry.getValue();
            TunnelPlan plan = wantedTunnels.get(entry.getKey());
            if (plan == null
                    || !plan.name().equals(port.name())
                    || !plan.options().equals(port.options())) {
                int ofport = port.ofport();
                brTun.removePort(port.name());
                removed.add(port.name());
                it.remove();
                FlowMod sendingThere = new FlowMod(
                        FlowMod.Command.DELETE, FlowMod.ALL_TABLES, Match.ANY, 0, 0, 0, List.of(), 0, 0, ofport);
                learnedDeleted += deleteUninstalled(sendingThere);
            }
        }

        // New VM ports, then new tunnels, in the state's order: the bridges number them as they come.
        for (Vm vm : desired.vms()) {
            if (!vmPorts.containsKey(vm.name())) {
                int mtu = desired.underlayMtu()
                        - desired.network(vm.network()).type().overhead(desired.ipv6());
                EthernetPort port = vmPortSource.open(vm, vlanPlan.get(vm.network()), mtu);
                brInt.addPort(port);
                vmPorts.put(vm.name(), port);
                added.add(vm.name());
            }
        }
        for (TunnelPlan plan : tunnelPlan) {
            if (!tunnels.containsKey(plan.endpoint())) {
                TunnelPort port = new TunnelPort(
                        plan.name(),
                        TunnelConfig.fromOptions(plan.endpoint().type().tunnelType(), plan.options()));
                brTun.addPort(port);
                tunnels.put(plan.endpoint(), port);
                added.add(plan.name());
            }
        }

        vlans.commit(vlanPlan);
        state = desired;
        int[] flowChanges = reconcileFlows(desired);
        return new Changes(added, removed, flowChanges[0], flowChanges[1], flowChanges[2], learnedDeleted);
    }

    private List<TunnelPlan> planTunnels(HostState desired) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (NetworkType type : NetworkType.values()) {
            if (!desired.tunnelTypes().contains(type)) {
                continue;
            }
            for (Peer peer : desired.remotePeers()) {
                boolean wanted = desired.networks().stream()
                        .filter(network -> network.type() == type)
                        .anyMatch(network -> switch (desired.layout()) {
                            case TUTORIAL -> !network.hasGroup();
                            case NEUTRON -> peer.hosts(network.name());
                        });
                if (wanted) {
                    endpoints.add(new Endpoint(type, peer.address()));
                }
            }
        }
        for (Network network : desired.networks()) {
            Endpoint group = new Endpoint(network.type(), network.group());
            if (network.hasGroup() && !endpoints.contains(group)) {
                endpoints.add(group);
            }
        }

        Map<Endpoint, String> names = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        if (desired.naming() == TunnelNaming.NEUTRON) {
            for (Endpoint endpoint : endpoints) {
                String name = TunnelNaming.neutronName(endpoint.type(), endpoint.remote());
                if (!taken.add(name)) {
                    throw new HostStateException("tunnels to two remotes would both be named " + name);
                }
                names.put(endpoint, name);
            }
        } else {
            // A tunnel keeps its number; a new one takes the lowest number free for its type.
            for (Endpoint endpoint : endpoints) {
                TunnelPort existing = tunnels.get(endpoint);
                if (existing != null
                        && existing.name().matches(endpoint.type().ovsName() + "-[1-9][0-9]*")
                        && taken.add(existing.name())) {
                    names.put(endpoint, existing.name());
                }
            }
            for (Endpoint endpoint : endpoints) {
                if (!names.containsKey(endpoint)) {
                    int number = 1;
                    while (taken.contains(TunnelNaming.tutorialName(endpoint.type(), number))) {
                        number++;
                    }
                    String name = TunnelNaming.tutorialName(endpoint.type(), number);
                    taken.add(name);
                    names.put(endpoint, name);
                }
            }
        }

        List<TunnelPlan> plans = new ArrayList<>();
        String local = TunnelConfig.addressText(desired.localIp());
        for (Endpoint endpoint : endpoints) {
            Map<String, String> options = new TreeMap<>();
            options.put("in_key", "flow");
            options.put("local_ip", local);
            options.put("out_key", "flow");
            options.put("remote_ip", TunnelConfig.addressText(endpoint.remote()));
            plans.add(new TunnelPlan(endpoint, names.get(endpoint), options));
        }
        return plans;
    }

    /** Refuses names that clash with each other, with the agent's fixed names, or with ports the agent does not own. */
    private void checkPortNames(HostState desired, List<TunnelPlan> tunnelPlan) {
        Set<String> fixed = Set.of(INTEGRATION_BRIDGE, TUNNEL_BRIDGE, PATCH_TUN, PATCH_INT);
        Map<String, String> owners = new HashMap<>();
        for (TunnelPlan plan : tunnelPlan) {
            owners.put(
                    plan.name(),
                    "a tunnel to " + TunnelConfig.addressText(plan.endpoint().remote()));
            checkNotForeign(plan.name(), "tunnel");
        }
        for (Vm vm : desired.vms()) {
            if (fixed.contains(vm.name())) {
                throw new HostStateException(
                        "VM port " + vm.name() + " has the name of the agent's bridge or patch port");
            }
            String other = owners.put(vm.name(), "VM port " + vm.name());
            if (other != null) {
                throw new HostStateException("VM port " + vm.name() + " has the name of " + other);
            }
            checkNotForeign(vm.name(), "VM");
        }
    }

    private void checkNotForeign(String name, String what) {
        Port existing = datapath.findPort(name);
        if (existing != null && !vmPorts.containsValue(existing) && !tunnels.containsValue(existing)) {
            throw new HostStateException("the " + what + " port " + name + " would clash with port " + name
                    + " of bridge " + datapath.bridgeOf(existing) + ", which the agent does not manage");
        }
    }

    /**
     * Takes over what a previous agent left on this datapath (a restart): br-tun's flows but learned ones, its GRE and
     * VXLAN tunnel ports, and br-int's ports named like the state's VMs. They are the agent's to reconcile from now
     * on; nothing changes here.
     */
    private void adopt(HostState desired) {
        Bridge existingTun = datapath.bridge(TUNNEL_BRIDGE);
        if (existingTun != null) {
            brTun = existingTun;
            for (Rule rule : brTun.tables().rules()) {
                if (!learned(rule)) {
                    FlowMod flow = FlowDiff.flowOf(rule);
                    installed.put(FlowDiff.key(flow), flow);
                }
            }
            for (Port port : brTun.ports()) {
                if (port instanceof TunnelPort tunnel && tunnel.config().remoteIp() != null) {
                    NetworkType type = switch (tunnel.config().type()) {
                        case GRE -> NetworkType.GRE;
                        case VXLAN -> NetworkType.VXLAN;
                        case GRE_UDP -> null;
                    };
                    if (type != null) {
                        tunnels.putIfAbsent(new Endpoint(type, tunnel.config().remoteIp()), tunnel);
                    }
                }
            }
        }
        Bridge existingInt = datapath.bridge(INTEGRATION_BRIDGE);
        if (existingInt != null) {
            brInt = existingInt;
            for (Vm vm : desired.vms()) {
                if (brInt.port(vm.name()) instanceof EthernetPort port
                        && (port.type() == PortType.SYSTEM || port.type() == PortType.TAP)) {
                    vmPorts.put(vm.name(), port);
                    vlans.restore(vm.network(), port.tag()); // as Neutron keeps the VLANs its ports are tagged with
                }
            }
        }
    }

    private void ensureBridges(List<String> added) {
        if (brInt == null) {
            brInt = datapath.bridge(INTEGRATION_BRIDGE);
            if (brInt == null) {
                brInt = datapath.addBridge(INTEGRATION_BRIDGE); // keeps its NORMAL flow: br-int is a learning switch
                added.add(INTEGRATION_BRIDGE);
            }
        }
        if (brTun == null) {
            brTun = datapath.bridge(TUNNEL_BRIDGE);
            if (brTun == null) {
                brTun = datapath.addBridge(TUNNEL_BRIDGE);
                added.add(TUNNEL_BRIDGE);
                // br-tun switches by its flows alone, as Neutron sets it up: its default NORMAL flow goes.
                brTun.tables().apply(FlowMod.delete(FlowMod.ALL_TABLES, Match.ANY));
            }
        }
        if (brInt.port(PATCH_TUN) == null) {
            brInt.addPort(new PatchPort(PATCH_TUN, PATCH_INT));
            added.add(PATCH_TUN);
        }
        if (brTun.port(PATCH_INT) == null) {
            brTun.addPort(new PatchPort(PATCH_INT, PATCH_TUN));
            added.add(PATCH_INT);
        }
    }

    private static boolean learned(Rule rule) {
        return rule.table() == LEARNED_TABLE && rule.hardTimeout() != Rule.PERMANENT;
    }

    /**
     * Deletes the flows {@code filter} selects that the agent did not install (one by one, strictly: the agent's own
     * are reconciled instead, keeping their counters).
     *
     * @return how many were deleted
     */
    private int deleteUninstalled(FlowMod filter) {
        List<FlowMod> deletions = new ArrayList<>();
        for (Rule rule : brTun.tables().rules(filter)) {
            FlowDiff.Key key = new FlowDiff.Key(rule.table(), rule.match(), rule.priority());
            if (!installed.containsKey(key)) {
                deletions.add(deleteStrict(key));
            }
        }
        brTun.tables().applyAll(deletions);
        return deletions.size();
    }

    private static FlowMod deleteStrict(FlowDiff.Key key) {
        return new FlowMod(
                FlowMod.Command.DELETE_STRICT,
                key.table(),
                key.match(),
                key.priority(),
                0,
                0,
                List.of(),
                0,
                0,
                Ports.NONE);
    }

    /**
     * Makes br-tun hold the layout's flows: the agent's flows no longer wanted are deleted, missing ones added, and
     * ones whose actions or cookie differ modified in place (counters kept, as Neutron's {@code mod_flow}); flows the
     * same as wanted are not touched.
     *
     * @return added, modified, deleted
     */
    private int[] reconcileFlows(HostState desired) {
        List<BrTunFlows.Tunnel> wiredTunnels = new ArrayList<>();
        tunnels.forEach((endpoint, port) -> wiredTunnels.add(new BrTunFlows.Tunnel(
                endpoint.type(),
                endpoint.remote(),
                port.ofport(),
                endpoint.remote().isMulticastAddress())));
        List<BrTunFlows.LocalNetwork> networks = desired.networks().stream()
                .map(network -> new BrTunFlows.LocalNetwork(network, vlans.vlan(network.name())))
                .toList();
        BrTunFlows.Wiring wiring = new BrTunFlows.Wiring(
                brTun.port(PATCH_INT).ofport(),
                wiredTunnels,
                networks,
                desired.remotePeers(),
                cookie,
                desired.arpResponder());
        Map<FlowDiff.Key, FlowMod> wanted = FlowDiff.byKey(
                FlowParser.parseLines(BrTunFlows.lines(desired.layout(), wiring), FlowMod.Command.ADD, TUNNEL_BRIDGE));

        Map<FlowDiff.Key, FlowMod> present = new HashMap<>();
        for (Rule rule : brTun.tables().rules()) {
            FlowMod flow = FlowDiff.flowOf(rule);
            present.put(FlowDiff.key(flow), flow);
        }
        List<FlowMod> mods = new ArrayList<>();
        int addedCount = 0;
        int modifiedCount = 0;
        int deletedCount = 0;
        for (FlowDiff.Key key : installed.keySet()) {
            if (!wanted.containsKey(key) && present.containsKey(key)) {
                mods.add(deleteStrict(key));
                deletedCount++;
            }
        }
        for (var entry : wanted.entrySet()) {
            FlowMod want = entry.getValue();
            FlowMod have = present.get(entry.getKey());
            if (have == null) {
                mods.add(want);
                addedCount++;
            } else if (!FlowDiff.same(have, want)) {
                boolean sameTimeouts =
                        have.idleTimeout() == want.idleTimeout() && have.hardTimeout() == want.hardTimeout();
                mods.add(sameTimeouts ? want.withCommand(FlowMod.Command.MODIFY_STRICT) : want);
                modifiedCount++;
            }
        }
        brTun.tables().applyAll(mods);
        installed.clear();
        installed.putAll(wanted);
        return new int[] {addedCount, modifiedCount, deletedCount};
    }

    /** The VM's br-int port, to attach the VM's network card to, or null when there is no such VM here. */
    public EthernetPort vmPort(String vm) {
        return vmPorts.get(vm);
    }

    /** Every VM port, by VM name. */
    public Map<String, EthernetPort> vmPorts() {
        return Collections.unmodifiableMap(vmPorts);
    }

    /** The tunnel ports, by name, in name order. */
    public Map<String, TunnelPort> tunnelPorts() {
        Map<String, TunnelPort> byName = new TreeMap<>();
        tunnels.values().forEach(port -> byName.put(port.name(), port));
        return byName;
    }

    /**
     * The network's local VLAN on br-int.
     *
     * @throws IllegalArgumentException when this host has no such network
     */
    public int localVlan(String network) {
        Integer vlan = vlans.vlan(network);
        if (vlan == null) {
            throw new IllegalArgumentException("this host has no network " + network);
        }
        return vlan;
    }

    /**
     * The MTU a VM on {@code network} should use: the underlay's MTU less the network's encapsulation ({@link
     * NetworkType#overhead}). Frames bigger than that leave no tunnel: the datapath drops them, counted as {@code
     * TUNNEL_MTU_EXCEEDED}.
     *
     * @throws IllegalArgumentException when this host has no such network
     */
    public int mtu(String network) {
        Network found = state == null ? null : state.network(network);
        if (found == null) {
            throw new IllegalArgumentException("this host has no network " + network);
        }
        return state.underlayMtu() - found.type().overhead(state.ipv6());
    }

    /** The MTU for a VM: its network's. */
    public int vmMtu(String vm) {
        for (Vm candidate : state == null ? List.<Vm>of() : state.vms()) {
            if (candidate.name().equals(vm)) {
                return mtu(candidate.network());
            }
        }
        throw new IllegalArgumentException("this host has no VM port " + vm);
    }

    /** The state last applied, or null before the first {@link #apply}. */
    public HostState state() {
        return state;
    }

    public Datapath datapath() {
        return datapath;
    }

    /** br-int, or null before the first {@link #apply}. */
    public Bridge integrationBridge() {
        return brInt;
    }

    /** br-tun, or null before the first {@link #apply}. */
    public Bridge tunnelBridge() {
        return brTun;
    }

    public UUID systemId() {
        return systemId;
    }

    /** The cookie of the Neutron layout's flows. */
    public long cookie() {
        return cookie;
    }

    /** The host as {@code ovs-vsctl show} prints it (bridges and ports in name order): see {@link VsctlShow}. */
    public String show() {
        return VsctlShow.render(systemId, datapath);
    }
}
