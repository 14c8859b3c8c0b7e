package io.jvswitch.agent;

import io.jvswitch.tunnel.TunnelConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** How tunnel ports are named on br-tun. */
public enum TunnelNaming {
    /**
     * The tutorial's: the type and a number, {@code gre-1}, {@code vxlan-2}, numbered per type in the order the
     * tunnels were first made (Neutron's agent of that era used the server's endpoint IDs, which count up as hosts
     * register). A tunnel keeps its name while it exists; a new one takes the lowest free number.
     */
    TUTORIAL,
    /**
     * Neutron's current {@code get_tunnel_name}: the type, a hyphen, then for an IPv4 remote its 32 bits in 8 lowercase
     * hex digits ({@code vxlan-c0a80165}); for an IPv6 remote the SHA-1 of the address's text in lowercase Base32, cut
     * so that the name fills the 15 characters a Linux interface name can have ({@code gre-} and 11, {@code vxlan-}
     * and 9). Neutron hashes the address as it was configured; here it is the RFC 5952 form.
     */
    NEUTRON;

    /** Linux's IFNAMSIZ less the terminating NUL, Neutron's {@code DEVICE_NAME_MAX_LEN}. */
    public static final int DEVICE_NAME_MAX_LEN = 15;

    /** Neutron's name for the tunnel of {@code type} to {@code remote}. */
    public static String neutronName(NetworkType type, InetAddress remote) {
        String prefix = type.ovsName() + "-";
        if (remote instanceof Inet4Address) {
            return prefix + HexFormat.of().formatHex(remote.getAddress());
        }
        int length = DEVICE_NAME_MAX_LEN - prefix.length();
        byte[] sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1")
                    .digest(TunnelConfig.addressText(remote).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
        return prefix + base32(sha1).substring(0, length).toLowerCase(Locale.ROOT);
    }

    /** The tutorial's name: {@code gre-1}. */
    public static String tutorialName(NetworkType type, int number) {
        return type.ovsName() + "-" + number;
    }

    /** RFC 4648 Base32 (upper case, padding left off: callers cut it anyway). */
    static String base32(byte[] bytes) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >>> (bits - 5)) & 0x1f));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt((buffer << (5 - bits)) & 0x1f));
        }
        return out.toString();
    }
}
