/**
 * The tunnel agent, as Neutron's Open vSwitch agent: a host's desired state (its underlay address, networks with their
 * segmentation IDs, VM ports, peers) turned into br-int and br-tun, patch ports, local VLANs, tunnel ports and br-tun's
 * flows, reconciled idempotently.
 */
package io.jvswitch.agent;
