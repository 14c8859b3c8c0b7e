package io.jvswitch.lab.underlay;

import io.jvswitch.lab.IpPrefix;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A static route: packets to {@code destination} go to the neighbor {@code via}, which must be on a segment the node
 * is on.
 */
public record Route(IpPrefix destination, InetAddress via) {
    public Route {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(via, "via");
        if (destination.address().getAddress().length != via.getAddress().length) {
            throw new IllegalArgumentException(
                    "route to " + destination + " via " + IpPrefix.format(via) + " mixes IPv4 and IPv6");
        }
    }

    @Override
    public String toString() {
        return destination + " via " + IpPrefix.format(via);
    }
}
