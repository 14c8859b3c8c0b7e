package io.jvswitch.lab.topology;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The tunnel type of a tenant network, as Neutron's {@code provider:network_type}. */
public enum NetworkType {
    GRE(0xffff_ffffL),
    VXLAN(0xff_ffffL);

    private final long maxSegmentationId;

    NetworkType(long maxSegmentationId) {
        this.maxSegmentationId = maxSegmentationId;
    }

    /** The largest segmentation ID: a 32-bit GRE key, a 24-bit VNI. */
    public long maxSegmentationId() {
        return maxSegmentationId;
    }

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
