package io.jvswitch.app.cli;

import io.jvswitch.app.control.ControlProtocol;
import io.jvswitch.app.control.RunningDaemon;
import io.jvswitch.app.daemon.DatapathRuntime;
import io.jvswitch.app.daemon.DatapathRuntimes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jvs daemon}: runs the switch until it is stopped, configured from its database, served on its socket. */
@Command(
        name = "daemon",
        description = {
            "Run the switch: its database, its datapath and its control socket.",
            "",
            "Restores bridges, ports, flows and the tunnel agent's state from the database with forwarding held off,"
                    + " turns forwarding on, then serves jvs vsctl, ofctl, appctl and agent on the control socket"
                    + " until it is stopped (SIGTERM or SIGINT). Every change is written to the database before it"
                    + " is answered. Flows that expire (idle_timeout, hard_timeout) leave the database; after a"
                    + " restart a hard_timeout keeps only the time it had left. A database that cannot be read is"
                    + " refused: the daemon does not start."
        },
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--db", required = true, paramLabel = "FILE", description = "The database (JSON).")
    Path db;

    @Option(
            names = "--control",
            paramLabel = "SOCKET",
            description = "The control socket (default: $JVS_CONTROL, else /run/jvswitch/jvs.ctl).")
    Path control;

    @Option(
            names = "--datapath",
            paramLabel = "NAME",
            defaultValue = DatapathRuntimes.DEFAULT,
            description = "What runs the datapath: epoll (the real switch: TAP devices, system interfaces, tunnels on"
                    + " UDP and raw IP sockets; needs root), inline (no packet I/O) or memory (tap and system ports in"
                    + " memory, for tests). Default: ${DEFAULT-VALUE}.")
    String datapath;

    @Option(
            names = "--underlay-interface",
            paramLabel = "DEV",
            description = "The underlay interface: VXLAN multicast groups (remote_ip=239.x.x.x) are joined and sent"
                    + " on it. Only with --datapath epoll.")
    String underlayInterface;

    @Override
    public Integer call() throws IOException, InterruptedException {
        DatapathRuntime runtime;
        try {
            runtime = DatapathRuntimes.named(datapath, underlayInterface);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--datapath: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Path socket = ControlProtocol.socket(control, System.getenv());
        RunningDaemon running = RunningDaemon.start(db, socket, runtime, line -> {
            out.println("jvs daemon: " + line);
            out.flush();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (IOException e) {
                // Stopping anyway; the database holds everything.
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
