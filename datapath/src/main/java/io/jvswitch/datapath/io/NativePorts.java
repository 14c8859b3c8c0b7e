package io.jvswitch.datapath.io;

import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.PortType;
import io.jvswitch.netio.NativeException;

/**
 * Makes real Ethernet ports, ready for {@link io.jvswitch.datapath.bridge.Bridge#addPort}: {@code type=tap} (a TAP
 * device the switch creates) and {@code type=system} (an existing interface). Call these in a task given to {@link
 * EpollForwarder#submit}: the device is created in the calling thread's network namespace, and adding the port there
 * makes the forwarder watch it at once.
 *
 * <pre>{@code
 * forwarder.submit(() -> bridge.addPort(NativePorts.tap("tap0", 0, 1450, 0))).get();
 * forwarder.submit(() -> bridge.addPort(NativePorts.system("veth0", 10))).get();
 * }</pre>
 */
public final class NativePorts {
    private NativePorts() {}

    /**
     * A {@code type=tap} port named like its TAP interface.
     *
     * @param tag the access VLAN for NORMAL, or 0 for a trunk
     * @param mtu the interface's MTU, or 0 to keep the kernel's 1500
     * @param mac the interface's MAC (the guest side's, as the kernel sees it), or 0 for a random one
     */
    public static EthernetPort tap(String name, int tag, int mtu, long mac) throws NativeException {
        TapPortDevice device = TapPortDevice.create(name, mtu, mac);
        try {
            EthernetPort port = new EthernetPort(name, PortType.TAP, tag, device);
            device.port(port);
            return port;
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** A {@code type=system} port on existing interface {@code name} (a veth end, a NIC), named like it. */
    public static EthernetPort system(String name, int tag) throws NativeException {
        SystemPortDevice device = SystemPortDevice.open(name);
        try {
            EthernetPort port = new EthernetPort(name, PortType.SYSTEM, tag, device);
            device.port(port);
            return port;
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }
}
