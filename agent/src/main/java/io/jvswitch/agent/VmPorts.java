package io.jvswitch.agent;

import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.PortType;

/**
 * Where a VM's br-int port comes from. The agent decides a port's name, VLAN and MTU; what stands behind it is the
 * host's business: in the lab a simulated guest plugs into a plain port, on a real host the switch creates a TAP
 * device that a VM (or a network namespace) uses, as Nova's VIF plugging creates {@code tapXXXX} for Neutron's agent.
 */
@FunctionalInterface
public interface VmPorts {
    /** Plain ports with nothing behind them yet: whoever runs the agent attaches a sink later (the lab does). */
    VmPorts PLAIN = (vm, tag, mtu) -> new EthernetPort(vm.name(), PortType.SYSTEM, tag, null);

    /**
     * The port for {@code vm}, ready for {@code br-int}.
     *
     * @param tag the local VLAN of the VM's network, the port's access tag
     * @param mtu the network's MTU (underlay MTU minus the tunnel's overhead), for the VM's interface
     * @throws HostStateException naming the VM and what failed, when its device cannot be created
     */
    EthernetPort open(Vm vm, int tag, int mtu);
}
