package io.jvswitch.lab.underlay;

/**
 * A frame as a segment's tap saw it.
 *
 * @param segment the segment's name
 * @param timeNanos virtual time it went on the wire
 * @param frame its bytes (owned by the record)
 */
public record CapturedFrame(String segment, long timeNanos, byte[] frame) {}
