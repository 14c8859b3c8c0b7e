/**
 * The tunnel agent, as Neutron's Open vSwitch agent: a host's desired state (its underlay address, networks with their
 * segmentation IDs, VM ports, peers) turned into br-int and br-tun, patch ports, local VLANs, tunnel ports and br-tun's
 * flows, reconciled idempotently.
 *
 * <p>The desired state is records: {@link io.jvswitch.agent.HostState} (built with {@link
 * io.jvswitch.agent.HostState#builder}) holding {@link io.jvswitch.agent.Network}s, {@link io.jvswitch.agent.Vm}s and
 * {@link io.jvswitch.agent.Peer}s (with their {@link io.jvswitch.agent.RemoteVm}s for l2population), a {@link
 * io.jvswitch.agent.Layout} and a {@link io.jvswitch.agent.TunnelNaming}. {@link
 * io.jvswitch.agent.TunnelAgent#apply} makes a datapath match it and says what it {@linkplain io.jvswitch.agent.Changes
 * changed}; the agent then hands out the VM ports to attach VMs to, the networks' local VLANs and MTUs, and the host's
 * {@code ovs-vsctl show}.
 */
package io.jvswitch.agent;
