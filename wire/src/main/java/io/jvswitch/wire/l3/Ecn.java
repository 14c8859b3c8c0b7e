package io.jvswitch.wire.l3;

/**
 * Explicit Congestion Notification codepoints (RFC 3168 section 5): the low two bits of the IPv4 TOS byte and of the
 * IPv6 Traffic Class, below the six-bit DSCP. Tunnels copy and combine them by RFC 6040.
 *
 * <pre>
 *    0   1   2   3   4   5   6   7
 *  +---+---+---+---+---+---+---+---+
 *  |          DSCP         |  ECN  |
 *  +---+---+---+---+---+---+---+---+
 *
 *  ECN  0 0  Not-ECT   not ECN-capable transport
 *       0 1  ECT(1)    ECN-capable transport
 *       1 0  ECT(0)    ECN-capable transport
 *       1 1  CE        congestion experienced
 * </pre>
 */
public final class Ecn {
    public static final int NOT_ECT = 0;
    public static final int ECT_1 = 1;
    public static final int ECT_0 = 2;
    public static final int CE = 3;

    /** The two ECN bits of a TOS or Traffic Class byte. */
    public static final int MASK = 0x3;

    private Ecn() {}

    /**
     * The RFC 3168 name: {@code Not-ECT}, {@code ECT(1)}, {@code ECT(0)} or {@code CE}; anything outside 0-3 prints as
     * its decimal value.
     */
    public static String name(int ecn) {
        return switch (ecn) {
            case NOT_ECT -> "Not-ECT";
            case ECT_1 -> "ECT(1)";
            case ECT_0 -> "ECT(0)";
            case CE -> "CE";
            default -> Integer.toString(ecn);
        };
    }
}
