package io.jvswitch.tunnel;

/**
 * ECN across a tunnel in RFC 6040's normal mode, which RFC 9601 now asks of GRE as well as of IP-in-IP and VXLAN.
 *
 * <p>Encapsulation copies the inner ECN field to the outer header, CE included. Decapsulation combines the two per
 * RFC 6040 figure 4:
 *
 * <pre>
 * +---------+------------------------------------------------+
 * |Arriving |            Arriving Outer Header               |
 * |   Inner +---------+------------+------------+------------+
 * |  Header | Not-ECT | ECT(0)     | ECT(1)     |     CE     |
 * +---------+---------+------------+------------+------------+
 * | Not-ECT | Not-ECT |Not-ECT(!!!)|Not-ECT(!!!)| &lt;drop&gt;(!!!)|
 * |  ECT(0) |  ECT(0) | ECT(0)     | ECT(1)     |     CE     |
 * |  ECT(1) |  ECT(1) | ECT(1) (!) | ECT(1)     |     CE     |
 * |    CE   |      CE |     CE     |     CE(!!!)|     CE     |
 * +---------+---------+------------+------------+------------+
 * </pre>
 *
 * <p>The (!!!) combinations are currently unused by any standard: a decapsulator should raise an alarm, which
 * jvswitch does by counting them ({@link #isUnexpected}).
 */
public final class EcnPropagation {
    public static final int NOT_ECT = 0;
    public static final int ECT_1 = 1;
    public static final int ECT_0 = 2;
    public static final int CE = 3;

    /** {@link #decapsulate}'s answer when the packet must be dropped: CE arrived over a Not-ECT inner packet. */
    public static final int DROP = -1;

    private EcnPropagation() {}

    /** The outer ECN field for an inner packet with ECN field {@code inner} (Not-ECT for non-IP payloads). */
    public static int encapsulate(int inner) {
        return inner & 3;
    }

    /** The inner ECN field to forward after decapsulation, or {@link #DROP}. */
    public static int decapsulate(int inner, int outer) {
        if (outer == CE) {
            return inner == NOT_ECT ? DROP : CE;
        }
        if (outer == ECT_1 && inner == ECT_0) {
            return ECT_1;
        }
        return inner;
    }

    /** True for the (!!!) combinations of the table above. */
    public static boolean isUnexpected(int inner, int outer) {
        return (inner == NOT_ECT && outer != NOT_ECT) || (inner == CE && outer == ECT_1);
    }
}
