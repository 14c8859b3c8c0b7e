package io.jvswitch.tunnel.encap;

import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.l2.Ethernet;
import io.jvswitch.wire.l3.IpProtocol;
import io.jvswitch.wire.l3.Ipv4;
import io.jvswitch.wire.l3.Ipv6;
import io.jvswitch.wire.l4.Udp;
import io.jvswitch.wire.overlay.Gre;
import io.jvswitch.wire.overlay.Vxlan;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The outer headers of one tunnel to one destination, built once: Ethernet, IPv4 or IPv6, UDP for VXLAN and
 * GRE-in-UDP, then the VXLAN or GRE header. Encapsulation copies these bytes in front of the inner frame and writes
 * only what changes per packet (lengths, IP ID, ToS/TTL when inherited, checksums, the UDP source port, the key).
 *
 * <pre>
 *  VXLAN over IPv4 (50 bytes)      GRE over IPv4 with key (42 bytes)    GRE-in-UDP over IPv6 (66+ bytes)
 *  +----------------+ 0            +----------------+ 0                 +----------------+ 0
 *  | Ethernet  (14) |              | Ethernet  (14) |                   | Ethernet  (14) |
 *  +----------------+ 14           +----------------+ 14                +----------------+ 14
 *  | IPv4      (20) |              | IPv4      (20) |                   | IPv6      (40) |
 *  +----------------+ 34           +----------------+ 34                +----------------+ 54
 *  | UDP        (8) |              | GRE 4 + key 4  |                   | UDP        (8) |
 *  +----------------+ 42           +----------------+ 42                +----------------+ 62
 *  | VXLAN      (8) |                                                   | GRE     (4-16) |
 *  +----------------+ 50                                                +----------------+
 * </pre>
 */
public final class HeaderTemplate {
    private final TunnelConfig config;
    private final MemorySegment bytes;
    private final int length;
    private final int ipOffset;
    private final boolean ipv6;
    private final int udpOffset;
    private final int tunnelOffset;
    private final int keyOffset;
    private final int sequenceOffset;
    private final int ipProtocol;
    private final int ipv4FlagsWord;
    private final long ipv4ConstantSum;
    private final long pseudoHeaderAddressSum;

    /**
     * Builds the outer headers for packets from {@code source} to {@code destination} (the tunnel's local and remote
     * addresses, resolved: a {@code remote_ip=flow} tunnel has one template per destination), with outer Ethernet
     * addresses of this host and of the next hop.
     */
    public HeaderTemplate(
            TunnelConfig config, InetAddress source, InetAddress destination, long sourceMac, long nextHopMac) {
        if (source == null || destination == null) {
            throw new IllegalArgumentException("a header template needs both the local and the remote address");
        }
        if ((source instanceof Inet6Address) != (destination instanceof Inet6Address)) {
            throw new IllegalArgumentException("local " + source + " and remote " + destination + " differ in family");
        }
        this.config = config;
        this.ipv6 = destination instanceof Inet6Address;
        TunnelType type = config.type();
        boolean gre = type.isGre();
        int greLength =
                gre ? Gre.headerLength(config.checksum(), config.outKey().isPresent(), config.sequence()) : 0;

        this.ipOffset = Ethernet.HEADER_LENGTH;
        int ipLength = ipv6 ? Ipv6.HEADER_LENGTH : Ipv4.MIN_HEADER_LENGTH;
        this.udpOffset = type.overUdp() ? ipOffset + ipLength : -1;
        this.tunnelOffset = ipOffset + ipLength + (type.overUdp() ? Udp.HEADER_LENGTH : 0);
        this.length = tunnelOffset + (gre ? greLength : Vxlan.HEADER_LENGTH);
        this.bytes = MemorySegment.ofArray(new byte[length]);

        int protocol = type.overUdp() ? IpProtocol.UDP : IpProtocol.GRE;
        this.ipProtocol = protocol;
        this.ipv4FlagsWord = !ipv6 && config.dontFragment() ? 0x4000 : 0;
        new Ethernet().wrap(bytes, 0).write(nextHopMac, sourceMac, ipv6 ? Ethernet.TYPE_IPV6 : Ethernet.TYPE_IPV4);
        if (ipv6) {
            Ipv6 ip = new Ipv6().wrap(bytes, ipOffset);
            ip.writeHeader(0, 0, 0, protocol, 0);
            ip.source(source.getAddress()).destination(destination.getAddress());
            ipv4ConstantSum = 0;
            pseudoHeaderAddressSum = Checksum.add(bytes, ipOffset + 8, 32, 0);
        } else {
            Ipv4 ip = new Ipv4().wrap(bytes, ipOffset);
            int src = Bytes.u32(MemorySegment.ofArray(source.getAddress()), 0);
            int dst = Bytes.u32(MemorySegment.ofArray(destination.getAddress()), 0);
            ip.writeHeader(0, 0, 0, config.dontFragment(), 0, protocol, src, dst);
            // Sum of the words that never change: flags/fragment offset and the addresses. Version/IHL/ToS,
            // total length, ID and TTL/protocol are added per packet.
            ipv4ConstantSum =
                    Bytes.u16(bytes, ipOffset + 6) + (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff);
            pseudoHeaderAddressSum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff);
        }
        if (type.overUdp()) {
            new Udp().wrap(bytes, udpOffset).write(0, config.destinationPort(), 0, 0);
        }
        if (gre) {
            int greProtocol =
                    config.payloadType() == TunnelConfig.PayloadType.LEGACY_L3 ? Gre.PROTOCOL_IPV4 : Gre.PROTOCOL_TEB;
            new Gre()
                    .wrap(bytes, tunnelOffset)
                    .write(config.checksum(), config.outKey().isPresent(), config.sequence(), greProtocol, 0, 0);
            int at = tunnelOffset + Gre.MIN_HEADER_LENGTH + (config.checksum() ? 4 : 0);
            keyOffset = config.outKey().isPresent() ? at : -1;
            sequenceOffset = config.sequence() ? at + (config.outKey().isPresent() ? 4 : 0) : -1;
        } else {
            new Vxlan().wrap(bytes, tunnelOffset).write(0);
            keyOffset = tunnelOffset + 4;
            sequenceOffset = -1;
        }
    }

    public TunnelConfig config() {
        return config;
    }

    /** The prebuilt bytes; read-only by convention. */
    public MemorySegment bytes() {
        return bytes;
    }

    /** Bytes of outer header, from the outer Ethernet header to the end of the GRE or VXLAN header. */
    public int length() {
        return length;
    }

    /** Bytes that encapsulation adds on the wire beyond the inner frame, not counting the outer Ethernet header. */
    public int overhead() {
        return length - Ethernet.HEADER_LENGTH;
    }

    public int ipOffset() {
        return ipOffset;
    }

    public boolean ipv6() {
        return ipv6;
    }

    /** Offset of the UDP header, or -1 for GRE. */
    public int udpOffset() {
        return udpOffset;
    }

    /** Offset of the VXLAN or GRE header. */
    public int tunnelOffset() {
        return tunnelOffset;
    }

    /** Offset of the GRE key or the VXLAN VNI word, or -1 when the GRE header has no key. */
    public int keyOffset() {
        return keyOffset;
    }

    /** Offset of the GRE sequence number, or -1. */
    public int sequenceOffset() {
        return sequenceOffset;
    }

    /** IP protocol or IPv6 next header of the outer header: UDP or GRE. */
    int ipProtocol() {
        return ipProtocol;
    }

    /** IPv4: the flags and fragment offset word (DF or nothing). */
    int ipv4FlagsWord() {
        return ipv4FlagsWord;
    }

    /** IPv4: the partial sum of the header words that do not change per packet. */
    long ipv4ConstantSum() {
        return ipv4ConstantSum;
    }

    /** Partial sum of the two addresses of the UDP pseudo-header. */
    long pseudoHeaderAddressSum() {
        return pseudoHeaderAddressSum;
    }
}
