package io.jvswitch.agent;

import java.net.InetAddress;

/**
 * A VM's port on this host: the br-int port named {@code name}, an access port of its network's local VLAN.
 *
 * @param mac the VM's MAC address (48 bits)
 * @param ip its address, or null when it has none yet
 */
public record Vm(String name, String network, long mac, InetAddress ip) {
    public Vm {
        if (name == null || name.isBlank()) {
            throw new HostStateException("a VM port needs a name");
        }
        if (network == null) {
            throw new HostStateException("VM port " + name + " needs a network");
        }
        if ((mac >>> 48) != 0) {
            throw new HostStateException("VM port " + name + ": MAC 0x" + Long.toHexString(mac) + " is not 48 bits");
        }
    }
}
