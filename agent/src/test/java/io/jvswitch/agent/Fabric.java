package io.jvswitch.agent;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.Underlay;
import io.jvswitch.datapath.port.EthernetPort;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Hosts joined by a tiny in-memory underlay: a frame a host sends goes, at once, to the host whose address is its
 * outer IPv4 or IPv6 destination, or to every other host that joined its multicast group. Each host has a datapath
 * and an agent; VMs' ports record what they receive.
 */
final class Fabric {
    static final long COOKIE = 0xabcdef0123456789L;

    final Clock clock = new Clock();
    final Map<InetAddress, Host> hosts = new LinkedHashMap<>();

    Host host(String address) {
        Host host = new Host(ip(address), 1500);
        hosts.put(host.address, host);
        return host;
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    final class Host implements Underlay {
        final InetAddress address;
        final int mtu;
        final Datapath datapath;
        final TunnelAgent agent;
        final Set<InetAddress> groups = new HashSet<>();
        final List<byte[]> sent = new ArrayList<>();
        final Map<String, List<byte[]>> received = new LinkedHashMap<>();

        Host(InetAddress address, int mtu) {
            this.address = address;
            this.mtu = mtu;
            this.datapath = new Datapath(clock, this);
            this.agent = new TunnelAgent(datapath, UUID.nameUUIDFromBytes(address.getAddress()), COOKIE);
        }

        /** Applies the state, then attaches a recorder to every VM port. */
        Changes apply(HostState state) {
            Changes changes = agent.apply(state);
            for (Map.Entry<String, EthernetPort> vm : agent.vmPorts().entrySet()) {
                List<byte[]> frames = received.computeIfAbsent(vm.getKey(), name -> new ArrayList<>());
                vm.getValue()
                        .attach((segment, offset, length) ->
                                frames.add(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)));
            }
            return changes;
        }

        void vmSends(String vm, byte[] frame) {
            datapath.receive(agent.vmPort(vm), MemorySegment.ofArray(frame), 0, frame.length);
        }

        List<byte[]> received(String vm) {
            return received.getOrDefault(vm, List.of());
        }

        @Override
        public void send(MemorySegment segment, long offset, int length) {
            byte[] frame = segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
            sent.add(frame);
            InetAddress destination = outerDestination(frame);
            for (Host host : List.copyOf(hosts.values())) {
                boolean there = destination.isMulticastAddress()
                        ? host != this && host.groups.contains(destination)
                        : host.address.equals(destination);
                if (there) {
                    host.datapath.receiveFromUnderlay(MemorySegment.ofArray(frame), 0, frame.length);
                }
            }
        }

        @Override
        public long localMac() {
            return mac(address);
        }

        @Override
        public long nextHopMac(InetAddress destination) {
            return mac(destination);
        }

        @Override
        public InetAddress localAddress(InetAddress remote) {
            return address;
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public void join(InetAddress group) {
            groups.add(group);
        }

        @Override
        public void leave(InetAddress group) {
            groups.remove(group);
        }
    }

    private static long mac(InetAddress address) {
        byte[] bytes = address.getAddress();
        return 0x020000000000L | ((bytes[bytes.length - 2] & 0xffL) << 8) | (bytes[bytes.length - 1] & 0xffL);
    }

    /** The outer destination of an encapsulated frame: IPv4 at bytes 30–33, IPv6 at 38–53. */
    static InetAddress outerDestination(byte[] frame) {
        int type = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
        try {
            return type == 0x0800
                    ? InetAddress.getByAddress(Arrays.copyOfRange(frame, 30, 34))
                    : InetAddress.getByAddress(Arrays.copyOfRange(frame, 38, 54));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Clock implements InstantSource {
        long millis = 1_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }
}
