package io.jvswitch.app.demo.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jvswitch.netio.NetNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tutorial's network on real kernels ({@link NetnsLab}): three {@code jvs daemon} processes in hypervisor
 * namespaces, VMs in namespaces of their own behind the daemons' TAP devices. VMs ping both ways and move 100 MB over
 * TCP intact; two tenants with the same addresses stay apart; a daemon killed with SIGKILL comes back with its
 * configuration and the ping resumes within a second of its restart. Needs root and iproute2; skipped otherwise.
 */
@Tag("privileged")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NetnsLabTest {
    private static final long TRANSFER_BYTES = 100L * 1024 * 1024;
    private static final Pattern REPLY = Pattern.compile("^\\[(\\d+\\.\\d+)\\] \\d+ bytes from ");

    private final List<NetnsLab> labs = new ArrayList<>();

    @BeforeEach
    void assumePrivileged() {
        String why = Namespaces.whyNotPrivileged(System.getenv());
        assumeTrue(why == null, () -> "privileged test skipped: " + why);
    }

    @AfterEach
    void removeEverything() throws IOException {
        for (NetnsLab lab : labs) {
            lab.close();
        }
    }

    private NetnsLab lab(NetnsLab.Plan plan) throws IOException, InterruptedException {
        // Surefire may run tests from a manifest-only jar: the daemons get the real class path.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        NetnsLab.Launcher launcher =
                new NetnsLab.Launcher(ProcessHandle.current().info().command().orElse("java"), classPath);
        NetnsLab lab = NetnsLab.create(plan, launcher, line -> System.out.println("[netns] " + line));
        labs.add(lab);
        lab.build();
        return lab;
    }

    /** Pings {@code target} from {@code vm}; returns ping's output. */
    private static String ping(NetnsLab lab, String vm, String target, int count) throws Exception {
        StringBuffer output = new StringBuffer();
        int status = lab.ping(
                vm,
                line -> {
                    System.out.println("[" + vm + "] " + line);
                    output.append(line).append('\n');
                },
                "-c",
                Integer.toString(count),
                "-i",
                "0.2",
                "-W",
                "5",
                target);
        output.append("(exit ").append(status).append(")\n");
        return output.toString();
    }

    @ParameterizedTest
    @EnumSource(NetnsLab.Kind.class)
    void vmsPingBothWaysAndMove100MegabytesIntact(NetnsLab.Kind kind) throws Exception {
        NetnsLab lab = lab(NetnsLab.Plan.tutorial(kind, "tutorial"));
        assertThat(lab.vmMtu("vm1")).isEqualTo(kind.vmMtu());
        assertThat(lab.vmMtu("vm2")).isEqualTo(kind.vmMtu());

        assertThat(ping(lab, "vm1", "10.0.0.2", 3)).contains("3 received, 0% packet loss");
        assertThat(ping(lab, "vm2", "10.0.0.1", 3)).contains("3 received, 0% packet loss");

        Transfer transfer = transfer(lab, "vm1", "vm2", "10.0.0.2");
        System.out.printf(
                "[netns] %s: %d bytes from vm1 to vm2 in %.2f s (%.1f MB/s), sha256 sent %s, received %s%n",
                kind,
                transfer.receivedBytes(),
                transfer.seconds(),
                transfer.receivedBytes() / 1e6 / transfer.seconds(),
                transfer.sentSha256(),
                transfer.receivedSha256());
        assertThat(transfer.receivedBytes()).isEqualTo(TRANSFER_BYTES);
        assertThat(transfer.receivedSha256()).isEqualTo(transfer.sentSha256());
    }

    record Transfer(long receivedBytes, String sentSha256, String receivedSha256, double seconds) {}

    /**
     * Sends {@link #TRANSFER_BYTES} of seeded random bytes over TCP from one VM to another. The sockets are made by
     * threads that entered the VMs' namespaces, so this test process talks through the VMs' own kernels.
     */
    private static Transfer transfer(NetnsLab lab, String from, String to, String toAddress) throws Exception {
        InetSocketAddress address = new InetSocketAddress(toAddress, 5001);
        ServerSocket server = NetNamespace.call(lab.namespace(to), () -> {
            ServerSocket socket = new ServerSocket();
            socket.bind(address);
            return socket;
        });
        try (server) {
            server.setSoTimeout(60_000);
            CompletableFuture<long[]> countAndDone = new CompletableFuture<>();
            CompletableFuture<String> receivedDigest = new CompletableFuture<>();
            Thread receiver = Thread.ofPlatform().name("tcp-receiver").start(() -> {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(60_000);
                    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                    byte[] buffer = new byte[1 << 16];
                    long total = 0;
                    InputStream in = socket.getInputStream();
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha256.update(buffer, 0, n);
                        total += n;
                    }
                    receivedDigest.complete(HexFormat.of().formatHex(sha256.digest()));
                    countAndDone.complete(new long[] {total});
                } catch (Exception e) {
                    receivedDigest.completeExceptionally(e);
                    countAndDone.completeExceptionally(e);
                }
            });
            long start = System.nanoTime();
            Socket client = NetNamespace.call(lab.namespace(from), () -> {
                Socket socket = new Socket();
                socket.connect(address, 30_000);
                return socket;
            });
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (client) {
                client.setSoTimeout(60_000);
                Random random = new Random(5000);
                byte[] chunk = new byte[1 << 20];
                OutputStream out = client.getOutputStream();
                for (long sent = 0; sent < TRANSFER_BYTES; sent += chunk.length) {
                    random.nextBytes(chunk);
                    sha256.update(chunk);
                    out.write(chunk);
                }
                out.flush();
                client.shutdownOutput();
                long received = countAndDone.get(180, TimeUnit.SECONDS)[0];
                double seconds = (System.nanoTime() - start) / 1e9;
                receiver.join(10_000);
                return new Transfer(
                        received,
                        HexFormat.of().formatHex(sha256.digest()),
                        receivedDigest.get(10, TimeUnit.SECONDS),
                        seconds);
            }
        }
    }

    @Test
    void twoTenantsWithTheSameAddressesStayApart() throws Exception {
        NetnsLab lab = lab(NetnsLab.Plan.twoTenants(NetnsLab.Kind.GRE));
        String vm2Mac = lab.plan().vm("vm2").mac();
        String vm4Mac = lab.plan().vm("vm4").mac();

        // Before anything was learned: vm3 (net2) sends to vm2's MAC (net1) at vm2's address. Nothing reaches vm2.
        long vm2Rx = rxPackets(lab, "vm2");
        long vm2Echoes = inEchos(lab, "vm2");
        neighbor(lab, "vm3", "10.0.0.2", vm2Mac);
        assertThat(ping(lab, "vm3", "10.0.0.2", 3)).contains("(exit 1)");
        assertThat(rxPackets(lab, "vm2")).as("frames vm2 received").isEqualTo(vm2Rx);
        assertThat(inEchos(lab, "vm2")).as("echo requests vm2 received").isEqualTo(vm2Echoes);
        Namespaces.ip(lab.namespace("vm3"), "neigh", "del", "10.0.0.2", "dev", "vm3");

        // Each tenant reaches its own 10.0.0.2, and learns its own MAC for it.
        assertThat(ping(lab, "vm1", "10.0.0.2", 3)).contains("3 received, 0% packet loss");
        assertThat(ping(lab, "vm3", "10.0.0.2", 3)).contains("3 received, 0% packet loss");
        assertThat(Namespaces.ip(lab.namespace("vm1"), "neigh", "show", "10.0.0.2"))
                .contains(vm2Mac);
        assertThat(Namespaces.ip(lab.namespace("vm3"), "neigh", "show", "10.0.0.2"))
                .contains(vm4Mac);
        assertThat(inEchos(lab, "vm2")).isEqualTo(vm2Echoes + 3);
        long vm4Echoes = inEchos(lab, "vm4");
        assertThat(vm4Echoes).isEqualTo(3);

        // With br-tun's table 20 holding both MACs (each in its own VLAN), crossing still fails both ways.
        vm2Echoes = inEchos(lab, "vm2");
        neighbor(lab, "vm3", "10.0.0.2", vm2Mac);
        neighbor(lab, "vm1", "10.0.0.2", vm4Mac);
        assertThat(ping(lab, "vm3", "10.0.0.2", 3)).contains("(exit 1)");
        assertThat(ping(lab, "vm1", "10.0.0.2", 3)).contains("(exit 1)");
        assertThat(inEchos(lab, "vm2")).as("echo requests vm2 received").isEqualTo(vm2Echoes);
        assertThat(inEchos(lab, "vm4")).as("echo requests vm4 received").isEqualTo(vm4Echoes);
        System.out.println("[netns] host1 br-tun:\n" + lab.dumpFlows("host1", "br-tun"));
    }

    private static void neighbor(NetnsLab lab, String vm, String ip, String mac) throws Exception {
        Namespaces.ip(lab.namespace(vm), "neigh", "replace", ip, "lladdr", mac, "dev", vm, "nud", "permanent");
    }

    /** Frames a VM's interface received, from its own namespace's sysfs. */
    private static long rxPackets(NetnsLab lab, String vm) throws Exception {
        return Long.parseLong(
                Namespaces.exec(lab.namespace(vm), "cat", "/sys/class/net/" + vm + "/statistics/rx_packets")
                        .strip());
    }

    /** ICMP echo requests a VM's kernel received ({@code Icmp: InEchos} in its namespace's /proc/net/snmp). */
    private static long inEchos(NetnsLab lab, String vm) throws Exception {
        List<String> lines = Namespaces.exec(lab.namespace(vm), "cat", "/proc/net/snmp")
                .lines()
                .filter(line -> line.startsWith("Icmp:"))
                .toList();
        List<String> names = List.of(lines.get(0).split("\\s+"));
        String[] values = lines.get(1).split("\\s+");
        return Long.parseLong(values[names.indexOf("InEchos")]);
    }

    @Test
    void aKilledDaemonComesBackAndThePingResumesWithinASecond() throws Exception {
        NetnsLab lab = lab(NetnsLab.Plan.tutorial(NetnsLab.Kind.GRE, "tutorial"));
        String show = lab.vsctl("host2", "show");
        List<Instant> replies = new CopyOnWriteArrayList<>();
        Process ping = lab.startPing(
                "vm1",
                line -> {
                    System.out.println("[vm1] " + line);
                    Matcher reply = REPLY.matcher(line);
                    if (reply.find()) {
                        BigDecimal seconds = new BigDecimal(reply.group(1));
                        replies.add(Instant.ofEpochSecond(
                                seconds.longValue(),
                                seconds.remainder(BigDecimal.ONE)
                                        .movePointRight(9)
                                        .longValue()));
                    }
                },
                "-D",
                "-i",
                "0.1",
                "-W",
                "1",
                "10.0.0.2");
        try {
            await(() -> replies.size() >= 5, Duration.ofSeconds(30), "5 replies before the kill");

            NetnsLab.HostDaemon host2 = lab.daemon("host2");
            host2.kill();
            assertThat(host2.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            Instant killed = Instant.now();
            Thread.sleep(1000);

            host2.start();
            Instant listening = host2.listeningAt();
            // By ping's own timestamps (its output may come late): nothing answered while host2 had no switch.
            assertThat(replies.stream()
                            .filter(reply -> reply.isAfter(killed.plusMillis(200)) && reply.isBefore(listening))
                            .toList())
                    .as("replies while host2's daemon was dead")
                    .isEmpty();
            lab.attachVm("vm2");
            await(
                    () -> replies.stream().anyMatch(reply -> reply.isAfter(listening)),
                    Duration.ofSeconds(30),
                    "a reply after the restart");
            Instant first = replies.stream()
                    .filter(reply -> reply.isAfter(listening))
                    .findFirst()
                    .orElseThrow();
            Duration resumed = Duration.between(listening, first);
            System.out.println(
                    "[netns] ping resumed " + resumed.toMillis() + " ms after host2's daemon said it listens");
            assertThat(resumed).isLessThan(Duration.ofSeconds(1));
            assertThat(lab.vsctl("host2", "show")).isEqualTo(show);
        } finally {
            lab.stopProgram(ping);
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(20);
        }
    }
}
