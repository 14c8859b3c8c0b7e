/**
 * Guest VMs for the lab: one network card each, a small ARP/ICMP/UDP stack (with IPv6 neighbor discovery and echo),
 * pings with results in virtual time, and cables to wire guests without a switch.
 */
package io.jvswitch.lab.guest;
