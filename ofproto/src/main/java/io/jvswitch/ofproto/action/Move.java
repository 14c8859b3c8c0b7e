package io.jvswitch.ofproto.action;

/**
 * Copies bits from one field to another of the same width: {@code move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]}, {@code
 * move:NXM_NX_REG0[0..11]->NXM_OF_VLAN_TCI[0..11]}.
 */
public record Move(SubField source, SubField destination) implements Action {
    public Move {
        if (source == null || destination == null) {
            throw new IllegalArgumentException("move needs a source and a destination");
        }
    }

    @Override
    public void format(StringBuilder out) {
        out.append("move:").append(source).append("->").append(destination);
    }

    @Override
    public void validate() {
        Checks.sameWidth(source, destination);
        Checks.writable(destination.field(), destination.field().actionName());
    }

    @Override
    public void check(ActionContext context) {
        validate();
        Checks.prerequisite(source.field(), source.field().actionName(), context.match());
        Checks.prerequisite(destination.field(), destination.field().actionName(), context.match());
    }
}
