package io.jvswitch.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Host files as {@code jvs agent --config} reads them: what a mistake in one is called. */
class HostFileTest {
    private static void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> HostFile.read(yaml, "host.yaml"))
                .isInstanceOf(DaemonException.class)
                .hasMessage(message);
    }

    @Test
    void aGoodFileIsRead() throws DaemonException {
        assertThat(HostFile.read("""
                                local_ip: 198.18.0.1
                                layout: neutron
                                arp_responder: true
                                networks:
                                  - {name: net1, type: vxlan, segmentation_id: 5000}
                                vms:
                                  - {name: vm1, network: net1, mac: "fa:16:3e:00:00:01", ip: 10.0.0.1}
                                """, "host.yaml").path("local_ip").asText()).isEqualTo("198.18.0.1");
    }

    @Test
    void mistakesAreNamedInTheFilesWordsNotJavas() {
        assertRefused(
                "local_ip: 198.18.0.1\nbogus: 1\n",
                "host.yaml: line 3, column 1: bogus: unknown key 'bogus' (expected one of: arp_responder, layout,"
                        + " local_ip, naming, networks, peers, tunnel_types, underlay_mtu, vms)");
        assertRefused(
                "local_ip: 198.18.0.1\nnetworks:\n  - {name: n, typ: gre}\n",
                "host.yaml: line 3, column 24: networks[0].typ: unknown key 'typ' (expected one of: group, name,"
                        + " segmentation_id, type)");
        assertRefused("local_ip: 198.18.0.1\nnetworks: 5\n", "host.yaml: line 2, column 11: networks: expected a list");
        assertRefused(
                "local_ip: 198.18.0.1\nunderlay_mtu: big\n",
                "host.yaml: line 2, column 15: underlay_mtu: 'big' is not a number");
        assertRefused(
                "local_ip: 198.18.0.1\narp_responder: maybe\n",
                "host.yaml: line 2, column 16: arp_responder: 'maybe' is not true or false");
        assertRefused("local_ip: [1]\n", "host.yaml: line 1, column 11: local_ip: expected a single value (text)");
        assertRefused(
                "local_ip: 198.18.0.1\nlocal_ip: 198.18.0.2\n",
                "host.yaml: line 2, column 9: duplicate key 'local_ip'");
    }

    @Test
    void badValuesAreNamed() {
        assertRefused("local_ip: 198.18.0.300\n", "host.yaml: local_ip: '198.18.0.300' is not an IP address");
        assertRefused(
                "local_ip: 198.18.0.1\nnetworks:\n  - {name: n, type: vxlan, segmentation_id: 16777216}\n",
                "host.yaml: network n: segmentation ID 16777216 (0x1000000) is out of range: a VXLAN VNI is 24 bits"
                        + " (1 to 16777215)");
        assertRefused(
                "local_ip: 198.18.0.1\nnetworks:\n  - {name: n, type: geneve, segmentation_id: 5}\n",
                "host.yaml: unknown network type 'geneve' (known: gre, vxlan)");
    }
}
