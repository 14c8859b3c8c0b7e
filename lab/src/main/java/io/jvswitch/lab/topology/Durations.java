package io.jvswitch.lab.topology;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as topologies write them: {@code 300s}, {@code 1.5s}, {@code 100ms}, {@code 250us}, {@code 2m}. */
public final class Durations {
    private Durations() {}

    /**
     * Parses a number with a unit ({@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}); a bare number
     * is seconds. Fractions are allowed ({@code 1.5s}); the result is whole nanoseconds.
     *
     * @throws IllegalArgumentException naming the text when it is not a duration, or is negative
     */
    public static Duration parse(String text) {
        String trimmed = text.strip();
        int split = 0;
        while (split < trimmed.length() && (Character.isDigit(trimmed.charAt(split)) || trimmed.charAt(split) == '.')) {
            split++;
        }
        String number = trimmed.substring(0, split);
        String unit = trimmed.substring(split).strip();
        long nanosPerUnit = switch (unit) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "", "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> -1;
        };
        if (number.isEmpty()
                || nanosPerUnit < 0
                || number.chars().filter(c -> c == '.').count() > 1) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration (a number and a unit: ns, us, ms, s, m or h, as in 300s)");
        }
        BigDecimal nanos = new BigDecimal(number).multiply(BigDecimal.valueOf(nanosPerUnit));
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of nanoseconds, or too long");
        }
    }

    /** The shortest text {@link #parse} reads back as {@code duration}: {@code 300s}, {@code 100us}. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }
}
