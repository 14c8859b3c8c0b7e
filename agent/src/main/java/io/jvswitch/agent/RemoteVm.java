package io.jvswitch.agent;

import java.net.InetAddress;

/**
 * A VM another host carries, as Neutron's l2population tells agents about it (an FDB entry: network, MAC, IP).
 *
 * @param ip null when unknown: no ARP responder entry then
 */
public record RemoteVm(String network, long mac, InetAddress ip) {
    public RemoteVm {
        if (network == null) {
            throw new HostStateException("a remote VM needs a network");
        }
        if ((mac >>> 48) != 0) {
            throw new HostStateException("remote VM MAC 0x" + Long.toHexString(mac) + " is not 48 bits");
        }
    }
}
