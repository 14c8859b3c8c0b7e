package io.jvswitch.netio;

import io.jvswitch.netio.TestNamespace.Ipv6;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Two network namespaces joined by a veth pair: ns1's {@link #VETH1} (198.18.0.1/24, 2001:db8::1/64) and ns2's {@link
 * #VETH2} (198.18.0.2/24, 2001:db8::2/64), fixed MACs, both up, each knowing the other's MAC for good (no ARP or
 * neighbour discovery to wait for). Checksum offload stays on, as veths come. Without IPv6, the namespaces have it
 * disabled, so the kernels send no router solicitations or MLD reports that a test would have to step over. Closing
 * deletes both namespaces (and so the veths), even when a test failed, and checks that they are gone.
 */
final class TwoNamespaces implements AutoCloseable {
    static final String VETH1 = "jvs-veth1";
    static final String VETH2 = "jvs-veth2";
    static final long MAC1 = 0x020000000001L;
    static final long MAC2 = 0x020000000002L;
    static final int IP1 = 0xc6120001;
    static final int IP2 = 0xc6120002;
    /** 2001:db8::/64, the first 8 bytes of both IPv6 addresses. */
    static final long IP6_HIGH = 0x20010db800000000L;

    static final long IP6_LOW1 = 1;
    static final long IP6_LOW2 = 2;

    final TestNamespace ns1;
    final TestNamespace ns2;

    private TwoNamespaces(TestNamespace ns1, TestNamespace ns2) {
        this.ns1 = ns1;
        this.ns2 = ns2;
    }

    static TwoNamespaces create(boolean ipv6) throws Exception {
        Ipv6 mode = ipv6 ? Ipv6.ON : Ipv6.OFF_TO_KEEP_LINKS_QUIET;
        List<TestNamespace> created = new ArrayList<>();
        try {
            for (String role : new String[] {"ns1", "ns2"}) {
                created.add(TestNamespace.create(role, mode));
            }
            TwoNamespaces pair = new TwoNamespaces(created.get(0), created.get(1));
            pair.setUp(ipv6);
            return pair;
        } catch (Exception | Error e) {
            TestNamespace.deleteAll(created.reversed(), e);
            throw e;
        }
    }

    private void setUp(boolean ipv6) throws Exception {
        ns1.ip(
                "link",
                "add",
                VETH1,
                "address",
                "02:00:00:00:00:01",
                "type",
                "veth",
                "peer",
                "name",
                VETH2,
                "address",
                "02:00:00:00:00:02",
                "netns",
                ns2.name);
        ns1.ip("addr", "add", "198.18.0.1/24", "dev", VETH1);
        ns2.ip("addr", "add", "198.18.0.2/24", "dev", VETH2);
        ns1.ip("neigh", "replace", "198.18.0.2", "lladdr", "02:00:00:00:00:02", "dev", VETH1, "nud", "permanent");
        ns2.ip("neigh", "replace", "198.18.0.1", "lladdr", "02:00:00:00:00:01", "dev", VETH2, "nud", "permanent");
        if (ipv6) {
            ns1.ip("addr", "add", "2001:db8::1/64", "dev", VETH1, "nodad");
            ns2.ip("addr", "add", "2001:db8::2/64", "dev", VETH2, "nodad");
            ns1.ip("neigh", "replace", "2001:db8::2", "lladdr", "02:00:00:00:00:02", "dev", VETH1, "nud", "permanent");
            ns2.ip("neigh", "replace", "2001:db8::1", "lladdr", "02:00:00:00:00:01", "dev", VETH2, "nud", "permanent");
        }
        ns1.ip("link", "set", VETH1, "up");
        ns2.ip("link", "set", VETH2, "up");
        if (ipv6) {
            // IPv6 finishes setting an interface up only when linkwatch reports its carrier, some tens of
            // milliseconds after "ip link set up" returns: until then there is no ff00::/8 route and the kernel
            // drops IPv6 multicast it receives (Ip6InNoRoutes).
            awaitRoute(ns1, VETH1);
            awaitRoute(ns2, VETH2);
        }
    }

    private static void awaitRoute(TestNamespace ns, String device) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!ns.ip("-6", "route", "show", "table", "local", "dev", device).contains("multicast ff00::/8")) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no IPv6 multicast route on " + device + " in " + ns.name + " after 5 s");
            }
            Thread.sleep(10);
        }
    }

    /** Runs {@code task} inside ns1 (sockets it opens belong to ns1). */
    <T> T inNs1(Callable<T> task) throws Exception {
        return NetNamespace.call(ns1.name, task);
    }

    <T> T inNs2(Callable<T> task) throws Exception {
        return NetNamespace.call(ns2.name, task);
    }

    /** The namespaces' names, to check that none is left behind. */
    String[] names() {
        return new String[] {ns1.name, ns2.name};
    }

    @Override
    public void close() throws IOException {
        TestNamespace.deleteAll(List.of(ns2, ns1));
    }
}
