package io.jvswitch.app.daemon;

import io.jvswitch.agent.HostStateException;
import io.jvswitch.agent.VmPorts;
import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.io.DatapathThread;
import io.jvswitch.datapath.io.EpollForwarder;
import io.jvswitch.datapath.io.NativePorts;
import io.jvswitch.datapath.io.SocketUnderlay;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.netio.NativeException;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Set;

/**
 * The real switch: an {@link EpollForwarder} thread owns the datapath, tunnels ride UDP and raw IP sockets ({@link
 * SocketUnderlay}), tap ports are TAP devices the switch creates and system ports attach existing interfaces. Needs
 * CAP_NET_ADMIN and CAP_NET_RAW (root, or a namespace of one's own).
 *
 * @param underlayInterface the interface multicast groups are joined on and sent out of, or null for none
 */
record EpollRuntime(String underlayInterface) implements DatapathRuntime {
    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public DatapathThread start(InstantSource clock) throws IOException {
        SocketUnderlay underlay;
        try {
            underlay = new SocketUnderlay(SocketUnderlay.Settings.ipv4(underlayInterface));
        } catch (IllegalArgumentException e) {
            throw new IOException("--underlay-interface: " + e.getMessage(), e);
        }
        return EpollForwarder.start(new Datapath(clock, underlay), underlay, null, "jvs-datapath");
    }

    @Override
    public DevicePorts devicePorts() {
        return new NativeDevicePorts();
    }

    @Override
    public VmPorts vmPorts() {
        return (vm, tag, mtu) -> {
            try {
                return NativePorts.tap(vm.name(), tag, mtu, vm.mac());
            } catch (NativeException e) {
                throw new HostStateException("VM port " + vm.name() + ": " + e.getMessage());
            }
        };
    }

    /** TAP devices and AF_PACKET sockets, opened on the forwarder's thread so that it watches them at once. */
    private static final class NativeDevicePorts implements DevicePorts {
        @Override
        public Set<String> types() {
            return Set.of("tap", "system");
        }

        @Override
        public String whyNot(String type) {
            return "the epoll datapath opens tap and system interfaces only";
        }

        @Override
        public Port open(String name, String type, int tag) throws IOException {
            return switch (type) {
                case "tap" -> NativePorts.tap(name, tag, 0, 0);
                case "system" -> NativePorts.system(name, tag);
                default -> throw new IOException(name + ": cannot create a " + type + " interface: " + whyNot(type));
            };
        }

        @Override
        public void close(Port port) {
            // Nothing to do: removing the port from its bridge already closed its device (the forwarder does it).
        }
    }
}
