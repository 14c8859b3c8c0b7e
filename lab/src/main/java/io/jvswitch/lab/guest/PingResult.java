package io.jvswitch.lab.guest;

import java.time.Duration;
import java.util.List;

/**
 * What a ping run saw, as {@code ping} prints it at the end.
 *
 * @param destination the address pinged
 * @param transmitted echo requests handed to the network (refused ones are {@code errors})
 * @param replies the replies that came back in time, by sequence number
 * @param timedOut sequence numbers with no reply within the timeout
 * @param errors sequence numbers the guest could not send, and why ({@code "icmp_seq=1: message too long, mtu=1400"})
 */
public record PingResult(
        String destination, int transmitted, List<Reply> replies, List<Integer> timedOut, List<String> errors) {
    public PingResult {
        replies = List.copyOf(replies);
        timedOut = List.copyOf(timedOut);
        errors = List.copyOf(errors);
    }

    /**
     * One echo reply.
     *
     * @param sequence its ICMP sequence number (from 1)
     * @param rttNanos virtual round-trip time
     * @param ttl the reply's TTL (hop limit for IPv6)
     */
    public record Reply(int sequence, long rttNanos, int ttl) {
        public Duration rtt() {
            return Duration.ofNanos(rttNanos);
        }
    }

    public int received() {
        return replies.size();
    }

    /** True when every request was sent and answered. */
    public boolean success() {
        return transmitted > 0 && errors.isEmpty() && replies.size() == transmitted;
    }

    /** True when nothing came back. */
    public boolean failure() {
        return replies.isEmpty();
    }

    /** Whole percent of transmitted requests unanswered, as ping rounds it. */
    public int lossPercent() {
        return transmitted == 0 ? 100 : (transmitted - replies.size()) * 100 / transmitted;
    }

    /** {@code 3 packets transmitted, 3 received, 0% packet loss} (with {@code +N errors} as ping adds them). */
    public String summary() {
        return transmitted + " packets transmitted, " + replies.size() + " received, "
                + (errors.isEmpty() ? "" : "+" + errors.size() + " errors, ") + lossPercent() + "% packet loss";
    }
}
