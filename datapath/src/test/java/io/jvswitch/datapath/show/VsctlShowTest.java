package io.jvswitch.datapath.show;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.datapath.Datapath;
import io.jvswitch.datapath.bridge.Bridge;
import io.jvswitch.datapath.port.EthernetPort;
import io.jvswitch.datapath.port.PatchPort;
import io.jvswitch.datapath.port.PortType;
import io.jvswitch.datapath.port.TunnelPort;
import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelType;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VsctlShowTest {
    private static final UUID SYSTEM = UUID.fromString("911ff1ca-590a-4efd-a066-568fbac8c6fb");

    private static TunnelPort gre(String name, String remote) {
        return new TunnelPort(
                name,
                TunnelConfig.fromOptions(
                        TunnelType.GRE,
                        Map.of(
                                "remote_ip", remote,
                                "local_ip", "192.168.1.100",
                                "in_key", "flow",
                                "out_key", "flow")));
    }

    @Test
    void theTutorialsBrTunPortsSortedByName() {
        Datapath datapath = new Datapath(InstantSource.system(), null);
        Bridge brTun = datapath.addBridge("br-tun");
        brTun.addPort(new PatchPort("patch-int", "patch-tun"));
        brTun.addPort(gre("gre-2", "192.168.1.101"));
        brTun.addPort(gre("gre-1", "192.168.1.102"));

        // The tutorial's br-tun section, its ports in name order (ovs-vsctl prints them in hash order).
        assertThat(VsctlShow.render(SYSTEM, datapath)).isEqualTo("""
                        911ff1ca-590a-4efd-a066-568fbac8c6fb
                            Bridge br-tun
                                Port br-tun
                                    Interface br-tun
                                        type: internal
                                Port "gre-1"
                                    Interface "gre-1"
                                        type: gre
                                        options: {in_key=flow, local_ip="192.168.1.100", out_key=flow, remote_ip="192.168.1.102"}
                                Port "gre-2"
                                    Interface "gre-2"
                                        type: gre
                                        options: {in_key=flow, local_ip="192.168.1.100", out_key=flow, remote_ip="192.168.1.101"}
                                Port patch-int
                                    Interface patch-int
                                        type: patch
                                        options: {peer=patch-tun}
                        """);
    }

    @Test
    void accessPortsShowTheirTagAndOrdinaryInterfacesNoType() {
        Datapath datapath = new Datapath(InstantSource.system(), null);
        Bridge brInt = datapath.addBridge("br-int");
        brInt.addPort(new EthernetPort("vm1", PortType.SYSTEM, 1, null));
        brInt.addPort(new EthernetPort("trunk", PortType.SYSTEM, 0, null));
        assertThat(VsctlShow.bridge(brInt, OvsdbText.Quoting.CLASSIC)).isEqualTo("""
                            Bridge br-int
                                Port br-int
                                    Interface br-int
                                        type: internal
                                Port trunk
                                    Interface trunk
                                Port "vm1"
                                    tag: 1
                                    Interface "vm1"
                        """);
        assertThat(VsctlShow.bridge(brInt, OvsdbText.Quoting.CURRENT)).contains("        Port vm1\n");
    }
}
