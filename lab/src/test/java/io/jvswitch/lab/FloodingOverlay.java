package io.jvswitch.lab;

import io.jvswitch.lab.guest.Guest;
import io.jvswitch.lab.topology.Topology;
import io.jvswitch.lab.underlay.UnderlayHost;
import io.jvswitch.wire.Bytes;
import io.jvswitch.wire.build.FrameBuilder;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake switch for lab tests, not a model of the real one: a hub per network on each host that floods every guest
 * frame to the other local guests of the network and, in a VXLAN-shaped UDP datagram, to every peer host. It uses
 * the lab only through what the real switch will use: the {@link io.jvswitch.datapath.Underlay} contract, the
 * underlay host's receiver, the guests as frame sinks.
 */
final class FloodingOverlay implements HostSwitch {
    static final int PORT = 4789;

    @Override
    public void attach(Lab lab, LabHost host) {
        UnderlayHost underlay = host.underlay();
        Map<Long, List<Guest>> byVni = new HashMap<>();
        for (Guest guest : host.vms()) {
            long vni = host.networkOf(guest).segmentationId();
            byVni.computeIfAbsent(vni, k -> new ArrayList<>()).add(guest);
            guest.connect((segment, offset, length) -> {
                byte[] inner = segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
                for (Guest other : byVni.get(vni)) {
                    if (other != guest) {
                        other.deliver(MemorySegment.ofArray(inner), 0, inner.length);
                    }
                }
                for (String peer : host.spec().peers()) {
                    Topology.Host remote = lab.host(peer).spec();
                    send(underlay, host.spec().localAddress(), remote.localAddress(), vni, inner);
                }
            });
        }
        underlay.receiver((segment, offset, length) -> {
            // Outer Ethernet (14) + IPv4 (20) + UDP (8), then an 8-byte VXLAN header.
            if (length < 50 || Bytes.u16(segment, offset + 36) != PORT) {
                return;
            }
            long vni = Integer.toUnsignedLong(Bytes.u32(segment, offset + 46)) >>> 8;
            byte[] inner = segment.asSlice(offset + 50, length - 50).toArray(ValueLayout.JAVA_BYTE);
            for (Guest guest : byVni.getOrDefault(vni, List.of())) {
                guest.deliver(MemorySegment.ofArray(inner), 0, inner.length);
            }
        });
    }

    private static void send(UnderlayHost underlay, InetAddress local, InetAddress remote, long vni, byte[] inner) {
        byte[] vxlan = new byte[8 + inner.length];
        MemorySegment header = MemorySegment.ofArray(vxlan);
        Bytes.u32(header, 0, 0x0800_0000);
        Bytes.u32(header, 4, (int) (vni << 8));
        System.arraycopy(inner, 0, vxlan, 8, inner.length);
        byte[] frame = new FrameBuilder()
                .ethernet(underlay.localMac(), underlay.nextHopMac(remote))
                .ipv4(IpPrefix.ipv4(local), IpPrefix.ipv4(remote))
                .udp(49152, PORT)
                .payload(vxlan)
                .build();
        underlay.send(MemorySegment.ofArray(frame), 0, frame.length);
    }
}
