package io.jvswitch.lab.guest;

import java.time.Duration;
import java.util.Objects;

/**
 * How to ping, as {@code ping -c COUNT -i INTERVAL -W TIMEOUT -s SIZE} would.
 *
 * @param count echo requests to send
 * @param interval time between requests
 * @param timeout how long to wait for each reply
 * @param size bytes of echo data after the ICMP header (56 makes the 98-byte frames ping sends)
 */
public record PingOptions(int count, Duration interval, Duration timeout, int size) {
    public static final PingOptions DEFAULT = new PingOptions(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 56);

    public PingOptions {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (count < 1) {
            throw new IllegalArgumentException("ping count must be at least 1, not " + count);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("ping interval must be positive, not " + interval);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ping timeout must be positive, not " + timeout);
        }
        if (size < 0 || size > 65507) {
            throw new IllegalArgumentException("ping size must be 0 to 65507, not " + size);
        }
    }

    public static PingOptions count(int count) {
        return DEFAULT.withCount(count);
    }

    public PingOptions withCount(int newCount) {
        return new PingOptions(newCount, interval, timeout, size);
    }

    public PingOptions withInterval(Duration newInterval) {
        return new PingOptions(count, newInterval, timeout, size);
    }

    public PingOptions withTimeout(Duration newTimeout) {
        return new PingOptions(count, interval, newTimeout, size);
    }

    public PingOptions withSize(int newSize) {
        return new PingOptions(count, interval, timeout, newSize);
    }
}
