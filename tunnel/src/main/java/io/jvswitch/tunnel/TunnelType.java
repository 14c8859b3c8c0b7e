package io.jvswitch.tunnel;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The encapsulations jvswitch speaks, named as Open vSwitch names its interface types. */
public enum TunnelType {
    /** GRE (RFC 2784, key and sequence number per RFC 2890) directly over IP, protocol 47. */
    GRE("gre", 0),
    /** VXLAN (RFC 7348): a 24-bit VNI over UDP, destination port 4789. */
    VXLAN("vxlan", 4789),
    /** GRE-in-UDP (RFC 8086): a GRE header over UDP, destination port 4754, for ECMP-friendly entropy. */
    GRE_UDP("gre-udp", 4754);

    private final String ovsName;
    private final int defaultPort;

    TunnelType(String ovsName, int defaultPort) {
        this.ovsName = ovsName;
        this.defaultPort = defaultPort;
    }

    /** The name users type: {@code gre}, {@code vxlan}, {@code gre-udp}. */
    public String ovsName() {
        return ovsName;
    }

    /** True for the encapsulations that ride on UDP. */
    public boolean overUdp() {
        return defaultPort != 0;
    }

    /** The IANA-assigned UDP destination port, 0 for GRE. */
    public int defaultPort() {
        return defaultPort;
    }

    /** True when the tunnel header is a GRE header (plain or in UDP). */
    public boolean isGre() {
        return this != VXLAN;
    }

    /**
     * Parses a type name as users type it.
     *
     * @throws IllegalArgumentException listing the known types
     */
    public static TunnelType parse(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (TunnelType type : values()) {
            if (type.ovsName.equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown tunnel type '" + name + "' (known: " + names() + ")");
    }

    /** The known names, comma-separated, for help and error text. */
    public static String names() {
        return Arrays.stream(values()).map(TunnelType::ovsName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return ovsName;
    }
}
