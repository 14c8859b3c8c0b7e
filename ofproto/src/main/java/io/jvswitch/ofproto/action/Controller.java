package io.jvswitch.ofproto.action;

/**
 * Sends the packet to the controller as a packet-in with up to {@code maxLength} bytes of it: {@code
 * CONTROLLER:65535}. Reads {@code controller} (all of the packet, 65535), {@code controller:100}, {@code
 * controller(max_len=100)} and {@code output:CONTROLLER}.
 */
public record Controller(int maxLength) implements Action {
    /** OVS's default: the whole packet. */
    public static final int ALL_OF_IT = 65535;

    @Override
    public void format(StringBuilder out) {
        out.append("CONTROLLER:").append(maxLength);
    }

    @Override
    public void validate() {
        Checks.range(maxLength, 65535, "max_len");
    }
}
