/**
 * The lab: whole topologies of hosts, switches and guests in one process, with no root and no real network — a
 * simulated underlay, guest VMs with a small ARP/ICMP/UDP stack, virtual time, topologies described in YAML.
 */
package io.jvswitch.lab;
