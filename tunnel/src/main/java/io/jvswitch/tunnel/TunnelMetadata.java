package io.jvswitch.tunnel;

import io.jvswitch.wire.Ipv4Address;
import io.jvswitch.wire.Ipv6Address;

/**
 * What decapsulation learned from the outer headers: Open vSwitch's {@code tun_src}, {@code tun_dst}, {@code tun_id},
 * {@code tun_tos}, {@code tun_ttl} and {@code tun_flags}, plus where the inner packet is. Reused: one per thread,
 * refilled by every {@link io.jvswitch.tunnel.decap.Decapsulator#decapsulate}.
 */
public final class TunnelMetadata {
    /** The outer header carried a checksum (GRE C bit, or a non-zero UDP checksum), and it was right. */
    public static final int FLAG_CHECKSUM = 1;
    /** The GRE header carried a key (K bit); VXLAN always carries a VNI. */
    public static final int FLAG_KEY = 2;
    /** The GRE header carried a sequence number (S bit). */
    public static final int FLAG_SEQUENCE = 4;
    /** The outer IPv4 header had DF set. */
    public static final int FLAG_DONT_FRAGMENT = 8;
    /** VXLAN reserved bits were set and ignored (RFC 7348). */
    public static final int FLAG_VXLAN_RESERVED = 16;

    TunnelType type;
    int ipVersion;
    int sourceV4;
    int destinationV4;
    long sourceHigh;
    long sourceLow;
    long destinationHigh;
    long destinationLow;
    long key;
    int tos;
    int ttl;
    int flags;
    int sequence;
    int sourcePort;
    int destinationPort;
    int innerProtocol;
    int innerOffset;
    int innerLength;

    /** Filled by the decapsulator, field by field; public so that other packages' decapsulators can fill it. */
    public void set(TunnelType type, int ipVersion, long key, int tos, int ttl, int flags) {
        this.type = type;
        this.ipVersion = ipVersion;
        this.key = key;
        this.tos = tos;
        this.ttl = ttl;
        this.flags = flags;
    }

    public void ipv4(int source, int destination) {
        this.sourceV4 = source;
        this.destinationV4 = destination;
    }

    public void ipv6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow) {
        this.sourceHigh = sourceHigh;
        this.sourceLow = sourceLow;
        this.destinationHigh = destinationHigh;
        this.destinationLow = destinationLow;
    }

    public void ports(int sourcePort, int destinationPort) {
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
    }

    public void inner(int protocol, int offset, int length) {
        this.innerProtocol = protocol;
        this.innerOffset = offset;
        this.innerLength = length;
    }

    public void sequence(int sequence) {
        this.sequence = sequence;
    }

    public void addFlags(int flags) {
        this.flags |= flags;
    }

    public TunnelType type() {
        return type;
    }

    /** 4 or 6: the underlay's IP version. */
    public int ipVersion() {
        return ipVersion;
    }

    public int sourceV4() {
        return sourceV4;
    }

    public int destinationV4() {
        return destinationV4;
    }

    public long sourceHigh() {
        return sourceHigh;
    }

    public long sourceLow() {
        return sourceLow;
    }

    public long destinationHigh() {
        return destinationHigh;
    }

    public long destinationLow() {
        return destinationLow;
    }

    /** The GRE key (0 when absent) or the VNI. */
    public long key() {
        return key;
    }

    /** The outer ToS / traffic class byte (DSCP and ECN). */
    public int tos() {
        return tos;
    }

    public int ttl() {
        return ttl;
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The GRE sequence number, when {@link #FLAG_SEQUENCE} is set. */
    public int sequence() {
        return sequence;
    }

    /** UDP source port (0 for GRE). */
    public int sourcePort() {
        return sourcePort;
    }

    /** UDP destination port (0 for GRE). */
    public int destinationPort() {
        return destinationPort;
    }

    /** The inner packet's EtherType: 0x6558 (an Ethernet frame), 0x0800 or 0x86dd (a bare IP packet). */
    public int innerProtocol() {
        return innerProtocol;
    }

    /** Absolute offset of the inner packet in the segment that was decapsulated. */
    public int innerOffset() {
        return innerOffset;
    }

    public int innerLength() {
        return innerLength;
    }

    /** Outer source address as text (control path). */
    public String sourceText() {
        return ipVersion == 4 ? Ipv4Address.format(sourceV4) : Ipv6Address.format(sourceHigh, sourceLow);
    }

    /** Outer destination address as text (control path). */
    public String destinationText() {
        return ipVersion == 4 ? Ipv4Address.format(destinationV4) : Ipv6Address.format(destinationHigh, destinationLow);
    }

    /** In the shape of Open vSwitch's tunnel metadata: {@code tun_id=0x1388,tun_src=...,tun_dst=...,...}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append(type).append(": tun_id=0x").append(Long.toHexString(key));
        text.append(ipVersion == 4 ? ",tun_src=" : ",tun_ipv6_src=").append(sourceText());
        text.append(ipVersion == 4 ? ",tun_dst=" : ",tun_ipv6_dst=").append(destinationText());
        text.append(",tun_tos=").append(tos).append(",tun_ttl=").append(ttl);
        if (type != null && type.overUdp()) {
            text.append(",tp_src=").append(sourcePort).append(",tp_dst=").append(destinationPort);
        }
        StringBuilder flagText = new StringBuilder();
        if (has(FLAG_DONT_FRAGMENT)) {
            flagText.append("+df");
        }
        if (has(FLAG_CHECKSUM)) {
            flagText.append("+csum");
        }
        if (has(FLAG_KEY)) {
            flagText.append("+key");
        }
        if (has(FLAG_SEQUENCE)) {
            flagText.append("+seq");
            text.append(",seq=").append(Integer.toUnsignedString(sequence));
        }
        if (has(FLAG_VXLAN_RESERVED)) {
            flagText.append("+reserved");
        }
        if (!flagText.isEmpty()) {
            text.append(",tun_flags=").append(flagText);
        }
        return text.toString();
    }
}
