package io.jvswitch.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The switch's configuration on disk, as JSON, written so that a crash at any moment — kill -9 included — leaves
 * either the old file or the new one, never a torn one: the new content goes to a temporary file in the same folder,
 * is forced to disk, renamed over the old one atomically, and the folder itself is forced so the rename survives a
 * power cut.
 */
public final class ConfigStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule("instants")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new InstantDeserializer()));

    /** Instants as ISO-8601 text in UTC ({@code 2026-01-01T00:00:03.250Z}), readable in the file and exact. */
    private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            String text = parser.getText();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(
                        Instant.class, text, "not an instant such as 2026-01-01T00:00:03Z");
            }
        }
    }

    /** Where a test can stop a save as a crash would: after the temporary file is written, before the rename. */
    interface CrashPoint {
        void beforeRename(Path temporary) throws IOException;
    }

    private final Path file;
    private final CrashPoint crashPoint;

    public ConfigStore(Path file) {
        this(file, temporary -> {});
    }

    ConfigStore(Path file, CrashPoint crashPoint) {
        this.file = file.toAbsolutePath();
        this.crashPoint = crashPoint;
    }

    public Path file() {
        return file;
    }

    /**
     * The stored configuration, or a new empty one (not yet written) when the file does not exist.
     *
     * @throws IOException when the file cannot be read or is not a configuration: the message names the file and,
     *     for bad JSON, the line and column, so that nobody starts a switch over a database it would then overwrite
     */
    public SwitchDb load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return SwitchDb.empty();
        }
        if (bytes.length == 0) {
            // Saves never leave an empty file, so something else truncated it: refuse rather than start empty.
            throw new IOException(file + ": is empty, not a jvswitch configuration (restore it, or delete it to start"
                    + " an empty switch)");
        }
        try {
            return JSON.readValue(bytes, SwitchDb.class);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String position = where == null || where.getLineNr() < 1
                    ? ""
                    : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": ";
            throw new IOException(
                    file + ": " + position + "not a jvswitch configuration: " + firstLine(e.getOriginalMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
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
        crashPoint.beforeRename(temporary);
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
