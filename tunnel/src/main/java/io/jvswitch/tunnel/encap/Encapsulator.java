package io.jvswitch.tunnel.encap;

import io.jvswitch.tunnel.EcnPropagation;
import io.jvswitch.tunnel.InnerFlow;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelDrop;
import io.jvswitch.tunnel.TunnelKey;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Checksum;
import io.jvswitch.wire.DropReason;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.l3.IpProtocol;
import io.jvswitch.wire.overlay.Gre;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes a tunnel's outer headers onto packets, in place: the template is copied into the packet buffer's headroom
 * and only the per-packet fields are written over it. No copy of the payload, no allocation.
 *
 * <p>Per packet: the outer ToS (configured DSCP or the inner one, with the inner ECN copied as RFC 6040's normal mode
 * asks), TTL (configured or inherited), IPv4 total length, ID and header checksum or IPv6 payload length and flow
 * label (the inner flow's hash, RFC 6438), the UDP length and source port (the inner flow's hash in the configured
 * range, RFC 7348 section 5), the key or VNI, the GRE sequence number, and the GRE or UDP checksum when enabled.
 *
 * <p>The flow hash is the caller's when it has one: a switch has already hashed the packet's flow key for its flow
 * cache, and hashing the inner headers a second time would cost a third of the encapsulation (Open vSwitch likewise
 * takes the packet's RSS hash for the source port). Without one, the encapsulator hashes the inner headers itself.
 *
 * <p>One instance per thread and template; GRE sequence numbers are shared through the counter given at creation so
 * that every thread sending into one tunnel draws from one sequence.
 */
public final class Encapsulator {
    private final HeaderTemplate template;
    private final TunnelConfig config;
    private final InnerFlow inner = new InnerFlow();
    private final AtomicInteger sequence;
    private final boolean l3Payload;
    private final boolean udpChecksum;
    private final boolean greChecksum;
    private final long fixedKey;
    private final boolean keyFromFlow;
    private final boolean ipv6;
    private final boolean gre;
    private final boolean needsHash;
    private final int sourcePortMin;
    private final int sourcePortMax;
    private final int ipProtocol;
    private final int ipv4FlagsWord;
    private final long ipv4SumBase;
    private final int destinationPort;
    private final boolean inheritTos;
    private final int configuredTos;
    private final boolean inheritTtl;
    private final int configuredTtl;
    private int nextIpId;

    public Encapsulator(HeaderTemplate template) {
        this(template, new AtomicInteger());
    }

    /** An encapsulator drawing GRE sequence numbers from {@code sequence}, shared by every sender on the tunnel. */
    public Encapsulator(HeaderTemplate template, AtomicInteger sequence) {
        this.template = template;
        this.config = template.config();
        this.sequence = sequence;
        this.l3Payload = config.payloadType() == TunnelConfig.PayloadType.LEGACY_L3;
        this.udpChecksum = config.type().overUdp() && config.checksum();
        this.greChecksum = config.type().isGre() && config.checksum();
        TunnelKey outKey = config.outKey();
        this.keyFromFlow = outKey.isFlow();
        this.fixedKey = outKey.value();
        this.ipv6 = template.ipv6();
        this.gre = config.type().isGre();
        // The flow hash fills the UDP source port and the IPv6 flow label; GRE over IPv4 has neither.
        this.needsHash = ipv6 || template.udpOffset() >= 0;
        this.sourcePortMin = config.sourcePortMin();
        this.sourcePortMax = config.sourcePortMax();
        this.ipProtocol = template.ipProtocol();
        this.ipv4FlagsWord = template.ipv4FlagsWord();
        // The IPv4 header words that do not change per packet, summed once: version/IHL, protocol, flags, addresses.
        this.ipv4SumBase = template.ipv4ConstantSum() + 0x4500 + ipProtocol;
        this.destinationPort = config.destinationPort();
        this.inheritTos = config.tos() == TunnelConfig.INHERIT;
        this.configuredTos = config.tos();
        this.inheritTtl = config.ttl() == TunnelConfig.INHERIT;
        this.configuredTtl = config.ttl();
    }

    public HeaderTemplate template() {
        return template;
    }

    /**
     * Encapsulates the packet in {@code packet}; an L3 tunnel's GRE protocol type follows the IP version.
     *
     * @param flowKey the key (GRE key or VNI) when the tunnel's {@code out_key} is {@code flow}; ignored otherwise
     * @return null when done, else why the packet cannot go into this tunnel (the packet is then unchanged)
     */
    public DropReason encapsulate(PacketBuffer packet, long flowKey) {
        return encapsulate(packet, flowKey, 0);
    }

    /**
     * Encapsulates the packet in {@code packet}, an L3 tunnel writing {@code etherType} as the GRE protocol type: the
     * Ethertype of the Ethernet header the switch stripped, as Open vSwitch writes the flow's {@code dl_type} for a
     * {@code packet_type=legacy_l3} port ({@code netdev_gre_build_header}). Only IPv4 and IPv6 go into an L3 tunnel.
     *
     * @param flowKey the key (GRE key or VNI) when the tunnel's {@code out_key} is {@code flow}; ignored otherwise
     * @param etherType for an L3 tunnel, the payload's Ethertype ({@code 0x0800}, {@code 0x86dd}), or 0 to take it
     *     from the IP version; ignored by tunnels that carry Ethernet frames
     * @return null when done, else why the packet cannot go into this tunnel (the packet is then unchanged)
     */
    public DropReason encapsulate(PacketBuffer packet, long flowKey, int etherType) {
        return push(packet, flowKey, etherType, 0, false);
    }

    /**
     * As {@link #encapsulate(PacketBuffer, long, int)}, with the UDP source port and IPv6 flow label taken from
     * {@code flowHash}, the hash the caller already computed for the packet's flow (any value equal for every packet
     * of one flow and spread across flows), instead of hashing the inner headers again.
     */
    public DropReason encapsulate(PacketBuffer packet, long flowKey, int etherType, int flowHash) {
        return push(packet, flowKey, etherType, flowHash, true);
    }

    private DropReason push(PacketBuffer packet, long flowKey, int etherType, int flowHash, boolean hashGiven) {
        MemorySegment segment = packet.memory();
        int innerStart = packet.start();
        int innerLength = packet.length();
        int greProtocol = Gre.PROTOCOL_TEB;
        if (l3Payload) {
            inner.ofIp(segment, innerStart, innerLength);
            if (inner.ipVersion() == 0
                    || (etherType != 0 && etherType != Gre.PROTOCOL_IPV4 && etherType != Gre.PROTOCOL_IPV6)) {
                return TunnelDrop.L3_TUNNEL_NON_IP;
            }
            greProtocol = etherType != 0 ? etherType : inner.ipVersion() == 6 ? Gre.PROTOCOL_IPV6 : Gre.PROTOCOL_IPV4;
        } else if (needsHash && !hashGiven) {
            inner.ofEthernet(segment, innerStart, innerLength);
        } else {
            inner.ipHeaderOfEthernet(segment, innerStart, innerLength);
        }
        int headerLength = template.length();
        // Bytes from the outer IP header to the end of the packet: IPv4's total length, IPv6's payload + 40.
        int ipLength = headerLength - template.ipOffset() + innerLength;
        if (!ipv6 && ipLength > 0xffff) {
            return TunnelDrop.TOO_BIG_FOR_IPV4;
        }
        int innerTos = inner.tos();
        int dscp = inheritTos ? innerTos & 0xfc : configuredTos;
        int tos = dscp | EcnPropagation.encapsulate(innerTos);
        int ttl = !inheritTtl ? configuredTtl : inner.ttl() >= 0 ? inner.ttl() : TunnelConfig.DEFAULT_TTL;
        int hash = hashGiven ? flowHash : inner.hash();

        int start = packet.prepend(headerLength);
        MemorySegment.copy(template.bytes(), 0, segment, start, headerLength);

        // The outer IP header, written as whole words: fewer, wider accesses are what keep this fast.
        int ip = start + template.ipOffset();
        int l4Length;
        if (ipv6) {
            l4Length = ipLength - 40;
            Bytes.u32(segment, ip, 0x6000_0000 | (tos << 20) | (hash & 0xfffff));
            Bytes.u32(segment, ip + 4, (l4Length << 16) | (ipProtocol << 8) | ttl);
        } else {
            l4Length = ipLength - 20;
            int id = nextIpId++ & 0xffff;
            int checksum = Checksum.finishSmall(ipv4SumBase + tos + ipLength + id + (ttl << 8));
            long versionToFragment =
                    ((long) (0x4500_0000 | (tos << 16) | ipLength) << 32) | ((long) id << 16) | ipv4FlagsWord;
            Bytes.u64(segment, ip, versionToFragment);
            Bytes.u32(segment, ip + 8, (ttl << 24) | (ipProtocol << 16) | checksum);
        }

        int udp = template.udpOffset();
        if (udp >= 0) {
            udp += start;
            long sourcePort = InnerFlow.sourcePort(hash, sourcePortMin, sourcePortMax);
            // Ports, length, and a checksum of 0 until computed below.
            Bytes.u64(segment, udp, (sourcePort << 48) | ((long) destinationPort << 32) | ((long) l4Length << 16));
        }

        int tunnel = start + template.tunnelOffset();
        long key = keyFromFlow ? flowKey : fixedKey;
        if (gre) {
            if (l3Payload) {
                Bytes.u16(segment, tunnel + 2, greProtocol);
            }
            if (template.keyOffset() >= 0) {
                Bytes.u32(segment, start + template.keyOffset(), (int) key);
            }
            if (template.sequenceOffset() >= 0) {
                Bytes.u32(segment, start + template.sequenceOffset(), sequence.getAndIncrement());
            }
            if (greChecksum) {
                Bytes.u16(segment, tunnel + 4, Checksum.compute(segment, tunnel, packet.end() - tunnel));
            }
        } else {
            Bytes.u32(segment, start + template.keyOffset(), (int) ((key & 0xffffff) << 8));
        }

        if (udp >= 0 && udpChecksum) {
            long sum = template.pseudoHeaderAddressSum() + IpProtocol.UDP + l4Length;
            int checksum = Checksum.finish(Checksum.add(segment, udp, l4Length, sum));
            Bytes.u16(segment, udp + 6, checksum == 0 ? 0xffff : checksum);
        }
        return null;
    }
}
