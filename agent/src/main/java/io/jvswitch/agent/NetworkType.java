package io.jvswitch.agent;

import io.jvswitch.tunnel.TunnelType;
import java.util.Locale;

/**
 * The tenant network types the agent carries between hosts, as Neutron names them ({@code gre}, {@code vxlan}): the
 * tunnel that carries each, how big its segmentation ID is, and what its encapsulation costs.
 */
public enum NetworkType {
    /** GRE with a 32-bit key (RFC 2890) as the segmentation ID. */
    GRE(TunnelType.GRE, 0xffff_ffffL, "a GRE key is 32 bits", 2, 3, 22),
    /** VXLAN with a 24-bit VNI (RFC 7348). */
    VXLAN(TunnelType.VXLAN, 0xff_ffffL, "a VXLAN VNI is 24 bits", 3, 4, 30);

    private final TunnelType tunnelType;
    private final long maxSegmentationId;
    private final String segmentationIdWidth;
    private final int tutorialTable;
    private final int neutronTable;
    private final int overheadBeyondIp;

    NetworkType(
            TunnelType tunnelType,
            long maxSegmentationId,
            String segmentationIdWidth,
            int tutorialTable,
            int neutronTable,
            int overheadBeyondIp) {
        this.tunnelType = tunnelType;
        this.maxSegmentationId = maxSegmentationId;
        this.segmentationIdWidth = segmentationIdWidth;
        this.tutorialTable = tutorialTable;
        this.neutronTable = neutronTable;
        this.overheadBeyondIp = overheadBeyondIp;
    }

    public TunnelType tunnelType() {
        return tunnelType;
    }

    /** The name Neutron and ovs-vsctl use: {@code gre}, {@code vxlan}. */
    public String ovsName() {
        return tunnelType.ovsName();
    }

    /** The smallest segmentation ID Neutron hands out (its GRE and VXLAN ranges start at 1). */
    public long minSegmentationId() {
        return 1;
    }

    public long maxSegmentationId() {
        return maxSegmentationId;
    }

    /** How wide the ID is, for messages: {@code a VXLAN VNI is 24 bits}. */
    String segmentationIdWidth() {
        return segmentationIdWidth;
    }

    /**
     * The br-tun table that maps this type's {@code tun_id} to a local VLAN in the tutorial's layout: 2 for GRE, 3 for
     * VXLAN, as Neutron's agent of that era had them.
     */
    public int tutorialTable() {
        return tutorialTable;
    }

    /** The same table in Neutron's current layout: {@code GRE_TUN_TO_LV} 3, {@code VXLAN_TUN_TO_LV} 4. */
    public int neutronTable() {
        return neutronTable;
    }

    /**
     * What the tunnel takes from the underlay's MTU, counted as Neutron counts it (its {@code GRE_ENCAP_OVERHEAD} 22
     * and {@code VXLAN_ENCAP_OVERHEAD} 30 plus the outer IP header, 20 or 40): the outer IP header, the GRE header
     * with its key (8) or UDP and VXLAN (16), and the inner Ethernet header (14). GRE: 42 over IPv4, 62 over IPv6;
     * VXLAN: 50 and 70. The underlay's MTU minus this is the largest IP packet a VM can send.
     */
    public int overhead(boolean ipv6) {
        return overheadBeyondIp + (ipv6 ? 40 : 20);
    }

    /**
     * Parses {@code gre} or {@code vxlan}, in any case.
     *
     * @throws HostStateException naming the types known
     */
    public static NetworkType parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "gre" -> GRE;
            case "vxlan" -> VXLAN;
            default -> throw new HostStateException("unknown network type '" + text + "' (known: gre, vxlan)");
        };
    }

    @Override
    public String toString() {
        return ovsName();
    }
}
