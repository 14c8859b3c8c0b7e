package io.jvswitch.ofproto.action;

/**
 * Sends the packet out of the port whose number is in a field: {@code output:NXM_NX_REG0[]}, {@code
 * output:NXM_NX_REG1[0..15]}.
 */
public record OutputField(SubField source) implements Action {
    public OutputField {
        if (source == null) {
            throw new IllegalArgumentException("output needs a source field");
        }
    }

    @Override
    public void format(StringBuilder out) {
        out.append("output:").append(source);
    }

    @Override
    public void check(ActionContext context) {
        validate();
        Checks.prerequisite(source.field(), source.field().actionName(), context.match());
    }
}
