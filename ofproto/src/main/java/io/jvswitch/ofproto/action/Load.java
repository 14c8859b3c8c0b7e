package io.jvswitch.ofproto.action;

/**
 * Writes a constant into some bits of a field, leaving its other bits alone: {@code load:0x1388->NXM_NX_TUN_ID[]},
 * {@code load:0->NXM_OF_VLAN_TCI[]}, {@code load:0x5->NXM_NX_REG0[0..3]}.
 *
 * @param value the bits to write, in the low {@code destination.bits()} bits (unsigned; at most 64 of them)
 */
public record Load(long value, SubField destination) implements Action {
    public Load {
        if (destination == null) {
            throw new IllegalArgumentException("load needs a destination");
        }
    }

    @Override
    public void format(StringBuilder out) {
        out.append("load:").append(Values.hex(value)).append("->").append(destination);
    }

    @Override
    public void validate() {
        Checks.fits(value, destination.bits());
        Checks.writable(destination.field(), destination.field().actionName());
    }

    @Override
    public void check(ActionContext context) {
        validate();
        Checks.prerequisite(destination.field(), destination.field().actionName(), context.match());
    }
}
