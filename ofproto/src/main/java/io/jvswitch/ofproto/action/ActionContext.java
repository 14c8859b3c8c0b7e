package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Match;

/**
 * Where a flow's actions will run, for {@link Action#check}: {@code goto_table} must go forward from {@code tableId},
 * and actions that write or read a field need the field's prerequisites in {@code match} ({@code mod_nw_src} needs
 * {@code ip}).
 *
 * @param tableId the table the flow lives in, 0 to 254
 * @param match the flow's match
 */
public record ActionContext(int tableId, Match match) {
    public ActionContext {
        Checks.table(tableId);
        if (match == null) {
            throw new IllegalArgumentException("an action context needs the flow's match");
        }
    }
}
