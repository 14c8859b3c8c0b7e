package io.jvswitch.datapath.bridge;

import io.jvswitch.datapath.normal.MacLearningSwitch;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.Port;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.FlowKey;
import io.jvswitch.ofproto.xlate.BridgeView;
import io.jvswitch.ofproto.xlate.Dependency;
import io.jvswitch.ofproto.xlate.SideEffect;
import io.jvswitch.wire.MacAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;

/**
 * NORMAL for one bridge: a learning switch with VLANs as Open vSwitch runs it. An access port ({@code tag=N}) puts
 * untagged frames into VLAN N and refuses tagged ones; a trunk (no tag; patch and tunnel ports are trunks) carries
 * every VLAN, a frame's VLAN being its tag (0 when untagged). Sources are learned per VLAN; a known destination goes
 * to its port, anything else floods to every other port carrying the VLAN; frames leave access ports untagged and
 * trunks tagged. Flooding skips {@code packet_type=legacy_l3} tunnel ports, as in Open vSwitch.
 */
final class BridgeNormal implements BridgeView.NormalSwitch, SideEffect.MacLearner {
    private static final int[] NOWHERE = new int[0];

    private final Bridge bridge;
    private final MacLearningSwitch macs;
    private final InstantSource clock;

    BridgeNormal(Bridge bridge, MacLearningSwitch macs, InstantSource clock) {
        this.bridge = bridge;
        this.macs = macs;
        this.clock = clock;
    }

    /** The VLAN a frame belongs to as it arrives on {@code inPort}, or -1 when the port refuses it. */
    private int vlanOf(FlowKey flow, int inPort) {
        int tci = (int) flow.get(Field.VLAN_TCI);
        int vid = (tci & FlowKey.VLAN_CFI) != 0 ? tci & 0x0fff : 0;
        int tag = tagOf(bridge.port(inPort));
        if (tag > 0) {
            return vid == 0 ? tag : -1;
        }
        return vid;
    }

    private static int tagOf(Port port) {
        return port instanceof EthernetPort ethernet ? ethernet.tag() : 0;
    }

    /**
     * False for a {@code packet_type=legacy_l3} tunnel port: Open vSwitch marks its bundle not floodable
     * ({@code bundle_update()}), so NORMAL never floods Ethernet broadcasts into a tunnel that carries bare IP.
     */
    private static boolean floodable(Port port) {
        return !(port instanceof TunnelPort tunnel && tunnel.carriesIp());
    }

    private static boolean carries(Port port, int vlan) {
        int tag = tagOf(port);
        return tag == 0 || tag == vlan;
    }

    @Override
    public int[] forward(
            FlowKey flow,
            int inPort,
            long[] wildcards,
            List<SideEffect> sideEffects,
            Set<Dependency> dependencies,
            StringBuilder notes,
            boolean learn) {
        wildcards[Field.DL_SRC.word()] |= Field.DL_SRC.wordMask();
        wildcards[Field.DL_DST.word()] |= Field.DL_DST.wordMask();
        dependencies.add(macs.dependency());
        int vlan = vlanOf(flow, inPort);
        if (vlan < 0) {
            notes.append("dropping VLAN ")
                    .append(flow.get(Field.VLAN_TCI) & 0x0fff)
                    .append(" packet received on access port ")
                    .append(bridge.portName(inPort));
            return NOWHERE;
        }
        long now = clock.millis();
        long source = flow.get(Field.DL_SRC);
        if (learn && !MacAddress.isMulticast(source)) {
            macs.learn(vlan, source, inPort, now);
            sideEffects.add(new SideEffect.LearnMac(this, vlan, source, inPort));
        }
        long destination = flow.get(Field.DL_DST);
        if (!MacAddress.isMulticast(destination)) {
            int learned = macs.lookup(vlan, destination, now);
            if (learned >= 0) {
                if (learned == inPort) {
                    notes.append("learned port is input port, dropping");
                    return NOWHERE;
                }
                notes.append("forwarding to learned port");
                return new int[] {learned};
            }
            notes.append("no learned MAC for destination, flooding");
        } else {
            notes.append("broadcast or multicast destination, flooding");
        }
        int[] all = bridge.portNumbers();
        int[] flood = new int[all.length];
        int count = 0;
        for (int port : all) {
            if (port != inPort && carries(bridge.port(port), vlan) && floodable(bridge.port(port))) {
                flood[count++] = port;
            }
        }
        return java.util.Arrays.copyOf(flood, count);
    }

    @Override
    public int outputTci(FlowKey flow, int inPort, int port) {
        int vlan = vlanOf(flow, inPort);
        if (vlan <= 0 || tagOf(bridge.port(port)) > 0) {
            return 0;
        }
        int pcp = (int) flow.get(Field.VLAN_TCI) & 0xe000;
        return FlowKey.VLAN_CFI | pcp | vlan;
    }

    @Override
    public void learn(int vlan, long mac, int port, long nowMillis) {
        macs.learn(vlan, mac, port, nowMillis);
    }
}
