package io.jvswitch.app.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A switch's configuration, what Open vSwitch keeps in OVSDB: its bridges, their ports and interfaces (type, options,
 * VLAN tag), the flows users added, and the tunnel agent's desired state. Immutable; every change makes a new one,
 * which the {@link ConfigStore} writes atomically before it is applied.
 *
 * @param uuid the switch's identity, the first line of {@code vsctl show}
 * @param bridges in the order they were added
 * @param agent the tunnel agent's desired state, or null when no agent runs
 */
public record SwitchDb(String uuid, List<BridgeConfig> bridges, AgentConfig agent) {
    public SwitchDb {
        Objects.requireNonNull(uuid, "uuid");
        bridges = List.copyOf(bridges);
    }

    /** A new, empty switch with a fresh identity. */
    public static SwitchDb empty() {
        return new SwitchDb(UUID.randomUUID().toString(), List.of(), null);
    }

    public BridgeConfig bridge(String name) {
        return bridges.stream()
                .filter(bridge -> bridge.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** The bridge holding port {@code name}, or null. */
    public BridgeConfig bridgeOfPort(String name) {
        for (BridgeConfig bridge : bridges) {
            if (bridge.port(name) != null) {
                return bridge;
            }
        }
        return null;
    }

    public SwitchDb withBridge(BridgeConfig bridge) {
        List<BridgeConfig> list = new ArrayList<>();
        boolean replaced = false;
        for (BridgeConfig existing : bridges) {
            if (existing.name().equals(bridge.name())) {
                list.add(bridge);
                replaced = true;
            } else {
                list.add(existing);
            }
        }
        if (!replaced) {
            list.add(bridge);
        }
        return new SwitchDb(uuid, list, agent);
    }

    public SwitchDb withoutBridge(String name) {
        return new SwitchDb(
                uuid, bridges.stream().filter(b -> !b.name().equals(name)).toList(), agent);
    }

    public SwitchDb withAgent(AgentConfig agentConfig) {
        return new SwitchDb(uuid, bridges, agentConfig);
    }

    /**
     * What the tunnel agent was told: the host's desired state as the host file gave it (its YAML as a JSON tree,
     * re-read on every start), and the cookie of the agent's flows, kept so that a restarted agent recognises the
     * flows it installed.
     */
    public record AgentConfig(long cookie, Map<String, Object> host) {
        public AgentConfig {
            Objects.requireNonNull(host, "host");
            host = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(host));
        }
    }

    /**
     * A bridge: its ports and the flows users added to it (as add-flow lines, re-added on start before traffic flows,
     * as Open vSwitch's flow-restore-wait does). Learned flows are never kept: the switch learns them again.
     *
     * <p>The flows follow the switch: one removed because its idle or hard timeout passed leaves {@code flows} too. A
     * flow with a hard timeout has its deadline in {@code hardDeadlines}, keyed by its line in {@code flows}: the
     * wall-clock instant at which the switch removes it (its last add or modify plus the timeout). A restarted daemon
     * gives it only the time it had left, and leaves it out (and out of the database) once the deadline has passed;
     * an idle timeout starts afresh at a restore. A database written before deadlines were kept has none: its hard
     * timeouts start afresh at the next start, which writes their deadlines.
     *
     * @param hardDeadlines by flow line; a line that is not in {@code flows} is dropped. Not written when empty, so a
     *     database without hard timeouts reads as it always has
     */
    public record BridgeConfig(
            String name,
            String failMode,
            List<PortConfig> ports,
            List<String> flows,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Instant> hardDeadlines) {
        /** The flow table of a new bridge, as Open vSwitch gives one: everything to NORMAL. */
        public static final List<String> DEFAULT_FLOWS = List.of("priority=0 actions=NORMAL");

        public BridgeConfig {
            Objects.requireNonNull(name, "name");
            ports = List.copyOf(ports);
            flows = List.copyOf(flows);
            Map<String, Instant> deadlines = new LinkedHashMap<>();
            if (hardDeadlines != null) {
                for (String flow : flows) {
                    Instant deadline = hardDeadlines.get(flow);
                    if (deadline != null) {
                        deadlines.put(flow, deadline);
                    }
                }
            }
            hardDeadlines = java.util.Collections.unmodifiableMap(deadlines);
        }

        public static BridgeConfig named(String name) {
            return new BridgeConfig(name, null, List.of(), DEFAULT_FLOWS, Map.of());
        }

        public PortConfig port(String portName) {
            return ports.stream()
                    .filter(port -> port.name().equals(portName))
                    .findFirst()
                    .orElse(null);
        }

        public BridgeConfig withPort(PortConfig port) {
            List<PortConfig> list = new ArrayList<>();
            boolean replaced = false;
            for (PortConfig existing : ports) {
                if (existing.name().equals(port.name())) {
                    list.add(port);
                    replaced = true;
                } else {
                    list.add(existing);
                }
            }
            if (!replaced) {
                list.add(port);
            }
            return new BridgeConfig(name, failMode, list, flows, hardDeadlines);
        }

        public BridgeConfig withoutPort(String portName) {
            return new BridgeConfig(
                    name,
                    failMode,
                    ports.stream().filter(p -> !p.name().equals(portName)).toList(),
                    flows,
                    hardDeadlines);
        }

        public BridgeConfig withFailMode(String mode) {
            return new BridgeConfig(name, mode, ports, flows, hardDeadlines);
        }

        /** These flows; those still here keep their deadlines. */
        public BridgeConfig withFlows(List<String> newFlows) {
            return new BridgeConfig(name, failMode, ports, newFlows, hardDeadlines);
        }

        public BridgeConfig withFlows(List<String> newFlows, Map<String, Instant> newHardDeadlines) {
            return new BridgeConfig(name, failMode, ports, newFlows, newHardDeadlines);
        }

        /** When the switch removes flow {@code line} by its hard timeout, or null when none is known. */
        public Instant hardDeadline(String line) {
            return hardDeadlines.get(line);
        }
    }

    /**
     * A port with its one interface, as ovs-vsctl shows them: type ({@code ""} for a system interface, {@code
     * internal}, {@code tap}, {@code patch}, {@code gre}, {@code vxlan}, {@code gre-udp}), options, and the access VLAN
     * ({@code tag}, 0 for a trunk).
     */
    public record PortConfig(String name, String type, Map<String, String> options, int tag) {
        public PortConfig {
            Objects.requireNonNull(name, "name");
            type = type == null ? "" : type;
            options = Map.copyOf(new LinkedHashMap<>(options == null ? Map.of() : options));
        }

        public static PortConfig named(String name) {
            return new PortConfig(name, "", Map.of(), 0);
        }

        public PortConfig withType(String newType) {
            return new PortConfig(name, newType, options, tag);
        }

        public PortConfig withOptions(Map<String, String> newOptions) {
            return new PortConfig(name, type, newOptions, tag);
        }

        public PortConfig withTag(int newTag) {
            return new PortConfig(name, type, options, newTag);
        }
    }
}
