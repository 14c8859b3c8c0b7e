package io.jvswitch.wire;

import java.util.Locale;

/**
 * Why a packet was dropped. Every drop on the datapath carries one, so that counters and traces can say what
 * happened. Enums implement this: the codecs' {@link Malformed}, and the reasons later layers add.
 */
public interface DropReason {
    /** The enum constant's name, for example {@code IPV4_BAD_CHECKSUM}. */
    String name();

    /** One sentence a user can act on, for example "IPv4 header checksum is wrong". */
    String description();

    /** The name as counters print it: lower case, for example {@code ipv4_bad_checksum}. */
    default String counterName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
