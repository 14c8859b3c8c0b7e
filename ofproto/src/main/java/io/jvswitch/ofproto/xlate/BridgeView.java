package io.jvswitch.ofproto.xlate;

import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.table.FlowTables;

/**
 * What translation needs to know of the bridge a packet is in: its flow tables, its ports (for FLOOD and ALL, and to
 * tell tunnels and patch ports apart), and its learning switch for NORMAL. The datapath implements it for real
 * bridges; traces of a flow file use a bridge that knows only its tables.
 */
public interface BridgeView {
    String name();

    FlowTables tables();

    /** The OpenFlow numbers of the bridge's ports, ascending, for FLOOD and ALL. */
    int[] portNumbers();

    /** The port's name, for traces ({@code gre-1}); its number when it has none. */
    default String portName(int port) {
        return Integer.toString(port);
    }

    /**
     * The datapath's number for OpenFlow port {@code port}: unique across every bridge of the switch, as Open
     * vSwitch's datapath port numbers are, so that an output after a patch crossing names the right bridge's port.
     * A bridge on its own may keep its OpenFlow numbers.
     */
    default int datapathPort(int port) {
        return port;
    }

    /** True when output to this port encapsulates: its packets take the flow's tunnel key. */
    default boolean isTunnel(int port) {
        return false;
    }

    /** True when FLOOD skips this port (Open vSwitch's no-flood). */
    default boolean noFlood(int port) {
        return false;
    }

    /** When {@code port} is a patch port: the bridge and port on its other end, where translation continues. */
    default PatchPeer patchPeer(int port) {
        return null;
    }

    /** The NORMAL action: a MAC-learning switch; null when the bridge has none (NORMAL then drops). */
    default NormalSwitch normal() {
        return null;
    }

    /** The other end of a patch port. */
    record PatchPeer(BridgeView bridge, int port) {}

    /** The learning switch behind NORMAL. */
    interface NormalSwitch {
        /**
         * Decides where a frame goes: learns its source (on {@code inPort}, in its VLAN) and returns the ports it
         * leaves by (one learned port, or every other port in its VLAN). It marks in {@code wildcards} the fields it
         * read, adds its MAC learning to {@code sideEffects} for cached replays and what its answer rests on (its MAC
         * table) to {@code dependencies}, and writes one line to {@code notes} for traces ("no learned MAC for
         * destination, flooding"). With {@code learn} false (a trace that must change nothing) it learns nothing and
         * adds no side effect.
         */
        int[] forward(
                FlowKey flow,
                int inPort,
                long[] wildcards,
                java.util.List<SideEffect> sideEffects,
                java.util.Set<Dependency> dependencies,
                StringBuilder notes,
                boolean learn);

        /**
         * The VLAN TCI a frame must carry when NORMAL sends it out of {@code port} (0 for untagged: an access port),
         * or -1 to leave the frame's tag as it is. {@code flow} and {@code inPort} are the frame as it arrived.
         */
        default int outputTci(FlowKey flow, int inPort, int port) {
            return -1;
        }
    }
}
