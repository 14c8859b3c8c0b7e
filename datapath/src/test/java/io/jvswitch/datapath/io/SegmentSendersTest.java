package io.jvswitch.datapath.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvswitch.netio.NetNamespace;
import io.jvswitch.netio.TestNamespace;
import io.jvswitch.netio.UdpSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The GSO sockets per source, in a namespace of the test's own (bound on its loopback; nothing is sent). */
@Tag("privileged")
class SegmentSendersTest {
    private static final int LOOPBACK = 0x7f000001;

    private TestNamespace ns;

    @BeforeEach
    void setUp() throws Exception {
        TestNamespace.assumePrivileged();
        ns = TestNamespace.create("gso", TestNamespace.Ipv6.OFF_TO_KEEP_LINKS_QUIET);
        ns.ip("link", "set", "lo", "up");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void oneSocketPerSourceKeptAndTheLeastRecentlyUsedClosedForRoom() throws Exception {
        NetNamespace.call(ns.name, () -> {
            try (SegmentSenders senders = new SegmentSenders()) {
                UdpSocket first = senders.socket(LOOPBACK, 50000, true);
                assertThat(first).isNotNull();
                assertThat(first.localPort()).isEqualTo(50000);
                assertThat(senders.socket(LOOPBACK, 50000, false))
                        .as("the same source")
                        .isSameAs(first);
                for (int port = 50001; port < 50000 + SegmentSenders.CAPACITY; port++) {
                    assertThat(senders.socket(LOOPBACK, port, true)).isNotNull();
                }
                assertThat(senders.open()).isEqualTo(SegmentSenders.CAPACITY);
                senders.socket(LOOPBACK, 50000, true); // used again: 50001 is now the oldest

                UdpSocket newcomer = senders.socket(LOOPBACK, 60000, true);

                assertThat(newcomer).isNotNull();
                assertThat(senders.open()).isEqualTo(SegmentSenders.CAPACITY);
                assertThat(senders.evictions()).isEqualTo(1);
                assertThat(senders.socket(LOOPBACK, 50000, true)).as("kept").isSameAs(first);
                try (UdpSocket again = UdpSocket.openSegmentSender(LOOPBACK, 50001)) {
                    assertThat(again.localPort())
                            .as("50001's socket was closed: its port is free")
                            .isEqualTo(50001);
                }
            }
            return null;
        });
    }

    @Test
    void aSourceThatCannotBeBoundIsRememberedAndNotTriedPerPacket() throws Exception {
        NetNamespace.call(ns.name, () -> {
            try (UdpSocket squatter = UdpSocket.openSegmentSender(LOOPBACK, 50000);
                    SegmentSenders senders = new SegmentSenders()) {
                assertThat(senders.socket(LOOPBACK, 50000, true)).isNull();
                assertThat(senders.socket(LOOPBACK, 50000, true)).isNull();
                assertThat(senders.bindFailures()).as("tried once").isEqualTo(1);
                assertThat(senders.socket(0x7f000002, 50000, true))
                        .as("another address is another source")
                        .isNotNull();
                assertThat(squatter.localPort()).isEqualTo(50000);
            }
            return null;
        });
    }
}
