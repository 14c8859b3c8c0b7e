package io.jvswitch.app.daemon;

import io.jvswitch.datapath.port.Port;
import java.io.IOException;
import java.util.Set;

/**
 * How the daemon gets ports that stand for a device outside the switch: {@code type=tap} (a TAP device the switch
 * creates) and {@code type=system} (an existing interface it attaches to, the type ovs-vsctl shows as none). Which
 * devices exist is the runtime's business: the inline runtime opens none, an in-memory one pretends, the real one
 * opens TAP devices and packet sockets. Both methods run on the datapath thread, so an implementation may register
 * the device with that thread's event loop directly.
 */
public interface DevicePorts {
    /** The interface types this runtime can open: some of {@code "tap"} and {@code "system"}. */
    Set<String> types();

    /** Why a type outside {@link #types()} cannot be opened, completing "cannot create a tap interface: ...". */
    String whyNot(String type);

    /**
     * Opens the device and returns the port a bridge adds.
     *
     * @param type {@code "tap"} or {@code "system"}
     * @param tag the access VLAN, 0 for a trunk
     * @throws IOException naming the device and what failed (no such interface, permission denied, ...)
     */
    Port open(String name, String type, int tag) throws IOException;

    /** Releases the device behind a port its bridge no longer has. */
    void close(Port port);

    /** A runtime with no devices: every tap or system port is refused with {@code reason}. */
    static DevicePorts none(String reason) {
        return new DevicePorts() {
            @Override
            public Set<String> types() {
                return Set.of();
            }

            @Override
            public String whyNot(String type) {
                return reason;
            }

            @Override
            public Port open(String name, String type, int tag) throws IOException {
                throw new IOException(name + ": cannot create a " + type + " interface: " + reason);
            }

            @Override
            public void close(Port port) {}
        };
    }
}
