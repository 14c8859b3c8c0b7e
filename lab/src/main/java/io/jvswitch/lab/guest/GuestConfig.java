package io.jvswitch.lab.guest;

import io.jvswitch.lab.IpPrefix;
import io.jvswitch.wire.MacAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A guest's one network card and its stack's settings.
 *
 * @param name how logs and messages name the guest ({@code vm1})
 * @param mac the card's MAC (low 48 bits)
 * @param ipv4 the IPv4 address and on-link prefix, {@code 10.0.0.1/24}
 * @param gateway the IPv4 default gateway, or null (off-link destinations are then unreachable)
 * @param ipv6 the IPv6 address and on-link prefix, or null for an IPv4-only guest
 * @param mtu the largest IP packet the card sends and receives (frames may be 14 bytes longer, 18 when tagged)
 * @param vlan 0 for an untagged card, else the VLAN its frames are tagged with (and the only one it accepts)
 * @param neighborTimeout how long an ARP or neighbor cache entry lives after it was learned
 * @param neighborRetransmit time between ARP requests (neighbor solicitations) for one address
 * @param neighborAttempts requests sent before resolution fails and queued packets are dropped
 */
public record GuestConfig(
        String name,
        long mac,
        IpPrefix ipv4,
        InetAddress gateway,
        IpPrefix ipv6,
        int mtu,
        int vlan,
        Duration neighborTimeout,
        Duration neighborRetransmit,
        int neighborAttempts) {
    public static final int DEFAULT_MTU = 1500;
    /** As long as Linux keeps a neighbor entry that nothing confirms (gc_stale_time). */
    public static final Duration DEFAULT_NEIGHBOR_TIMEOUT = Duration.ofSeconds(60);
    /** Linux's retrans_time_ms. */
    public static final Duration DEFAULT_NEIGHBOR_RETRANSMIT = Duration.ofSeconds(1);
    /** Linux's mcast_solicit. */
    public static final int DEFAULT_NEIGHBOR_ATTEMPTS = 3;

    public GuestConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(neighborTimeout, "neighborTimeout");
        Objects.requireNonNull(neighborRetransmit, "neighborRetransmit");
        if (!(ipv4.address() instanceof Inet4Address)) {
            throw new IllegalArgumentException(name + ": ipv4 " + ipv4 + " is not an IPv4 prefix");
        }
        if (gateway != null && !(gateway instanceof Inet4Address)) {
            throw new IllegalArgumentException(name + ": gateway " + IpPrefix.format(gateway) + " is not IPv4");
        }
        if (ipv6 != null && !(ipv6.address() instanceof Inet6Address)) {
            throw new IllegalArgumentException(name + ": ipv6 " + ipv6 + " is not an IPv6 prefix");
        }
        if (MacAddress.isMulticast(mac) || mac == 0 || (mac & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException(name + ": " + MacAddress.format(mac) + " is not a unicast MAC");
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException(name + ": MTU " + mtu + " is not 68 to 65535");
        }
        if (vlan < 0 || vlan > 4094) {
            throw new IllegalArgumentException(name + ": VLAN " + vlan + " is not 0 (untagged) to 4094");
        }
        if (neighborTimeout.isNegative() || neighborTimeout.isZero()) {
            throw new IllegalArgumentException(name + ": neighbor timeout must be positive");
        }
        if (neighborRetransmit.isNegative() || neighborRetransmit.isZero()) {
            throw new IllegalArgumentException(name + ": neighbor retransmit time must be positive");
        }
        if (neighborAttempts < 1) {
            throw new IllegalArgumentException(name + ": neighbor attempts must be at least 1");
        }
    }

    /** An untagged IPv4 guest with the defaults: MTU 1500, no gateway, no IPv6, Linux's neighbor timers. */
    public static GuestConfig of(String name, String mac, String ipv4) {
        return new GuestConfig(
                name,
                MacAddress.parse(mac),
                IpPrefix.parse(ipv4),
                null,
                null,
                DEFAULT_MTU,
                0,
                DEFAULT_NEIGHBOR_TIMEOUT,
                DEFAULT_NEIGHBOR_RETRANSMIT,
                DEFAULT_NEIGHBOR_ATTEMPTS);
    }

    public GuestConfig withMtu(int newMtu) {
        return new GuestConfig(
                name, mac, ipv4, gateway, ipv6, newMtu, vlan, neighborTimeout, neighborRetransmit, neighborAttempts);
    }

    public GuestConfig withGateway(String address) {
        return new GuestConfig(
                name,
                mac,
                ipv4,
                address == null ? null : IpPrefix.parseAddress(address),
                ipv6,
                mtu,
                vlan,
                neighborTimeout,
                neighborRetransmit,
                neighborAttempts);
    }

    public GuestConfig withIpv6(String prefix) {
        return new GuestConfig(
                name,
                mac,
                ipv4,
                gateway,
                prefix == null ? null : IpPrefix.parse(prefix),
                mtu,
                vlan,
                neighborTimeout,
                neighborRetransmit,
                neighborAttempts);
    }

    public GuestConfig withVlan(int newVlan) {
        return new GuestConfig(
                name, mac, ipv4, gateway, ipv6, mtu, newVlan, neighborTimeout, neighborRetransmit, neighborAttempts);
    }

    public GuestConfig withNeighborTimeout(Duration timeout) {
        return new GuestConfig(
                name, mac, ipv4, gateway, ipv6, mtu, vlan, timeout, neighborRetransmit, neighborAttempts);
    }

    public GuestConfig withNeighborRetransmit(Duration retransmit, int attempts) {
        return new GuestConfig(name, mac, ipv4, gateway, ipv6, mtu, vlan, neighborTimeout, retransmit, attempts);
    }
}
