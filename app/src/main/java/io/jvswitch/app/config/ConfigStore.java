package io.jvswitch.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The switch's configuration on disk, as JSON, written so that a crash at any moment — kill -9 included — leaves
 * either the old file or the new one, never a torn one: the new content goes to a temporary file in the same folder,
 * is forced to disk, renamed over the old one atomically, and the folder itself is forced so the rename survives a
 * power cut.
 */
public final class ConfigStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    public ConfigStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /** The stored configuration, or a new empty one (not yet written) when the file does not exist. */
    public SwitchDb load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return SwitchDb.empty();
        }
        try {
            return JSON.readValue(bytes, SwitchDb.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not a jvswitch configuration: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code db} atomically and durably. */
    public void save(SwitchDb db) throws IOException {
        Path folder = file.getParent();
        Files.createDirectories(folder);
        Path temporary = folder.resolve(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(db)));
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(folder + " does not support atomic renames; keep the database on a local disk", e);
        }
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
