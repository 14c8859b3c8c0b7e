package io.jvswitch.lab.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;

/**
 * One step of a topology's script. In YAML each step is a one-key map whose key says what it is:
 *
 * <pre>
 * script:
 *   - ping: {from: vm1, to: 10.0.0.2, count: 3, expect: success}
 *   - udp_echo: {vm: vm2, port: 7}
 *   - udp: {from: vm1, to: 10.0.0.2, port: 7, payload: hello}
 *   - advance: 300s
 *   - expect_udp: {vm: vm1, count: 1, port: 40000}
 *   - expect_neighbor: {vm: vm1, ip: 10.0.0.2, present: false}
 *   - leave: {host: host3, group: 239.1.1.1}
 * </pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
    @JsonSubTypes.Type(value = Step.Ping.class, name = "ping"),
    @JsonSubTypes.Type(value = Step.Udp.class, name = "udp"),
    @JsonSubTypes.Type(value = Step.UdpEcho.class, name = "udp_echo"),
    @JsonSubTypes.Type(value = Step.Advance.class, name = "advance"),
    @JsonSubTypes.Type(value = Step.Join.class, name = "join"),
    @JsonSubTypes.Type(value = Step.Leave.class, name = "leave"),
    @JsonSubTypes.Type(value = Step.ExpectUdp.class, name = "expect_udp"),
    @JsonSubTypes.Type(value = Step.ExpectNeighbor.class, name = "expect_neighbor")
})
public sealed interface Step {
    /** What a ping step asserts. */
    enum PingExpectation {
        /** Every request answered. */
        SUCCESS,
        /** No reply at all. */
        FAILURE;

        @JsonValue
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Pings {@code to} from VM {@code from} and waits (in virtual time) until it is done.
     *
     * @param count default 1
     * @param interval default 1s
     * @param timeout per reply, default 1s
     * @param size echo data bytes, default 56
     * @param expect what must happen, or null to only report it
     */
    record Ping(
            String from,
            String to,
            Integer count,
            Duration interval,
            Duration timeout,
            Integer size,
            PingExpectation expect)
            implements Step {}

    /**
     * Sends one UDP datagram from VM {@code from}; time does not move.
     *
     * @param sourcePort default 40000
     * @param payload text sent as UTF-8 (default empty)
     */
    record Udp(String from, String to, Integer port, Integer sourcePort, String payload) implements Step {}

    /** Starts a UDP echo service on VM {@code vm}, port {@code port}. */
    record UdpEcho(String vm, Integer port) implements Step {}

    /** Lets virtual time run for {@code duration} ({@code advance: 300s}; a bare number is seconds). */
    record Advance(Duration duration) implements Step {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public Advance {}
    }

    /** Host {@code host} joins multicast group {@code group}. */
    record Join(String host, String group) implements Step {}

    /** Host {@code host} leaves multicast group {@code group}. */
    record Leave(String host, String group) implements Step {}

    /**
     * Asserts how many datagrams VM {@code vm} has received so far, optionally only those to {@code port} or from
     * address {@code from}.
     */
    record ExpectUdp(String vm, Integer count, Integer port, String from) implements Step {}

    /**
     * Asserts VM {@code vm}'s ARP (or neighbor) cache: an entry for {@code ip} is there ({@code present}, default
     * true) with MAC {@code mac} when given, or is not there.
     */
    record ExpectNeighbor(String vm, String ip, String mac, Boolean present) implements Step {}
}
