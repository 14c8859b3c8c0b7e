package io.jvswitch.agent;

/** Which br-tun flow tables the agent writes. */
public enum Layout {
    /**
     * The tutorial's br-tun (Neutron's agent around 2013): tables 0, 1, 2 (GRE), 3 (VXLAN), 10, 20, 21, flooding every
     * tunnel of the network's type, learning unicast destinations in table 20, every flow with cookie 0.
     */
    TUTORIAL,
    /**
     * Neutron's current br-tun: tables 0, 2, 3 (GRE), 4 (VXLAN), 10, 20 (l2population unicast), 21 (ARP responder),
     * 22 (flooding to the peers that host the network), every flow with the agent's cookie.
     */
    NEUTRON
}
