package io.jvswitch.datapath.port;

import io.jvswitch.tunnel.TunnelMetadata;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * A tunnel's configured address in the form a decapsulated packet's {@link TunnelMetadata} holds outer addresses (an
 * int for IPv4, two longs for IPv6), so that matching a packet to its port compares numbers and allocates nothing.
 */
record OuterAddress(int version, long high, long low) {
    static OuterAddress of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return new OuterAddress(4, 0, ByteBuffer.wrap(bytes).getInt() & 0xffffffffL);
        }
        ByteBuffer words = ByteBuffer.wrap(bytes);
        return new OuterAddress(6, words.getLong(), words.getLong());
    }

    boolean isSourceOf(TunnelMetadata outer) {
        if (outer.ipVersion() != version) {
            return false;
        }
        return version == 4 ? (int) low == outer.sourceV4() : high == outer.sourceHigh() && low == outer.sourceLow();
    }

    boolean isDestinationOf(TunnelMetadata outer) {
        if (outer.ipVersion() != version) {
            return false;
        }
        return version == 4
                ? (int) low == outer.destinationV4()
                : high == outer.destinationHigh() && low == outer.destinationLow();
    }

    /** True when the packet was sent to a group (224.0.0.0/4, ff00::/8): a VTEP's local_ip is not its destination. */
    static boolean destinationIsMulticast(TunnelMetadata outer) {
        return outer.ipVersion() == 4
                ? (outer.destinationV4() >>> 28) == 0xe
                : (outer.destinationHigh() >>> 56) == 0xff;
    }
}
