package io.jvswitch.wire.l2;

import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.Malformed;
import java.lang.foreign.MemorySegment;

/**
 * An ARP packet (RFC 826) for IPv4 over Ethernet, the only kind a virtual switch answers or learns from: 28 bytes
 * after the Ethernet header (EtherType 0x0806).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Hardware type (ar$hrd, 1)   | Protocol type (ar$pro, 0x0800)|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |HW len (hln, 6)|Pr len (pln, 4)|  Operation (ar$op, 1 or 2)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Sender hardware address (ar$sha), bytes 0-3          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   ar$sha, bytes 4-5           | Sender protocol address (spa) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   ar$spa, bytes 2-3           |   ar$tha, bytes 0-1           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     ar$tha, bytes 2-5                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Target protocol address (ar$tpa)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The address fields sit at fixed offsets only when the lengths are 6 and 4; {@link #validate} refuses any other
 * kind, so a validated packet's accessors are right. MACs are the low 48 bits of a {@code long}, IPv4 addresses an
 * {@code int} with the first octet in the high byte.
 *
 * <p>A flyweight: {@link #wrap} points it at bytes in a {@link MemorySegment}; accessors read and write those bytes in
 * place and never allocate. Create one per thread and reuse it.
 */
public final class Arp {
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int HEADER_LENGTH = 28;

    /** The fixed part (hardware and protocol types, lengths, operation) that every ARP packet has. */
    public static final int FIXED_LENGTH = 8;

    public static final int HARDWARE_ETHERNET = 1;
    public static final int PROTOCOL_IPV4 = Ethernet.TYPE_IPV4;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private static final int MAC_LENGTH = 6;
    private static final int IPV4_LENGTH = 4;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Arp wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public long offset() {
        return offset;
    }

    /**
     * Checks the ARP packet in the {@code available} bytes from {@code offset}: the fixed part and the four addresses
     * its lengths announce must fit, and it must be Ethernet/IPv4. Never throws; never reads at or past
     * {@code offset + available}.
     *
     * @return null when the packet is a whole Ethernet/IPv4 ARP packet, otherwise {@link Malformed#ARP_TRUNCATED} or
     *     {@link Malformed#ARP_UNSUPPORTED}
     */
    public static Malformed validate(MemorySegment segment, long offset, long available) {
        long limit = Math.min(available, segment.byteSize() - offset);
        if (offset < 0 || limit < FIXED_LENGTH) {
            return Malformed.ARP_TRUNCATED;
        }
        int hardwareLength = Bytes.u8(segment, offset + 4);
        int protocolLength = Bytes.u8(segment, offset + 5);
        if (limit < FIXED_LENGTH + 2L * hardwareLength + 2L * protocolLength) {
            return Malformed.ARP_TRUNCATED;
        }
        if (Bytes.u16(segment, offset) != HARDWARE_ETHERNET
                || Bytes.u16(segment, offset + 2) != PROTOCOL_IPV4
                || hardwareLength != MAC_LENGTH
                || protocolLength != IPV4_LENGTH) {
            return Malformed.ARP_UNSUPPORTED;
        }
        return null;
    }

    public int hardwareType() {
        return Bytes.u16(segment, offset);
    }

    public Arp hardwareType(int type) {
        Bytes.u16(segment, offset, type);
        return this;
    }

    public int protocolType() {
        return Bytes.u16(segment, offset + 2);
    }

    public Arp protocolType(int type) {
        Bytes.u16(segment, offset + 2, type);
        return this;
    }

    public int hardwareLength() {
        return Bytes.u8(segment, offset + 4);
    }

    public Arp hardwareLength(int length) {
        Bytes.u8(segment, offset + 4, length);
        return this;
    }

    public int protocolLength() {
        return Bytes.u8(segment, offset + 5);
    }

    public Arp protocolLength(int length) {
        Bytes.u8(segment, offset + 5, length);
        return this;
    }

    /** {@link #OP_REQUEST} or {@link #OP_REPLY} (other values are RARP, InARP and the like). */
    public int operation() {
        return Bytes.u16(segment, offset + 6);
    }

    public Arp operation(int operation) {
        Bytes.u16(segment, offset + 6, operation);
        return this;
    }

    public long senderMac() {
        return Bytes.mac(segment, offset + 8);
    }

    public Arp senderMac(long mac) {
        Bytes.mac(segment, offset + 8, mac);
        return this;
    }

    public int senderIp() {
        return Bytes.u32(segment, offset + 14);
    }

    public Arp senderIp(int address) {
        Bytes.u32(segment, offset + 14, address);
        return this;
    }

    public long targetMac() {
        return Bytes.mac(segment, offset + 18);
    }

    public Arp targetMac(long mac) {
        Bytes.mac(segment, offset + 18, mac);
        return this;
    }

    public int targetIp() {
        return Bytes.u32(segment, offset + 24);
    }

    public Arp targetIp(int address) {
        Bytes.u32(segment, offset + 24, address);
        return this;
    }

    /** Writes a whole Ethernet/IPv4 ARP packet, types and lengths included. */
    public Arp write(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        return hardwareType(HARDWARE_ETHERNET)
                .protocolType(PROTOCOL_IPV4)
                .hardwareLength(MAC_LENGTH)
                .protocolLength(IPV4_LENGTH)
                .operation(operation)
                .senderMac(senderMac)
                .senderIp(senderIp)
                .targetMac(targetMac)
                .targetIp(targetIp);
    }
}
