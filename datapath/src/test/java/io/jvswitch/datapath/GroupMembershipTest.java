package io.jvswitch.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelType;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A VTEP's group tunnel ports make the underlay join the group once, and leave it with the last of them. */
class GroupMembershipTest {
    private final List<String> events = new ArrayList<>();

    private final Underlay underlay = new Underlay() {
        @Override
        public void send(MemorySegment segment, long offset, int length) {}

        @Override
        public long localMac() {
            return 2;
        }

        @Override
        public long nextHopMac(InetAddress destination) {
            return 3;
        }

        @Override
        public InetAddress localAddress(InetAddress remote) {
            return remote;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public void join(InetAddress group) {
            events.add("join " + group.getHostAddress());
        }

        @Override
        public void leave(InetAddress group) {
            events.add("leave " + group.getHostAddress());
        }
    };

    private static TunnelPort vxlan(String name, String remote) {
        return new TunnelPort(
                name,
                TunnelConfig.fromOptions(
                        TunnelType.VXLAN, Map.of("remote_ip", remote, "local_ip", "10.1.1.1", "key", "flow")));
    }

    @Test
    void joinsOnTheFirstGroupPortAndLeavesWithTheLast() {
        Datapath datapath = new Datapath(InstantSource.system(), underlay);
        Bridge brTun = datapath.addBridge("br-tun");
        brTun.addPort(vxlan("vxlan-1", "239.1.1.1"));
        brTun.addPort(vxlan("vxlan-2", "239.1.1.1"));
        brTun.addPort(vxlan("vxlan-3", "10.1.1.2"));
        assertThat(events).containsExactly("join 239.1.1.1");
        brTun.removePort("vxlan-1");
        brTun.removePort("vxlan-3");
        assertThat(events).containsExactly("join 239.1.1.1");
        brTun.removePort("vxlan-2");
        assertThat(events).containsExactly("join 239.1.1.1", "leave 239.1.1.1");
        brTun.addPort(vxlan("vxlan-4", "239.1.1.2"));
        datapath.removeBridge("br-tun");
        assertThat(events).containsExactly("join 239.1.1.1", "leave 239.1.1.1", "join 239.1.1.2", "leave 239.1.1.2");
    }
}
