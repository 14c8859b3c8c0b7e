package io.jvswitch.ofproto.action;

import io.jvswitch.wire.MacAddress;

/** Sets the Ethernet source address: {@code mod_dl_src:fa:16:3e:00:00:01}. */
public record ModDlSrc(long mac) implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("mod_dl_src:").append(MacAddress.format(mac));
    }

    @Override
    public void validate() {
        Checks.fits(mac, 48);
    }
}
