package io.jvswitch.app.demo;

import io.jvswitch.lab.Lab;
import io.jvswitch.lab.jvs.JvsSwitching;
import io.jvswitch.wire.pcap.PcapWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pcap per hop of a lab: one per underlay segment ({@code underlay.pcap}) and one per VM port ({@code vm1.pcap}),
 * stamped with virtual time. Start it before the switches are attached, so that the VM ports are tapped.
 */
final class LabCaptures implements Closeable {
    private final Path directory;
    private final Map<String, PcapWriter> vmPorts = new LinkedHashMap<>();
    private final List<Path> segments;

    private LabCaptures(Path directory, Lab lab, JvsSwitching switching) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory);
        try {
            for (String vm : lab.vms().keySet()) {
                vmPorts.put(vm, PcapWriter.create(vmFile(vm)));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        switching.tapVmPorts(frame -> {
            try {
                vmPorts.get(frame.segment()).write(frame.timeNanos(), frame.frame());
            } catch (IOException e) {
                throw new UncheckedIOException("capture of " + frame.segment() + " to " + vmFile(frame.segment()), e);
            }
        });
        this.segments = lab.captureAll(directory);
    }

    static LabCaptures start(Path directory, Lab lab, JvsSwitching switching) throws IOException {
        return new LabCaptures(directory, lab, switching);
    }

    Path vmFile(String vm) {
        return directory.resolve(vm + ".pcap");
    }

    /** The segments' files, in topology order. */
    List<Path> segmentFiles() {
        return segments;
    }

    /** Every file: the segments', then the VM ports'. */
    List<Path> files() {
        List<Path> files = new ArrayList<>(segments);
        vmPorts.keySet().forEach(vm -> files.add(vmFile(vm)));
        return files;
    }

    /** Closes the VM ports' files (the lab closes the segments' when it closes). */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (PcapWriter writer : vmPorts.values()) {
            try {
                writer.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
