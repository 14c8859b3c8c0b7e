package io.jvswitch.ofproto.action;

/**
 * Continues the pipeline in a later table once this flow's actions are done (OpenFlow 1.1's goto-table
 * instruction): {@code goto_table:2}. It comes last in the list, and only goes forward.
 */
public record GotoTable(int table) implements Action {
    @Override
    public void format(StringBuilder out) {
        out.append("goto_table:").append(table);
    }

    @Override
    public void validate() {
        Checks.table(table);
    }

    @Override
    public void check(ActionContext context) {
        validate();
        if (table <= context.tableId()) {
            throw new IllegalArgumentException("table " + table + " is not after this flow's table "
                    + context.tableId()
                    + (context.tableId() == Checks.MAX_TABLE
                            ? " (goto_table only goes forward, and 254 is the last table)"
                            : " (goto_table only goes forward: to tables " + (context.tableId() + 1) + " to 254)"));
        }
    }
}
