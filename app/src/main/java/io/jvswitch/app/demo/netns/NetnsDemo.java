package io.jvswitch.app.demo.netns;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code jvs demo --netns}: the tutorial on real kernels. Builds a {@link NetnsLab} (three hypervisor namespaces on a
 * Linux-bridge underlay, a {@code jvs daemon} in each, VM1 and VM2 in namespaces of their own behind the daemons' TAP
 * devices), lets VM1's kernel ping VM2's with the real {@code ping}, streaming its output, then prints host1's {@code
 * vsctl show} and {@code ofctl dump-flows br-tun} from its daemon. Everything is removed afterwards, also on Ctrl-C.
 */
public final class NetnsDemo {
    private NetnsDemo() {}

    /**
     * Runs the demo and returns the exit status: 0 when VM2 answered, 1 otherwise.
     *
     * @throws IOException when the namespaces or daemons could not be set up (the message says what failed)
     */
    public static int run(PrintWriter out, NetnsLab.Kind kind, String layout, int count)
            throws IOException, InterruptedException {
        String why = Namespaces.whyNotPrivileged(System.getenv());
        if (why != null) {
            throw new IOException("--netns " + why);
        }
        NetnsLab.Plan plan = NetnsLab.Plan.tutorial(kind, layout);
        out.println("jvswitch demo on real network namespaces: the tutorial's network, Linux kernels at both ends");
        out.println();
        out.println("Tenant network net1: " + tunnel(kind) + "; VM1 fa:16:3e:00:00:01 10.0.0.1 on host1,"
                + " VM2 fa:16:3e:1f:19:55 10.0.0.2 on host2; host3 has no VM.");
        out.flush();
        Holder holder = new Holder();
        // Ctrl-C: the hook removes daemons, namespaces and files while the main thread is stopped by the JVM.
        Thread hook = new Thread(holder::closeQuietly, "jvs-demo-netns-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            NetnsLab lab = NetnsLab.create(plan, NetnsLab.Launcher.current(), line -> {
                out.println("  " + line);
                out.flush();
            });
            holder.set(lab);
            lab.build();
            out.println();
            out.println("host1's host file (jvs agent --config host1.yaml):");
            lab.hostFile("host1").lines().forEach(line -> out.println("  " + line));
            out.println();
            out.println("vm1$ ping -c " + count + " 10.0.0.2");
            out.flush();
            int status = lab.ping(
                    "vm1",
                    line -> {
                        out.println(line);
                        out.flush();
                    },
                    "-c",
                    Integer.toString(count),
                    "-W",
                    "2",
                    "10.0.0.2");
            out.println();
            out.println("host1$ jvs vsctl show");
            out.print(lab.vsctl("host1", "show"));
            out.println();
            out.println("host1$ jvs ofctl dump-flows br-tun");
            out.print(lab.dumpFlows("host1", "br-tun"));
            out.println();
            out.println("Removing the daemons, namespaces and files.");
            out.flush();
            return status == 0 ? 0 : 1;
        } finally {
            holder.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook runs (and finds nothing left to do).
            }
        }
    }

    private static String tunnel(NetnsLab.Kind kind) {
        return switch (kind) {
            case GRE -> "GRE, key 0x1388";
            case VXLAN -> "VXLAN, VNI 5000";
            case VXLAN_MULTICAST -> "VXLAN, VNI 5000, VTEPs in group " + NetnsLab.VXLAN_GROUP;
        };
    }

    /** The lab once started, for the shutdown hook (which may run before it exists). */
    private static final class Holder {
        private NetnsLab lab;

        synchronized void set(NetnsLab lab) {
            this.lab = lab;
        }

        synchronized void close() throws IOException {
            if (lab != null) {
                lab.close();
            }
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException e) {
                System.err.println("jvs demo: cleaning up: " + e.getMessage());
            }
        }
    }
}
