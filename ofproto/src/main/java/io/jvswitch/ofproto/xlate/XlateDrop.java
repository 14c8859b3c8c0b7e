package io.jvswitch.ofproto.xlate;

import io.jvswitch.wire.DropReason;

/** Why translation left a packet with nowhere to go. */
public enum XlateDrop implements DropReason {
    TABLE_MISS("no flow matched in a table (OpenFlow's table miss drops)"),
    NO_OUTPUT("the matching flows' actions sent the packet nowhere (actions=drop, or no output)"),
    RESUBMIT_DEPTH("resubmits nested deeper than 64"),
    RESUBMIT_LIMIT("more than 4096 resubmits for one packet"),
    TTL_EXCEEDED("dec_ttl found TTL 0 or 1");

    private final String description;

    XlateDrop(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }
}
