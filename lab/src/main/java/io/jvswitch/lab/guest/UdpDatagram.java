package io.jvswitch.lab.guest;

import io.jvswitch.lab.IpPrefix;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP datagram a guest received.
 *
 * @param timeNanos virtual time of arrival
 * @param payload the data (the record owns the array)
 */
public record UdpDatagram(
        long timeNanos,
        InetAddress source,
        int sourcePort,
        InetAddress destination,
        int destinationPort,
        byte[] payload) {
    public UdpDatagram {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UdpDatagram that
                && timeNanos == that.timeNanos
                && source.equals(that.source)
                && sourcePort == that.sourcePort
                && destination.equals(that.destination)
                && destinationPort == that.destinationPort
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeNanos, source, sourcePort, destination, destinationPort, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return IpPrefix.format(source) + ":" + sourcePort + " > " + IpPrefix.format(destination) + ":" + destinationPort
                + " (" + payload.length + " bytes)";
    }
}
