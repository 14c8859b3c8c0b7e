package io.jvswitch.wire.pcap;

import java.io.IOException;
import java.io.Serial;

/** A file that is not a classic pcap file, or that breaks the format; the message names the file and the fault. */
public final class PcapFormatException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    public PcapFormatException(String message) {
        super(message);
    }
}
