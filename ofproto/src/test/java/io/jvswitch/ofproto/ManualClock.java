package io.jvswitch.ofproto;

import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when told: timeouts and ages tested in virtual time. */
public final class ManualClock implements InstantSource {
    private long millis;

    public ManualClock(long millis) {
        this.millis = millis;
    }

    public void set(long newMillis) {
        this.millis = newMillis;
    }

    public void advanceSeconds(long seconds) {
        this.millis += seconds * 1000;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
