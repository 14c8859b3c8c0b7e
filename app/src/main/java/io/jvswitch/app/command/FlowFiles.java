package io.jvswitch.app.command;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading files of flows: what cannot be read is an {@link IOException} that names the file and says why. */
final class FlowFiles {
    private FlowFiles() {}

    /** The file's lines; a missing or denied file fails as {@code Jvs} reports it (its path and the problem). */
    static List<String> read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a file of flows");
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": is not a text file of flows (not UTF-8)", e);
        }
    }
}
