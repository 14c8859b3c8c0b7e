package io.jvswitch.agent;

import io.jvswitch.tunnel.TunnelConfig;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A tenant network this host carries: its name, its type and segmentation ID (the GRE key or VXLAN VNI that marks
 * its frames between hosts), and, for VXLAN, optionally the multicast group its VTEPs flood to (RFC 7348 section 4.2).
 *
 * @param group null for none; otherwise an IPv4 multicast group (the datapath learns and sets IPv4 tunnel
 *     addresses only)
 * @throws HostStateException when the ID is out of its type's range or the group is not one
 */
public record Network(String name, NetworkType type, long segmentationId, InetAddress group) {
    public Network {
        if (name == null || name.isBlank()) {
            throw new HostStateException("a network needs a name");
        }
        if (type == null) {
            throw new HostStateException("network " + name + " needs a type (gre or vxlan)");
        }
        if (segmentationId < type.minSegmentationId() || segmentationId > type.maxSegmentationId()) {
            throw new HostStateException("network " + name + ": segmentation ID " + segmentationId + " (0x"
                    + Long.toHexString(segmentationId) + ") is out of range: " + type.segmentationIdWidth() + " ("
                    + type.minSegmentationId() + " to " + type.maxSegmentationId() + ")");
        }
        if (group != null) {
            if (type != NetworkType.VXLAN) {
                throw new HostStateException("network " + name + ": only vxlan networks flood to a multicast group");
            }
            if (!group.isMulticastAddress()) {
                throw new HostStateException(
                        "network " + name + ": " + TunnelConfig.addressText(group) + " is not a multicast group");
            }
            if (!(group instanceof Inet4Address)) {
                throw new HostStateException("network " + name + ": group " + TunnelConfig.addressText(group)
                        + " is IPv6; flood-and-learn needs an IPv4 group (the datapath learns IPv4 tunnel sources)");
            }
        }
    }

    public static Network gre(String name, long key) {
        return new Network(name, NetworkType.GRE, key, null);
    }

    public static Network vxlan(String name, long vni) {
        return new Network(name, NetworkType.VXLAN, vni, null);
    }

    /** A VXLAN network whose VTEPs flood to {@code group} and learn where MACs live (RFC 7348). */
    public static Network vxlan(String name, long vni, InetAddress group) {
        return new Network(name, NetworkType.VXLAN, vni, group);
    }

    public boolean hasGroup() {
        return group != null;
    }
}
