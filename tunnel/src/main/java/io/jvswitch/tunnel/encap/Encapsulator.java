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
 * and only the per-packet fields are written. No copy of the payload, no allocation.
 *
 * <p>Per packet: the outer ToS (configured DSCP or the inner one, with the inner ECN copied as RFC 6040's normal mode
 * asks), TTL (configured or inherited), IPv4 total length, ID and header checksum or IPv6 payload length and flow
 * label (the inner flow's hash, RFC 6438), the UDP length and source port (the inner flow's hash in the configured
 * range, RFC 7348 section 5), the key or VNI, the GRE sequence number, and the GRE or UDP checksum when enabled.
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
    }

    public HeaderTemplate template() {
        return template;
    }

    /**
     * Encapsulates the packet in {@code packet}.
     *
     * @param flowKey the key (GRE key or VNI) when the tunnel's {@code out_key} is {@code flow}; ignored otherwise
     * @return null when done, else why the packet cannot go into this tunnel (the packet is then unchanged)
     */
    public DropReason encapsulate(PacketBuffer packet, long flowKey) {
        MemorySegment segment = packet.memory();
        int innerStart = packet.start();
        int innerLength = packet.length();
        if (l3Payload) {
            inner.ofIp(segment, innerStart, innerLength);
            if (inner.ipVersion() == 0) {
                return TunnelDrop.L3_TUNNEL_NON_IP;
            }
        } else {
            inner.ofEthernet(segment, innerStart, innerLength);
        }
        int headerLength = template.length();
        if (!template.ipv6() && innerLength + headerLength - template.ipOffset() > 0xffff) {
            return TunnelDrop.TOO_BIG_FOR_IPV4;
        }

        int innerTos = 0;
        int innerTtl = -1;
        if (inner.ipVersion() == 4) {
            int ip = innerStart + inner.ipOffset();
            innerTos = Bytes.u8(segment, ip + 1);
            innerTtl = Bytes.u8(segment, ip + 8);
        } else if (inner.ipVersion() == 6) {
            int ip = innerStart + inner.ipOffset();
            innerTos = (Bytes.u16(segment, ip) >>> 4) & 0xff;
            innerTtl = Bytes.u8(segment, ip + 7);
        }
        int dscp = config.tos() == TunnelConfig.INHERIT ? innerTos & 0xfc : config.tos();
        int tos = dscp | EcnPropagation.encapsulate(innerTos);
        int ttl = config.ttl() != TunnelConfig.INHERIT
                ? config.ttl()
                : innerTtl >= 0 ? innerTtl : TunnelConfig.DEFAULT_TTL;
        int hash = inner.hash();

        int start = packet.prepend(headerLength);
        MemorySegment.copy(template.bytes(), 0, segment, start, headerLength);

        int ip = start + template.ipOffset();
        int ipPayloadLength = headerLength - template.ipOffset() + innerLength;
        if (template.ipv6()) {
            ipPayloadLength -= 40;
            Bytes.u32(segment, ip, 0x6000_0000 | (tos << 20) | (hash & 0xfffff));
            Bytes.u16(segment, ip + 4, ipPayloadLength);
            Bytes.u8(segment, ip + 7, ttl);
        } else {
            int id = nextIpId++ & 0xffff;
            Bytes.u8(segment, ip + 1, tos);
            Bytes.u16(segment, ip + 2, ipPayloadLength);
            Bytes.u16(segment, ip + 4, id);
            Bytes.u8(segment, ip + 8, ttl);
            int protocolWord = (ttl << 8) | Bytes.u8(segment, ip + 9);
            long sum = template.ipv4ConstantSum() + (0x4500 | tos) + ipPayloadLength + id + protocolWord;
            Bytes.u16(segment, ip + 10, Checksum.finish(sum));
            ipPayloadLength -= 20;
        }

        int udp = template.udpOffset();
        if (udp >= 0) {
            udp += start;
            Bytes.u16(segment, udp, InnerFlow.sourcePort(hash, config.sourcePortMin(), config.sourcePortMax()));
            Bytes.u16(segment, udp + 4, ipPayloadLength);
        }

        int tunnel = start + template.tunnelOffset();
        long key = keyFromFlow ? flowKey : fixedKey;
        if (config.type().isGre()) {
            if (l3Payload) {
                Bytes.u16(segment, tunnel + 2, inner.ipVersion() == 6 ? Gre.PROTOCOL_IPV6 : Gre.PROTOCOL_IPV4);
            }
            if (template.keyOffset() >= 0) {
                Bytes.u32(segment, start + template.keyOffset(), (int) key);
            }
            if (template.sequenceOffset() >= 0) {
                Bytes.u32(segment, start + template.sequenceOffset(), sequence.getAndIncrement());
            }
            if (greChecksum) {
                int greLength = packet.end() - tunnel;
                Bytes.u16(segment, tunnel + 4, Checksum.compute(segment, tunnel, greLength));
            }
        } else {
            Bytes.u32(segment, start + template.keyOffset(), (int) ((key & 0xffffff) << 8));
        }

        if (udp >= 0 && udpChecksum) {
            long sum = template.pseudoHeaderAddressSum() + IpProtocol.UDP + ipPayloadLength;
            int checksum = Checksum.finish(Checksum.add(segment, udp, ipPayloadLength, sum));
            Bytes.u16(segment, udp + 6, checksum == 0 ? 0xffff : checksum);
        }
        return null;
    }
}
