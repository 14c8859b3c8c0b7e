package io.jvswitch.ofproto.action;

import io.jvswitch.wire.MacAddress;

/** Sets the Ethernet destination address: {@code mod_dl_dst:fa:16:3e:00:00:01}. */
public record ModDlDst(long mac) implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("mod_dl_dst:").append(MacAddress.format(mac));
    }

    @Override
    public void validate() {
        Checks.fits(mac, 48);
    }
}
