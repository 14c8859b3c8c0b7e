package io.jvswitch.netio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventFdTest {
    @Test
    void aSignalFromAnotherThreadWakesTheWaitAndDrainingResetsIt() throws Exception {
        try (EventFd event = EventFd.open();
                Epoll epoll = Epoll.open(4)) {
            epoll.add(event.fd(), 7L);
            assertThat(epoll.await(0)).as("nothing signalled yet").isZero();

            Thread signaller = Thread.ofPlatform().start(() -> {
                try {
                    event.signal();
                    event.signal();
                } catch (NativeException e) {
                    throw new IllegalStateException(e);
                }
            });
            signaller.join();
            assertThat(epoll.await(2000)).isEqualTo(1);
            assertThat(epoll.token(0)).isEqualTo(7L);
            assertThat(event.drain())
                    .as("two signals coalesce into one wake-up")
                    .isEqualTo(2);
            assertThat(epoll.await(0)).as("drained: not readable any more").isZero();
            assertThat(event.drain()).isZero();
        }
    }

    @Test
    void signallingAClosedEventFdDoesNothing() throws Exception {
        EventFd event = EventFd.open();
        event.close();
        event.signal();
        event.close();
    }

    @Test
    void aConnectedUdpSocketTellsTheSourceAddressItsRouteGives() throws Exception {
        // connect() on UDP sends nothing: it only asks the routing table (the loopback route exists everywhere).
        try (UdpSocket socket = UdpSocket.open(IpFamily.IPV4)) {
            socket.connect(0x7f000001, 9);
            assertThat(socket.localAddress()).isEqualTo(0x7f000001);
        }
    }
}
