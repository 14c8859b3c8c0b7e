package io.jvswitch.lab.guest;

import io.jvswitch.lab.IpPrefix;
import io.jvswitch.lab.time.Scheduler;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A ping in progress: echo requests go out at their interval as virtual time runs, replies and timeouts are recorded
 * as they happen. {@link #await} runs the scheduler until every request is answered, timed out or refused.
 */
public final class Ping {
    private final Scheduler scheduler;
    private final InetAddress destination;
    private final PingOptions options;
    private final int identifier;
    private final Map<Integer, Long> sentAt = new HashMap<>();
    private final Set<Integer> settled = new HashSet<>();
    private final List<PingResult.Reply> replies = new ArrayList<>();
    private final List<Integer> timedOut = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private int transmitted;
    private int late;

    Ping(Scheduler scheduler, InetAddress destination, PingOptions options, int identifier) {
        this.scheduler = scheduler;
        this.destination = destination;
        this.options = options;
        this.identifier = identifier;
    }

    public InetAddress destination() {
        return destination;
    }

    public PingOptions options() {
        return options;
    }

    /** The ICMP identifier of this ping's requests. */
    public int identifier() {
        return identifier;
    }

    /** True once every request has been answered, timed out or refused. */
    public boolean isDone() {
        return settled.size() == options.count();
    }

    /** Replies that came after their timeout, or twice: ignored, as ping ignores them. */
    public int lateReplies() {
        return late;
    }

    /** What has happened so far (the whole story once {@link #isDone}). */
    public PingResult result() {
        List<PingResult.Reply> sorted = new ArrayList<>(replies);
        sorted.sort((a, b) -> Integer.compare(a.sequence(), b.sequence()));
        List<Integer> timeouts = new ArrayList<>(timedOut);
        timeouts.sort(null);
        return new PingResult(IpPrefix.format(destination), transmitted, sorted, timeouts, errors);
    }

    /**
     * Runs virtual time until the ping is done and returns its result.
     *
     * @throws IllegalStateException when the scheduler runs dry first (cannot happen while timeouts are pending)
     */
    public PingResult await() {
        while (!isDone()) {
            if (!scheduler.runNext()) {
                throw new IllegalStateException(
                        "the scheduler ran dry before the ping to " + IpPrefix.format(destination) + " was done");
            }
        }
        return result();
    }

    void sent(int sequence) {
        transmitted++;
        sentAt.put(sequence, scheduler.now());
        scheduler.after(options.timeout(), () -> {
            if (settled.add(sequence)) {
                timedOut.add(sequence);
            }
        });
    }

    void refused(int sequence, String why) {
        errors.add("icmp_seq=" + sequence + ": " + why);
        settled.add(sequence);
    }

    void replied(int sequence, int ttl) {
        Long sent = sentAt.get(sequence);
        if (sent == null || !settled.add(sequence)) {
            late++;
            return;
        }
        replies.add(new PingResult.Reply(sequence, scheduler.now() - sent, ttl));
    }
}
