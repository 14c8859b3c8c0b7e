package io.jvswitch.lab.topology;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The type of a tenant network, as Neutron's {@code provider:network_type}: tunnelled ({@code gre}, {@code vxlan}),
 * or {@code local}, a network that stays on its host and is reached only by routing (a router's LAN: the tutorial's
 * first example).
 */
public enum NetworkType {
    GRE(0xffff_ffffL),
    VXLAN(0xff_ffffL),
    /** On one host only: nothing tunnels it, so it has no segmentation ID. */
    LOCAL(-1);

    private final long maxSegmentationId;

    NetworkType(long maxSegmentationId) {
        this.maxSegmentationId = maxSegmentationId;
    }

    /** The largest segmentation ID: a 32-bit GRE key, a 24-bit VNI; -1 for a local network, which has none. */
    public long maxSegmentationId() {
        return maxSegmentationId;
    }

    /** True for the types whose networks have a segmentation ID: the tunnelled ones. */
    public boolean tunnelled() {
        return maxSegmentationId >= 0;
    }

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
