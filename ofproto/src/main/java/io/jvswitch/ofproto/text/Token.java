package io.jvswitch.ofproto.text;

/**
 * One {@code key=value} (or bare {@code key}) of a flow's text, with where it stands, so that errors can point at it.
 *
 * @param value null for a bare key such as {@code arp}
 * @param position offset of the key in the text
 * @param length length of the whole token
 */
public record Token(String key, String value, int position, int length) {
    /** Offset of the value in the text. */
    public int valuePosition() {
        return position + key.length() + 1;
    }
}
