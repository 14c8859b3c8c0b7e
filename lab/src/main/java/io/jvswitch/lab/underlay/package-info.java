/**
 * The simulated underlay: segments with an MTU, latency and loss; hosts that are a switch's {@link
 * io.jvswitch.datapath.Underlay}; routers with static routes that decrement the TTL; multicast groups; pcap captures
 * per segment in virtual time.
 */
package io.jvswitch.lab.underlay;
