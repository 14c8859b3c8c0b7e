package io.jvswitch.lab.guest;

/** A service bound to a UDP port of a guest. */
@FunctionalInterface
public interface UdpHandler {
    void receive(Guest guest, UdpDatagram datagram);
}
