package io.jvswitch.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jvswitch.app.control.ControlClient;
import io.jvswitch.app.daemon.DaemonException;
import io.jvswitch.app.daemon.HostFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jvs agent}: gives the running daemon's tunnel agent a host's desired state. */
@Command(
        name = "agent",
        description = {
            "Give the tunnel agent a host's desired state: networks, VMs, peers.",
            "",
            "The daemon's agent makes br-int, br-tun, the tunnels and br-tun's flows match the host file, changing"
                    + " only what differs, and keeps the state in the database. The file is YAML; only local_ip is"
                    + " required:",
            "  local_ip: 198.18.0.1",
            "  tunnel_types: [gre, vxlan]    # default: both",
            "  layout: tutorial              # or neutron (l2population, ARP responder)",
            "  naming: tutorial              # gre-1, or neutron: gre-c6120002",
            "  underlay_mtu: 1500",
            "  arp_responder: true           # the default; the neutron layout only",
            "  networks:",
            "    - {name: net1, type: gre, segmentation_id: 0x1388}",
            "    - {name: net2, type: vxlan, segmentation_id: 100, group: 239.1.1.1}",
            "  vms:",
            "    - {name: vm1, network: net1, mac: \"fa:16:3e:00:00:01\", ip: 10.0.0.1}",
            "  peers:",
            "    - address: 198.18.0.2",
            "      networks: [net1]",
            "      vms: [{network: net1, mac: \"fa:16:3e:1f:19:55\", ip: 10.0.0.2}]"
        },
        mixinStandardHelpOptions = true)
public final class AgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ControlOptions control;

    @Option(names = "--config", required = true, paramLabel = "HOST.yaml", description = "The host file.")
    Path config;

    @Override
    public Integer call() throws IOException {
        String text = Files.readString(config, StandardCharsets.UTF_8);
        ObjectNode request = ControlClient.request("agent").put("source", config.toString());
        try {
            request.set("host", HostFile.read(text, config.toString()));
        } catch (DaemonException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            return ClientOutput.print(spec, control.call(request));
        } catch (ControlClient.ControlException e) {
            return ClientOutput.refused(spec, e);
        }
    }
}
