package io.jvswitch.ofproto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The tutorial's br-tun, as its ovs-ofctl dump-flows shows it (test resource copied verbatim from the spec). */
public final class Tutorial {
    private Tutorial() {}

    /** Every line of the dump, the NXST_FLOW header included. */
    public static List<String> dumpLines() {
        try (InputStream in = Tutorial.class.getResourceAsStream("/tutorial-br-tun.dump")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flow lines alone. */
    public static List<String> flowLines() {
        return dumpLines().stream().filter(line -> line.startsWith(" cookie=")).toList();
    }
}
