/**
 * Topologies as YAML files: the underlay, what each host's switch needs (tunnel endpoint, networks, VMs, peers) and a
 * script of steps; read strictly and checked by {@link io.jvswitch.lab.topology.TopologyLoader}.
 */
package io.jvswitch.lab.topology;
