package io.jvswitch.wire.l3;

/**
 * IP protocol numbers (the IPv4 Protocol field and the IPv6 Next Header field share one IANA registry), the ones a
 * virtual switch parses or must step over.
 *
 * <pre>
 *  IPv4 (RFC 791), byte 9:            IPv6 (RFC 8200), byte 6, and the first byte
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  of every extension header:
 *  | Time to Live  |   Protocol    |  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  |  Next Header  |  Hop Limit    |
 *                                     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class IpProtocol {
    /** IPv6 Hop-by-Hop Options (RFC 8200). */
    public static final int HOPOPT = 0;

    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    /** IPv6 encapsulated in IP (RFC 2473, RFC 4213). */
    public static final int IPV6 = 41;
    /** IPv6 Routing header. */
    public static final int ROUTING = 43;
    /** IPv6 Fragment header. */
    public static final int FRAGMENT = 44;

    public static final int GRE = 47;
    /** Encapsulating Security Payload (RFC 4303): what follows it is encrypted. */
    public static final int ESP = 50;
    /** Authentication Header (RFC 4302). */
    public static final int AH = 51;

    public static final int ICMPV6 = 58;
    /** Stream Control Transmission Protocol (RFC 9260): ports where TCP and UDP have theirs. */
    public static final int SCTP = 132;
    /** Nothing follows the header (RFC 8200). */
    public static final int NO_NEXT_HEADER = 59;
    /** IPv6 Destination Options. */
    public static final int DESTINATION_OPTIONS = 60;
    /** Mobility header (RFC 6275). */
    public static final int MOBILITY = 135;
    /** Host Identity Protocol (RFC 7401). */
    public static final int HIP = 139;
    /** Shim6 (RFC 5533). */
    public static final int SHIM6 = 140;

    private IpProtocol() {}

    /**
     * A short lower-case name for printing ({@code tcp}, {@code udp}, {@code gre}, {@code icmpv6}, ...), or the number
     * as decimal text when it has none here. Allocates only for unnamed numbers; for traces and dumps, not per packet.
     */
    public static String name(int protocol) {
        return switch (protocol) {
            case HOPOPT -> "hopopt";
            case ICMP -> "icmp";
            case TCP -> "tcp";
            case UDP -> "udp";
            case IPV6 -> "ipv6";
            case ROUTING -> "ipv6-route";
            case FRAGMENT -> "ipv6-frag";
            case GRE -> "gre";
            case ESP -> "esp";
            case AH -> "ah";
            case ICMPV6 -> "icmpv6";
            case NO_NEXT_HEADER -> "ipv6-nonxt";
            case DESTINATION_OPTIONS -> "ipv6-opts";
            case MOBILITY -> "mobility";
            case HIP -> "hip";
            case SHIM6 -> "shim6";
            default -> Integer.toString(protocol);
        };
    }

    /**
     * True for the IPv6 extension headers of RFC 8200 section 4 and the IANA "IPv6 Extension Header Types" registry:
     * Hop-by-Hop, Routing, Fragment, ESP, AH, Destination Options, Mobility, HIP and Shim6. (The experimental numbers
     * 253 and 254 are left out: nothing here walks them.)
     */
    public static boolean isIpv6Extension(int protocol) {
        return switch (protocol) {
            case HOPOPT, ROUTING, FRAGMENT, ESP, AH, DESTINATION_OPTIONS, MOBILITY, HIP, SHIM6 -> true;
            default -> false;
        };
    }
}
