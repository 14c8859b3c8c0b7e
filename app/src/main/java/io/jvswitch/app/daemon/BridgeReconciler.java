package io.jvswitch.app.daemon;

import io.jvswitch.app.config.SwitchDb;
import io.jvswitch.app.config.SwitchDb.BridgeConfig;
import io.jvswitch.app.config.SwitchDb.PortConfig;
import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.PatchPort;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.datapath.port.PortType;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Makes the datapath's bridges match the bridges of a {@link SwitchDb} — those made with vsctl; the tunnel agent's are
 * its own. It remembers what it put in the datapath, port by port, so that it always changes the datapath from what
 * is really there: a port whose type, options or tag changed is removed and made again, a bridge it made and the
 * database lost is removed, a new bridge gets the database's flows (each hard timeout with the time it had left), and
 * its flow tables tell the daemon of every flow they expire. When a step fails (a device that cannot be
 * opened), it puts back what was there before and rethrows: the datapath is never left half-changed.
 *
 * <p>Runs on the datapath thread only.
 */
final class BridgeReconciler {
    private final Datapath datapath;
    private final DevicePorts devices;
    private final BiConsumer<String, List<Rule>> expired;
    /** What is in the datapath now: bridge name to its ports (the bridge's own port left out), as configured. */
    private final Map<String, Map<String, PortConfig>> present = new LinkedHashMap<>();

    private SwitchDb applied;

    /**
     * @param expired hears, on the datapath thread, the bridge's name and the flows its tables expired (learned ones
     *     too): it must not block
     */
    BridgeReconciler(Datapath datapath, DevicePorts devices, BiConsumer<String, List<Rule>> expired) {
        this.datapath = datapath;
        this.devices = devices;
        this.expired = expired;
    }

    /**
     * Brings the datapath to {@code target}.
     *
     * @throws IOException when a device cannot be opened; the datapath is as it was
     * @throws IllegalArgumentException when the datapath refuses a change (a name taken by a port the agent made);
     *     the datapath is as it was
     */
    void apply(SwitchDb target) throws IOException {
        try {
            reconcile(target);
            applied = target;
        } catch (IOException | RuntimeException failure) {
            if (applied != null) {
                try {
                    reconcile(applied);
                } catch (IOException | RuntimeException again) {
                    failure.addSuppressed(again);
                }
            }
            throw failure;
        }
    }

    private void reconcile(SwitchDb target) throws IOException {
        // Removals first, everywhere: a port moving from one bridge to another must leave before it can arrive.
        for (String bridgeName : List.copyOf(present.keySet())) {
            BridgeConfig wanted = target.bridge(bridgeName);
            Map<String, PortConfig> ports = present.get(bridgeName);
            for (PortConfig port : List.copyOf(ports.values())) {
                if (wanted == null || !port.equals(wanted.port(port.name()))) {
                    removePort(datapath.bridge(bridgeName), port);
                    ports.remove(port.name());
                }
            }
            if (wanted == null) {
                datapath.removeBridge(bridgeName);
                present.remove(bridgeName);
            }
        }
        for (BridgeConfig wanted : target.bridges()) {
            Bridge bridge = datapath.bridge(wanted.name());
            if (!present.containsKey(wanted.name())) {
                bridge = datapath.addBridge(wanted.name());
                present.put(wanted.name(), new LinkedHashMap<>());
                StoredFlows.restoreInto(bridge.tables(), wanted);
                String name = wanted.name();
                bridge.tables().addExpiryListener(rules -> expired.accept(name, rules));
            }
            Map<String, PortConfig> ports = present.get(wanted.name());
            for (PortConfig port : wanted.ports()) {
                if (port.name().equals(wanted.name()) || ports.containsKey(port.name())) {
                    continue;
                }
                bridge.addPort(create(port));
                ports.put(port.name(), port);
            }
        }
    }

    private void removePort(Bridge bridge, PortConfig config) {
        Port port = bridge.removePort(config.name());
        if (isDevice(config.type())) {
            devices.close(port);
        }
    }

    private Port create(PortConfig config) throws IOException {
        String type = config.type();
        return switch (type) {
            case "internal" -> new EthernetPort(config.name(), PortType.INTERNAL, config.tag(), null);
            case "patch" -> new PatchPort(config.name(), config.options().get("peer"));
            case "gre", "vxlan", "gre-udp" ->
                new TunnelPort(config.name(), TunnelConfig.fromOptions(TunnelType.parse(type), config.options()));
            default -> devices.open(config.name(), deviceType(type), config.tag());
        };
    }

    /** True for the types {@link DevicePorts} opens: tap, and system (stored as ""). */
    static boolean isDevice(String type) {
        return type.isEmpty() || type.equals("system") || type.equals("tap");
    }

    /** The device type {@link DevicePorts} knows for a stored interface type. */
    static String deviceType(String type) {
        return type.equals("tap") ? "tap" : "system";
    }
}
