package io.jvswitch.datapath.io;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.netio.TestNamespace;
import io.jvswitch.netio.TestNamespace.Ipv6;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelType;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two hypervisor namespaces joined by a veth pair on the underlay (hv1's {@code ul1} 198.18.0.1/24, hv2's {@code ul2}
 * 198.18.0.2/24), and two VM namespaces. {@link #jvswitch} runs a real switch in a hypervisor: a datapath on an {@link
 * EpollForwarder} inside it, bridge {@code br0} (NORMAL) with a TAP port whose interface is moved into the VM's
 * namespace and given 10.0.0.N/24, and one tunnel port. {@link #kernelVxlan} instead builds what Linux alone would: a
 * {@code vxlan} device and a VM veth in a Linux bridge.
 *
 * <p>{@link #close} stops the switches first (their TAP interfaces disappear with them), then deletes every
 * namespace, and with them every link; it runs all of that even when a step fails, and reports the first failure.
 */
final class TwoHypervisors implements AutoCloseable {
    static final String UNDERLAY1 = "ul1";
    static final String UNDERLAY2 = "ul2";

    final TestNamespace hv1;
    final TestNamespace hv2;
    final TestNamespace vm1;
    final TestNamespace vm2;
    private final List<EpollForwarder> forwarders = new ArrayList<>();
    private boolean ipv6Underlay;
    private boolean udpOffloads = true;

    private TwoHypervisors(List<TestNamespace> namespaces) {
        this.hv1 = namespaces.get(0);
        this.hv2 = namespaces.get(1);
        this.vm1 = namespaces.get(2);
        this.vm2 = namespaces.get(3);
    }

    static TwoHypervisors create() throws Exception {
        List<TestNamespace> created = new ArrayList<>();
        try {
            for (String role : new String[] {"hv1", "hv2", "vm1", "vm2"}) {
                created.add(TestNamespace.create(role, Ipv6.OFF_TO_KEEP_LINKS_QUIET));
            }
            TwoHypervisors hosts = new TwoHypervisors(created);
            hosts.connectUnderlay();
            return hosts;
        } catch (Exception | Error e) {
            TestNamespace.deleteAll(created.reversed(), e);
            throw e;
        }
    }

    private void connectUnderlay() throws Exception {
        hv1.ip(
                "link",
                "add",
                UNDERLAY1,
                "address",
                "02:00:00:00:01:01",
                "type",
                "veth",
                "peer",
                "name",
                UNDERLAY2,
                "address",
                "02:00:00:00:01:02",
                "netns",
                hv2.name);
        hv1.ip("addr", "add", "198.18.0.1/24", "dev", UNDERLAY1);
        hv2.ip("addr", "add", "198.18.0.2/24", "dev", UNDERLAY2);
        hv1.ip("link", "set", UNDERLAY1, "up");
        hv2.ip("link", "set", UNDERLAY2, "up");
    }

    /**
     * Gives the underlay IPv6 too: 2001:2::1 and 2001:2::2 (RFC 5180's benchmarking prefix) on the veths, and the
     * switches started after this receive and send IPv6 tunnel packets.
     */
    void ipv6Underlay() throws Exception {
        for (TestNamespace hv : new TestNamespace[] {hv1, hv2}) {
            String device = hv == hv1 ? UNDERLAY1 : UNDERLAY2;
            hv.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=0");
            hv.exec("sysctl", "-q", "-w", "net.ipv6.conf." + device + ".disable_ipv6=0");
            hv.ip("addr", "add", hv == hv1 ? "2001:2::1/64" : "2001:2::2/64", "dev", device, "nodad");
        }
        ipv6Underlay = true;
    }

    /** The switches started after this use no UDP GSO or GRO: every tunnel packet is a datagram of its own. */
    void withoutUdpOffloads() {
        udpOffloads = false;
    }

    /**
     * Starts jvswitch in hypervisor {@code which} (1 or 2) with VM {@code which} behind TAP {@code tapN} at 10.0.0.N/24
     * and a tunnel port {@code tun} of {@code type} with {@code options}.
     */
    EpollForwarder jvswitch(int which, TunnelType type, Map<String, String> options) throws Exception {
        return jvswitch(which, type, options, false);
    }

    /**
     * As {@link #jvswitch(int, TunnelType, Map)}; with {@code systemPort}, VM {@code which} is behind a veth pair
     * instead ({@code vmportN} in the hypervisor, a {@code type=system} port; {@code eth0} in the VM).
     */
    EpollForwarder jvswitch(int which, TunnelType type, Map<String, String> options, boolean systemPort)
            throws Exception {
        TestNamespace hv = which == 1 ? hv1 : hv2;
        TestNamespace vm = which == 1 ? vm1 : vm2;
        String underlayDevice = which == 1 ? UNDERLAY1 : UNDERLAY2;
        SocketUnderlay underlay = new SocketUnderlay(
                        SocketUnderlay.Settings.ipv4(underlayDevice).withIpv6(ipv6Underlay))
                .udpOffloads(udpOffloads);
        Datapath datapath = new Datapath(InstantSource.system(), underlay);
        EpollForwarder forwarder = EpollForwarder.start(datapath, underlay, hv.name, "jvs-dp-hv" + which);
        forwarders.add(forwarder);
        String vmInterface;
        String portName;
        if (systemPort) {
            portName = "vmport" + which;
            vmInterface = "eth0";
            hv.ip("link", "add", portName, "type", "veth", "peer", "name", vmInterface, "netns", vm.name);
            vm.ip("link", "set", vmInterface, "mtu", "1400");
        } else {
            portName = "tap" + which;
            vmInterface = portName;
        }
        forwarder
                .submit(() -> {
                    Bridge bridge = datapath.addBridge("br0");
                    // 1400: the VM's full frames still fit the 1500-byte underlay inside VXLAN or GRE.
                    bridge.addPort(
                            systemPort
                                    ? NativePorts.system(portName, 0)
                                    : NativePorts.tap(portName, 0, 1400, 0x0200000000a0L + which));
                    bridge.addPort(new TunnelPort("tun", TunnelConfig.fromOptions(type, options)));
                    return null;
                })
                .get(5, TimeUnit.SECONDS);
        if (!systemPort) {
            // The TAP's descriptor stays with the switch; its interface goes to the VM, as a hypervisor hands it over.
            hv.ip("link", "set", portName, "netns", vm.name);
        }
        vm.ip("addr", "add", "10.0.0." + which + "/24", "dev", vmInterface);
        vm.ip("link", "set", vmInterface, "up");
        return forwarder;
    }

    /**
     * Linux alone in hypervisor 2: {@code vx0} (VNI 5000, to 198.18.0.1 or, with {@code group}, to that multicast
     * group on the underlay veth) and VM 2's veth in Linux bridge {@code br0}; VM 2 has 10.0.0.2/24 on {@code eth0}.
     */
    void kernelVxlan(String group) throws Exception {
        if (group == null) {
            hv2.ip(
                    "link",
                    "add",
                    "vx0",
                    "type",
                    "vxlan",
                    "id",
                    "5000",
                    "remote",
                    "198.18.0.1",
                    "local",
                    "198.18.0.2",
                    "dstport",
                    "4789");
        } else {
            hv2.ip(
                    "link", "add", "vx0", "type", "vxlan", "id", "5000", "group", group, "dev", UNDERLAY2, "dstport",
                    "4789");
        }
        // A veth has checksum offload, so the kernel's VXLAN would leave the inner TCP checksum partial (for hardware
        // that is not there) and a receiver off the wire would see it wrong: on a real NIC the hardware finishes it.
        // Turning tx offload off makes hv2's kernel finish checksums in software, as a wire needs.
        hv2.exec("ethtool", "-K", UNDERLAY2, "tx", "off");
        hv2.ip("link", "set", "vx0", "mtu", "1400");
        hv2.ip("link", "add", "br0", "type", "bridge");
        hv2.ip("link", "add", "vm2port", "type", "veth", "peer", "name", "eth0", "netns", vm2.name);
        hv2.ip("link", "set", "vx0", "master", "br0");
        hv2.ip("link", "set", "vm2port", "master", "br0");
        for (String link : new String[] {"vx0", "vm2port", "br0"}) {
            hv2.ip("link", "set", link, "up");
        }
        vm2.ip("link", "set", "eth0", "mtu", "1400");
        vm2.ip("addr", "add", "10.0.0.2/24", "dev", "eth0");
        vm2.ip("link", "set", "eth0", "up");
    }

    /** {@code ping -c 3 -W 1 -i 0.2} from a VM namespace; fails the test (IOException) when no reply comes back. */
    static String ping(TestNamespace from, String address) throws Exception {
        return from.exec("ping", "-c", "3", "-W", "1", "-i", "0.2", address);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (EpollForwarder forwarder : forwarders.reversed()) {
            try {
                forwarder.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new IOException("stopping a switch failed: " + e, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        List<TestNamespace> namespaces = List.of(vm1, vm2, hv2, hv1);
        if (failure == null) {
            TestNamespace.deleteAll(namespaces);
        } else {
            TestNamespace.deleteAll(namespaces, failure);
            throw failure;
        }
    }
}
