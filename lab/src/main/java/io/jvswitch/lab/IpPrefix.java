package io.jvswitch.lab;

import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An address with a prefix length, as interfaces and routes are written: {@code 192.168.1.100/24}, {@code
 * 2001:db8::1/64}, {@code 0.0.0.0/0}. The address keeps its host bits (it is an interface's address); {@link
 * #contains} compares only the first {@code length} bits.
 */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        Objects.requireNonNull(address, "address");
        int bits = address.getAddress().length * 8;
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException("prefix length " + length + " is not 0 to " + bits);
        }
    }

    /**
     * Parses {@code address/length}; without {@code /length} the prefix is the whole address (/32 or /128). No name
     * lookup.
     *
     * @throws IllegalArgumentException naming the text when it is not a prefix
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = parseAddress(addressText);
        int bits = address.getAddress().length * 8;
        if (slash < 0) {
            return new IpPrefix(address, bits);
        }
        String lengthText = text.substring(slash + 1);
        if (lengthText.isEmpty()
                || lengthText.length() > 3
                || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length after '/' (0 to " + bits + ")");
        }
        int length = Integer.parseInt(lengthText);
        if (length > bits) {
            throw new IllegalArgumentException("'" + text + "': prefix length " + length + " is more than " + bits);
        }
        return new IpPrefix(address, length);
    }

    /**
     * Parses an IPv4 or IPv6 literal, without any name lookup.
     *
     * @throws IllegalArgumentException when {@code text} is neither
     */
    public static InetAddress parseAddress(String text) {
        try {
            if (text.indexOf(':') >= 0) {
                return InetAddress.getByAddress(Ipv6Address.parse(text));
            }
            if (Ipv4Address.isValid(text)) {
                return ipv4(Ipv4Address.parse(text));
            }
        } catch (IllegalArgumentException | UnknownHostException e) {
            // fall through to the one message below
        }
        throw new IllegalArgumentException("'" + text + "' is not an IP address");
    }

    /** The IPv4 address held in an {@code int} (first octet in the high byte). */
    public static Inet4Address ipv4(int address) {
        try {
            return (Inet4Address) InetAddress.getByAddress(
                    new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
                    });
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** The {@code int} form of an IPv4 address. */
    public static int ipv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 4) {
            throw new IllegalArgumentException(format(address) + " is not an IPv4 address");
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** Dotted quad or RFC 5952 text, never a host name. */
    public static String format(InetAddress address) {
        return address instanceof Inet6Address
                ? Ipv6Address.format(address.getAddress())
                : Ipv4Address.format(ipv4(address));
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** True when {@code other} is of the same family and its first {@link #length} bits are this prefix's. */
    public boolean contains(InetAddress other) {
        byte[] mine = address.getAddress();
        byte[] theirs = other.getAddress();
        if (mine.length != theirs.length) {
            return false;
        }
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (mine[i] != theirs[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (mine[full] & mask) == (theirs[full] & mask);
    }

    /** The network: this prefix with the host bits cleared. */
    public IpPrefix network() {
        byte[] bytes = address.getAddress();
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(bytes), length);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return format(address) + "/" + length;
    }
}
