package io.jvswitch.datapath.cache;

import io.jvswitch.ofproto.classifier.Classified;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.table.Rule;
import io.jvswitch.ofproto.xlate.DatapathAction;
import io.jvswitch.ofproto.xlate.SideEffect;
import io.jvswitch.ofproto.xlate.Translation;
import io.jvswitch.wire.DropReason;

/**
 * One cached translation — Open vSwitch's datapath flow: every packet matching {@link #megaflow()} gets the same
 * {@link #actions()}. It counts its own packets; the flows it went through are credited in batches ({@link
 * #pushStats}), and its side effects (learning) are replayed at most once a second while packets keep coming, as Open
 * vSwitch's revalidators do.
 */
public final class MegaflowEntry implements Classified {
    /** How often a busy entry replays its learning: learned flows' hard timers are refreshed with this granularity. */
    public static final long REPLAY_INTERVAL_MILLIS = 1000;

    private final Translation translation;
    private final DatapathAction[] actions;
    private final Rule[] rules;
    private final SideEffect[] sideEffects;
    private volatile boolean alive = true;
    private long packets;
    private long bytes;
    private long usedMillis;
    private long lastReplayMillis;
    private long pushedPackets;
    private long pushedBytes;

    MegaflowEntry(Translation translation, long nowMillis) {
        this.translation = translation;
        this.actions = translation.actions().toArray(new DatapathAction[0]);
        this.rules = translation.rules().toArray(new Rule[0]);
        this.sideEffects = translation.sideEffects().toArray(new SideEffect[0]);
        this.usedMillis = nowMillis;
        this.lastReplayMillis = nowMillis;
    }

    @Override
    public Match match() {
        return translation.megaflow();
    }

    /** Megaflows never overlap in what they decide (each holds every bit its decision read): priority is moot. */
    @Override
    public int priority() {
        return 0;
    }

    public Match megaflow() {
        return translation.megaflow();
    }

    /** The datapath actions, as an array for the hot path; callers must not modify it. */
    public DatapathAction[] actions() {
        return actions;
    }

    public Translation translation() {
        return translation;
    }

    /** Why these packets are dropped, or null when they go somewhere. */
    public DropReason dropReason() {
        return translation.dropReason();
    }

    /** False once a flow change made this entry stale: it must not be used any more. */
    public boolean isAlive() {
        return alive;
    }

    void kill() {
        alive = false;
    }

    /** Counts one packet and, at most once a second, replays the translation's learning. */
    public void hit(int length, long nowMillis) {
        packets++;
        bytes += length;
        usedMillis = nowMillis;
        if (sideEffects.length > 0 && nowMillis - lastReplayMillis >= REPLAY_INTERVAL_MILLIS) {
            lastReplayMillis = nowMillis;
            for (SideEffect effect : sideEffects) {
                effect.replay(nowMillis);
            }
        }
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    public long usedMillis() {
        return usedMillis;
    }

    /** Credits the flows this entry went through with what it counted since the last push. */
    public void pushStats() {
        long newPackets = packets - pushedPackets;
        long newBytes = bytes - pushedBytes;
        if (newPackets == 0) {
            return;
        }
        for (Rule rule : rules) {
            rule.addStats(newPackets, newBytes, usedMillis);
        }
        pushedPackets = packets;
        pushedBytes = bytes;
    }
}
