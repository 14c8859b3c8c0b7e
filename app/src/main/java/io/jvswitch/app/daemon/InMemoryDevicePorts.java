package io.jvswitch.app.daemon;

import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.datapath.port.PortType;
import java.util.Set;
import java.util.TreeSet;

/**
 * Devices that exist only in memory: a tap or system port is an Ethernet port with nothing behind it (frames sent to
 * it are counted as dropped). For tests, and for trying the daemon's configuration without root. It remembers which
 * devices are open, so a test can see that a deleted port's device was closed.
 */
public final class InMemoryDevicePorts implements DevicePorts {
    private final Set<String> open = new TreeSet<>();

    @Override
    public Set<String> types() {
        return Set.of("tap", "system");
    }

    @Override
    public String whyNot(String type) {
        return "unknown device type " + type;
    }

    @Override
    public synchronized Port open(String name, String type, int tag) {
        open.add(name);
        return new EthernetPort(name, type.equals("tap") ? PortType.TAP : PortType.SYSTEM, tag, null);
    }

    @Override
    public synchronized void close(Port port) {
        open.remove(port.name());
    }

    /** The devices open now, by name. */
    public synchronized Set<String> openDevices() {
        return Set.copyOf(open);
    }
}
