package io.jvswitch.ofproto.action;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Does nothing: carries bytes for the controller's own bookkeeping, {@code note:00.01.02} (hex bytes separated by
 * dots; the dots may be left out when reading).
 */
public record Note(byte[] data) implements Action {
    public Note {
        if (data == null) {
            throw new IllegalArgumentException("a note needs its bytes (none is an empty array)");
        }
        data = data.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public void format(StringBuilder out) {
        out.append("note:");
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < data.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            hex.toHexDigits(out, data[i]);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Note note && Arrays.equals(data, note.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return text();
    }
}
