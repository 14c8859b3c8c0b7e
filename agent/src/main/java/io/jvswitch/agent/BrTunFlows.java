package io.jvswitch.agent;

import io.jvswitch.wire.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * br-tun's flows for each {@link Layout}, as the add-flow lines ovs-ofctl would take, built from what the host has:
 * its patch port's number, its tunnels with their numbers, its networks with their local VLANs, and what its peers
 * host.
 */
final class BrTunFlows {
    /** The tutorial's learn: a flow in table 20 per source MAC and VLAN that sends back into the tunnel it came from. */
    static final String LEARN_SPECS = "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
            + "load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[]";

    /** A flood-and-learn VTEP also learns which VTEP the MAC lives behind, so unicast leaves its group port there. */
    static final String LEARN_TUNNEL_SOURCE = "load:NXM_NX_TUN_IPV4_SRC[]->NXM_NX_TUN_IPV4_DST[]";

    private BrTunFlows() {}

    /** A tunnel port as the flows see it. */
    record Tunnel(NetworkType type, InetAddress remote, int ofport, boolean group) {}

    /** A network with its local VLAN. */
    record LocalNetwork(Network network, int vlan) {}

    /** Everything the flows depend on. */
    record Wiring(
            int patchInt,
            List<Tunnel> tunnels,
            List<LocalNetwork> networks,
            List<Peer> peers,
            long cookie,
            boolean arpResponder) {}

    static List<String> lines(Layout layout, Wiring wiring) {
        return switch (layout) {
            case TUTORIAL -> tutorial(wiring);
            case NEUTRON -> neutron(wiring);
        };
    }

    /**
     * The tutorial's br-tun: 0 sorts by input port (patch to 1, GRE tunnels to 2, VXLAN tunnels to 3, anything else
     * dropped); 1 sends unicast to 20 and multicast and broadcast to 21; 2 and 3 give a tunnel's frames their
     * network's local VLAN and go on to 10; 10 learns where the source lives into 20 and sends the frame to br-int; 20
     * holds what was learned, and sends what it does not know to 21; 21 floods a VLAN's frames into every tunnel of
     * its network's type (or to its multicast group) with its segmentation ID. Cookie 0 throughout.
     */
    static List<String> tutorial(Wiring wiring) {
        List<String> lines = new ArrayList<>();
        lines.add("table=0,priority=1,in_port=" + wiring.patchInt() + " actions=resubmit(,1)");
        for (Tunnel tunnel : wiring.tunnels()) {
            lines.add("table=0,priority=1,in_port=" + tunnel.ofport() + " actions=resubmit(,"
                    + tunnel.type().tutorialTable() + ")");
        }
        lines.add("table=0,priority=0 actions=drop");
        lines.add("table=1,priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)");
        lines.add("table=1,priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)");
        for (NetworkType type : NetworkType.values()) {
            for (LocalNetwork local : wiring.networks()) {
                if (local.network().type() == type) {
                    lines.add("table=" + type.tutorialTable() + ",priority=1,tun_id="
                            + hex(local.network().segmentationId()) + " actions=mod_vlan_vid:" + local.vlan()
                            + ",resubmit(,10)");
                }
            }
            lines.add("table=" + type.tutorialTable() + ",priority=0 actions=drop");
        }
        lines.add("table=10,priority=1 actions=" + learn("", false) + ",output:" + wiring.patchInt());
        for (LocalNetwork local : wiring.networks()) {
            if (local.network().hasGroup()) {
                lines.add("table=10,priority=2,dl_vlan=" + local.vlan() + " actions=" + learn("", true) + ",output:"
                        + wiring.patchInt());
            }
        }
        lines.add("table=20,priority=0 actions=resubmit(,21)");
        for (LocalNetwork local : wiring.networks()) {
            List<Tunnel> flood = wiring.tunnels().stream()
                    .filter(tunnel -> tunnel.type() == local.network().type())
                    .filter(tunnel -> local.network().hasGroup()
                            ? tunnel.group()
                                    && tunnel.remote().equals(local.network().group())
                            : !tunnel.group())
                    .toList();
            flood(lines, "table=21,", local, flood);
        }
        lines.add("table=21,priority=0 actions=drop");
        return lines;
    }

    /**
     * Neutron's current br-tun (its {@code setup_default_table}, {@code provision_local_vlan}, {@code
     * setup_tunnel_port}, {@code install_flood_to_tun}, {@code install_unicast_to_tun} and {@code
     * install_arp_responder}), written with the action text of Neutron's ovs-ofctl driver: 0 sorts by input port
     * (patch to 2, GRE tunnels to 3, VXLAN tunnels to 4, else drop); 2 sends broadcast ARP to the ARP responder 21 when
     * it is on, other unicast to 20 and other multicast and broadcast to 22; 3 and 4 give a tunnel's frames their local
     * VLAN and go on to 10; 10 learns and sends the frame to br-int; 20 holds a flow per remote VM (l2population) and
     * what was learned, sending the rest to 22; 21 answers ARP requests for remote VMs in place and sends the rest to
     * 22; 22 floods a VLAN's frames to the peers that host its network. Every flow, and every flow learned, carries the
     * agent's cookie.
     */
    static List<String> neutron(Wiring wiring) {
        List<String> lines = new ArrayList<>();
        String cookie = "cookie=" + hex(wiring.cookie()) + ",";
        lines.add(cookie + "table=0,priority=1,in_port=" + wiring.patchInt() + " actions=resubmit(,2)");
        for (Tunnel tunnel : wiring.tunnels()) {
            lines.add(cookie + "table=0,priority=1,in_port=" + tunnel.ofport() + " actions=resubmit(,"
                    + tunnel.type().neutronTable() + ")");
        }
        lines.add(cookie + "table=0,priority=0 actions=drop");
        if (wiring.arpResponder()) {
            lines.add(cookie + "table=2,priority=1,arp,dl_dst=ff:ff:ff:ff:ff:ff actions=resubmit(,21)");
        }
        lines.add(cookie + "table=2,priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)");
        lines.add(cookie + "table=2,priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,22)");
        for (NetworkType type : NetworkType.values()) {
            for (LocalNetwork local : wiring.networks()) {
                if (local.network().type() == type) {
                    lines.add(cookie + "table=" + type.neutronTable() + ",priority=1,tun_id="
                            + hex(local.network().segmentationId()) + " actions=mod_vlan_vid:" + local.vlan()
                            + ",resubmit(,10)");
                }
            }
            lines.add(cookie + "table=" + type.neutronTable() + ",priority=0 actions=drop");
        }
        lines.add(cookie + "table=10,priority=1 actions=" + learn(cookie, false) + ",output:" + wiring.patchInt());
        for (LocalNetwork local : wiring.networks()) {
            for (Peer peer : wiring.peers()) {
                Tunnel tunnel = tunnel(wiring, local.network().type(), peer.address());
                for (RemoteVm vm : peer.vms()) {
                    if (tunnel == null || !vm.network().equals(local.network().name())) {
                        continue;
                    }
                    lines.add(cookie + "table=20,priority=2,dl_vlan=" + local.vlan() + ",dl_dst="
                            + MacAddress.format(vm.mac()) + " actions=strip_vlan,set_tunnel:"
                            + hex(local.network().segmentationId()) + ",output:" + tunnel.ofport());
                }
            }
        }
        lines.add(cookie + "table=20,priority=0 actions=resubmit(,22)");
        if (wiring.arpResponder()) {
            for (LocalNetwork local : wiring.networks()) {
                for (Peer peer : wiring.peers()) {
                    for (RemoteVm vm : peer.vms()) {
                        // Neutron answers IPv4 ARP only (IPv6 neighbour discovery is left to the VMs).
                        if (vm.network().equals(local.network().name()) && vm.ip() instanceof Inet4Address ip) {
                            lines.add(cookie + "table=21,priority=1,arp,dl_vlan=" + local.vlan() + ",arp_tpa="
                                    + ip.getHostAddress() + " actions=" + arpResponder(vm.mac(), ip));
                        }
                    }
                }
            }
            lines.add(cookie + "table=21,priority=0 actions=resubmit(,22)");
        }
        for (LocalNetwork local : wiring.networks()) {
            List<Tunnel> flood = new ArrayList<>();
            for (Peer peer : wiring.peers()) {
                Tunnel tunnel = tunnel(wiring, local.network().type(), peer.address());
                if (tunnel != null && peer.hosts(local.network().name())) {
                    flood.add(tunnel);
                }
            }
            flood(lines, cookie + "table=22,", local, flood);
        }
        lines.add(cookie + "table=22,priority=0 actions=drop");
        return lines;
    }

    /**
     * Neutron's ARP responder actions ({@code ARP_RESPONDER_ACTIONS}): the request becomes the reply in place —
     * Ethernet destination the asker, source the VM; ARP operation 2; target the asker's hardware and protocol
     * addresses; sender the VM's — and goes back where it came from.
     */
    static String arpResponder(long mac, Inet4Address ip) {
        int address = 0;
        for (byte b : ip.getAddress()) {
            address = (address << 8) | (b & 0xff);
        }
        return "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:" + MacAddress.format(mac)
                + ",load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"
                + "move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:" + hex(mac) + "->NXM_NX_ARP_SHA[],load:"
                + hex(Integer.toUnsignedLong(address)) + "->NXM_OF_ARP_SPA[],in_port";
    }

    private static String learn(String cookie, boolean tunnelSource) {
        return "learn(table=20,hard_timeout=300,priority=1," + cookie + LEARN_SPECS
                + (tunnelSource ? "," + LEARN_TUNNEL_SOURCE : "") + ",output:NXM_OF_IN_PORT[])";
    }

    /** A VLAN's flood flow to {@code tunnels}, in the order of their remote addresses; none when there is nowhere. */
    private static void flood(List<String> lines, String prefix, LocalNetwork local, List<Tunnel> tunnels) {
        if (tunnels.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder(prefix)
                .append("priority=1,dl_vlan=")
                .append(local.vlan())
                .append(" actions=strip_vlan,set_tunnel:")
                .append(hex(local.network().segmentationId()));
        tunnels.stream()
                .sorted(Comparator.comparing(tunnel -> tunnel.remote().getAddress(), Arrays::compareUnsigned))
                .forEach(tunnel -> line.append(",output:").append(tunnel.ofport()));
        lines.add(line.toString());
    }

    private static Tunnel tunnel(Wiring wiring, NetworkType type, InetAddress remote) {
        for (Tunnel tunnel : wiring.tunnels()) {
            if (tunnel.type() == type && !tunnel.group() && tunnel.remote().equals(remote)) {
                return tunnel;
            }
        }
        return null;
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
