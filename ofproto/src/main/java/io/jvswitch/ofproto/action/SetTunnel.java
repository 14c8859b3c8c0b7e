package io.jvswitch.ofproto.action;

/**
 * Sets the tunnel ID (the GRE key or VXLAN VNI) that output to a tunnel port will use: {@code set_tunnel:0x1388}
 * (Nicira's 32-bit action) or {@code set_tunnel64:0x1388} (the 64-bit one).
 *
 * <p>As in OVS, an ID that needs more than 32 bits is always the 64-bit action ({@code set_tunnel:0x100000000} prints
 * as {@code set_tunnel64:0x100000000}): the constructor sets {@code wide} for it.
 *
 * @param wide true for {@code set_tunnel64}
 */
public record SetTunnel(long id, boolean wide) implements Action {
    public SetTunnel {
        wide = wide || (id >>> 32) != 0;
    }

    /** {@code set_tunnel:id}. */
    public SetTunnel(long id) {
        this(id, false);
    }

    @Override
    public void format(StringBuilder out) {
        out.append(wide ? "set_tunnel64:" : "set_tunnel:").append(Values.hex(id));
    }
}
