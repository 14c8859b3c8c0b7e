package io.jvswitch.netio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.l2.Arp;
import io.jvswitch.wire.l2.Ethernet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("privileged")
class TapDeviceTest {
    private static final long TAP_MAC = 0x020000000001L;
    private static final long PEER_MAC = 0x020000000002L;

    @Test
    void aTapInANamespaceTalksToThatNamespacesKernel() throws Exception {
        talksToTheKernel(false);
    }

    @Test
    void aTapWithOffloadsPutsAVirtioHeaderBeforeEveryFrame() throws Exception {
        talksToTheKernel(true);
    }

    private static void talksToTheKernel(boolean offloads) throws Exception {
        TestNamespace.assumePrivileged();
        try (TestNamespace namespace = TestNamespace.create("tap", TestNamespace.Ipv6.ON);
                TapDevice tap = NetNamespace.call(namespace.name, () -> {
                    TapDevice device = offloads ? TapDevice.openWithOffloads("jvstap0") : TapDevice.open("jvstap0");
                    device.setMtu(1400);
                    device.setMac(TAP_MAC);
                    device.setUp(true);
                    return device;
                });
                Arena arena = Arena.ofConfined()) {
            String link = namespace.ip("link", "show", "jvstap0");
            assertThat(link)
                    .contains("mtu 1400")
                    .contains("link/ether 02:00:00:00:00:01")
                    .contains("UP");
            namespace.ip("addr", "add", "198.18.0.1/24", "dev", "jvstap0");

            // Who has 198.18.0.1? The namespace's kernel answers through the TAP.
            byte[] request = new FrameBuilder()
                    .ethernet(PEER_MAC, MacAddress.BROADCAST)
                    .arp(Arp.OP_REQUEST, PEER_MAC, 0xc6120002, 0, 0xc6120001)
                    .build();
            MemorySegment out = arena.allocate(request.length);
            MemorySegment.copy(MemorySegment.ofArray(request), 0, out, 0, request.length);
            tap.write(out, 0, request.length);
            assertThat(tap.offloads()).isEqualTo(offloads);
            int header = offloads ? VirtioNetHeader.LENGTH : 0;
            MemorySegment buffer = arena.allocate(2048);
            long deadline = System.nanoTime() + 2_000_000_000L;
            Arp reply = null;
            while (reply == null && System.nanoTime() < deadline) {
                int length = tap.read(buffer, 0, 2048);
                if (length == 0) {
                    Thread.sleep(5);
                    continue;
                }
                if (offloads) {
                    assertThat(VirtioNetHeader.gsoType(buffer, 0)).isEqualTo(VirtioNetHeader.GSO_NONE);
                }
                Ethernet ethernet = new Ethernet().wrap(buffer, header);
                if (ethernet.etherType() == Ethernet.TYPE_ARP) {
                    Arp arp = new Arp().wrap(buffer, header + Ethernet.HEADER_LENGTH);
                    if (arp.operation() == Arp.OP_REPLY) {
                        reply = arp;
                    }
                }
            }
            assertThat(reply).as("the kernel's ARP reply came out of the TAP").isNotNull();
            assertThat(reply.senderMac()).isEqualTo(TAP_MAC);
            assertThat(reply.senderIp()).isEqualTo(0xc6120001);
            assertThat(reply.targetMac()).isEqualTo(PEER_MAC);
            assertThat(reply.targetIp()).isEqualTo(0xc6120002);
        }
    }

    @Test
    void badNamesAreRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> TapDevice.open("a-name-that-is-too-long"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'a-name-that-is-too-long' is not an interface name (1 to 15 bytes, no '/' or spaces)");
    }

    @Test
    void aMissingNamespaceIsNamedInTheError() {
        TestNamespace.assumePrivileged();
        assertThatThrownBy(() -> NetNamespace.call("jvs-no-such-namespace", () -> null))
                .isInstanceOf(NativeException.class)
                .hasMessage("open /run/netns/jvs-no-such-namespace: ENOENT (No such file or directory)");
    }
}
