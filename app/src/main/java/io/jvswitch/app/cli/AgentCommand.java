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
                    + " only what differs, and keeps the state in the database. The file is YAML: local_ip,"
                    + " tunnel_types, layout, naming, underlay_mtu, networks (name, type, segmentation_id, group),"
                    + " vms (name, network, mac, ip), peers (address, networks, vms)."
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
