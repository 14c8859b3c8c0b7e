package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Ports;

/**
 * Sends the packet out of a port: {@code output:3}, or a reserved port by its name alone ({@code IN_PORT}, {@code
 * TABLE}, {@code NORMAL}, {@code FLOOD}, {@code ALL}, {@code LOCAL}), as OVS prints them. A bare port ({@code 3},
 * {@code normal}) reads as output to it; output to {@code CONTROLLER} reads as {@link Controller}.
 *
 * @param port an OpenFlow port number ({@link Ports})
 */
public record Output(int port) implements Action {
    @Override
    public void format(StringBuilder out) {
        if (port >= 0 && port < Ports.MAX) {
            out.append("output:").append(port);
        } else {
            out.append(Ports.name(port));
        }
    }

    @Override
    public void validate() {
        Checks.outputPort(port);
    }
}
