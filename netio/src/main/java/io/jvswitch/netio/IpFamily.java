package io.jvswitch.netio;

/** The IP version of a socket: which addresses it binds, sends to and receives from. */
public enum IpFamily {
    /** {@code AF_INET}: addresses are an {@code int}, 198.18.0.1 being {@code 0xc6120001}. */
    IPV4(SocketCore.AF_INET, "IPv4"),
    /** {@code AF_INET6}: addresses are two {@code long}s, the first 8 bytes then the last 8, both big-endian. */
    IPV6(SocketCore.AF_INET6, "IPv6");

    final int domain;
    private final String text;

    IpFamily(int domain, String text) {
        this.domain = domain;
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
