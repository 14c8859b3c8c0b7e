package io.jvswitch.app.daemon;

import java.util.List;

/**
 * The runtimes {@code jvs daemon --datapath NAME} can run the switch on; the one place that decides which {@link
 * io.jvswitch.datapath.io.DatapathThread} the daemon creates and how its tap and system ports are opened.
 */
public final class DatapathRuntimes {
    /** The runtime a daemon uses when none is named. */
    public static final String DEFAULT = "epoll";

    private DatapathRuntimes() {}

    /** The names {@link #named} knows, for help and error messages. */
    public static List<String> names() {
        return List.of("epoll", "inline", "memory");
    }

    /**
     * A new runtime of that name.
     *
     * @throws IllegalArgumentException naming the runtimes there are
     */
    public static DatapathRuntime named(String name) {
        return named(name, null);
    }

    /**
     * A new runtime of that name; {@code underlayInterface} (may be null) is where the epoll runtime joins multicast
     * groups.
     *
     * @throws IllegalArgumentException naming the runtimes there are, or when an underlay interface is given to a
     *     runtime without an underlay
     */
    public static DatapathRuntime named(String name, String underlayInterface) {
        if (underlayInterface != null && !name.equals("epoll")) {
            throw new IllegalArgumentException(
                    "the " + name + " datapath has no underlay; --underlay-interface needs --datapath epoll");
        }
        return switch (name) {
            case "epoll" -> new EpollRuntime(underlayInterface);
            case "inline" ->
                new InlineRuntime(
                        name,
                        DevicePorts.none("the inline datapath opens no devices (it has no packet I/O); use internal,"
                                + " patch and tunnel interfaces"));
            case "memory" -> new InlineRuntime(name, new InMemoryDevicePorts());
            default ->
                throw new IllegalArgumentException(
                        "no datapath runtime named " + name + " (runtimes: " + String.join(", ", names()) + ")");
        };
    }
}
