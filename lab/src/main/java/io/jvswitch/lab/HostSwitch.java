package io.jvswitch.lab;

/**
 * What puts a switch on a lab host: given the host's underlay and guests, it builds the bridges and ports and wires
 * them. The real one (the datapath and the tunnel agent) lives outside the lab; tests use small fakes.
 *
 * <pre>{@code
 * lab.attach((lab, host) -> {
 *     Datapath datapath = ...;                                   // sends through host.underlay()
 *     host.underlay().receiver(datapath::receiveFromUnderlay);
 *     for (Guest vm : host.vms()) {
 *         EthernetPort port = new EthernetPort(vm.name(), PortType.SYSTEM, vlanOf(host.networkOf(vm)), vm);
 *         vm.connect((segment, offset, length) -> datapath.receive(port, segment, offset, length));
 *     }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface HostSwitch {
    void attach(Lab lab, LabHost host);
}
