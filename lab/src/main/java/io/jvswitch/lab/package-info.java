/**
 * The lab: whole topologies of hosts, switches and guests in one process, with no root and no real network — a
 * simulated underlay, guest VMs with a small ARP/ICMP/UDP stack, virtual time, topologies described in YAML.
 *
 * <ul>
 *   <li>{@link io.jvswitch.lab.time}: the {@link io.jvswitch.lab.time.VirtualClock} (an {@link java.time.InstantSource}
 *       for the switch's tables) and the {@link io.jvswitch.lab.time.Scheduler} that drives everything.
 *   <li>{@link io.jvswitch.lab.underlay}: segments, routers, multicast groups, captures; each {@link
 *       io.jvswitch.lab.underlay.UnderlayHost} is a switch's {@link io.jvswitch.datapath.Underlay}.
 *   <li>{@link io.jvswitch.lab.guest}: {@link io.jvswitch.lab.guest.Guest} VMs, each a {@link
 *       io.jvswitch.datapath.port.FrameSink} for its switch port.
 *   <li>{@link io.jvswitch.lab.topology}: YAML topologies and their scripts.
 *   <li>{@link io.jvswitch.lab.Lab}: a topology built in-process; a {@link io.jvswitch.lab.HostSwitch} puts a switch on
 *       each host; {@link io.jvswitch.lab.script} plays the script.
 *   <li>{@code io.jvswitch.lab.jvs}: the real switch on lab hosts — {@link io.jvswitch.lab.jvs.JvsSwitching} (the
 *       tunnel agent's br-int and br-tun, the tutorial's Neutron example, {@code tutorial.yaml}) and {@link
 *       io.jvswitch.lab.jvs.GreRouterSwitching} (routers with an L3 GRE port, the tutorial's first example, {@code
 *       l3-gre.yaml}).
 * </ul>
 */
package io.jvswitch.lab;
