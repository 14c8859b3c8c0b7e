package io.jvswitch.datapath.show;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.Port;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A switch as {@code ovs-vsctl show} prints it: the Open_vSwitch row's UUID, then each bridge, its ports and their
 * interfaces (jvswitch has one interface per port, named like it), four spaces deeper at each level:
 *
 * <pre>
 * 911ff1ca-590a-4efd-a066-568fbac8c6fb
 *     Bridge br-tun
 *         Port "gre-1"
 *             Interface "gre-1"
 *                 type: gre
 *                 options: {in_key=flow, local_ip="192.168.1.100", out_key=flow, remote_ip="192.168.1.102"}
 *         Port patch-int
 *             Interface patch-int
 *                 type: patch
 *                 options: {peer=patch-tun}
 * </pre>
 *
 * A port shows {@code tag: N} when it is an access port; an interface shows {@code type:} unless it is an ordinary
 * (system) one, and {@code options:} when it has some. Names and values are quoted as OVSDB quotes them ({@link
 * OvsdbText.Quoting}).
 *
 * <p>Order: Open vSwitch walks its tables in hash order, which changes from run to run; here bridges and ports come
 * sorted by name, so the text is the same every time.
 */
public final class VsctlShow {
    private VsctlShow() {}

    /** The whole switch, with the tutorial-era quoting ({@link OvsdbText.Quoting#CLASSIC}). */
    public static String render(UUID systemId, Datapath datapath) {
        return render(systemId, datapath.bridges(), OvsdbText.Quoting.CLASSIC);
    }

    /** The UUID line, then each bridge in name order. */
    public static String render(UUID systemId, Collection<Bridge> bridges, OvsdbText.Quoting quoting) {
        StringBuilder out = new StringBuilder().append(systemId).append('\n');
        bridges.stream()
                .sorted(Comparator.comparing(Bridge::name))
                .forEach(bridge -> out.append(bridge(bridge, quoting)));
        return out.toString();
    }

    /** One bridge's section, starting with its {@code     Bridge NAME} line, ports in name order. */
    public static String bridge(Bridge bridge, OvsdbText.Quoting quoting) {
        StringBuilder out = new StringBuilder();
        line(out, 1, "Bridge " + quoting.string(bridge.name()));
        List<Port> ports =
                bridge.ports().stream().sorted(Comparator.comparing(Port::name)).toList();
        for (Port port : ports) {
            String name = quoting.string(port.name());
            line(out, 2, "Port " + name);
            if (port instanceof EthernetPort ethernet && ethernet.tag() != 0) {
                line(out, 3, "tag: " + ethernet.tag());
            }
            line(out, 3, "Interface " + name);
            String type = port.type().ovsName();
            if (!type.isEmpty()) {
                line(out, 4, "type: " + quoting.string(type));
            }
            if (!port.options().isEmpty()) {
                line(out, 4, "options: " + quoting.map(port.options()));
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, int depth, String text) {
        out.append(" ".repeat(4 * depth)).append(text).append('\n');
    }
}
