package io.jvswitch.ofproto.action;

/**
 * One OpenFlow action, as data: what a flow does to the packets it matches. A flow's actions are a {@code
 * List<Action>}; the empty list is {@code drop}.
 *
 * <p>Each action is one immutable record, and the set is closed, so code that runs actions switches over them:
 *
 * <pre>{@code
 * switch (action) {
 *     case Output o -> ...
 *     case Resubmit r -> ...
 *     ...
 * }
 * }</pre>
 *
 * <p>Records hold what the text says, canonicalised where OVS treats two spellings as one action (see each record),
 * and are checked in two steps: {@link #validate()} for what holds anywhere (ranges, widths, writable fields), which
 * {@link ActionParser#parse} applies to what it reads; and {@link #check(ActionContext)} for what depends on where the
 * flow lives (its table and match), applied when the flow is added.
 */
public sealed interface Action
        permits Output,
                OutputField,
                Controller,
                Resubmit,
                GotoTable,
                ModVlanVid,
                ModVlanPcp,
                StripVlan,
                PushVlan,
                PopVlan,
                SetTunnel,
                SetField,
                Load,
                Move,
                ModDlSrc,
                ModDlDst,
                ModNwSrc,
                ModNwDst,
                ModNwTos,
                DecTtl,
                Note,
                Learn {
    /** Appends this action in ovs-ofctl syntax. */
    void format(StringBuilder out);

    /** This action in ovs-ofctl syntax. */
    default String text() {
        StringBuilder out = new StringBuilder();
        format(out);
        return out.toString();
    }

    /**
     * Checks what does not depend on where the action runs: values in range, widths that agree, fields that may be
     * written; throws {@link IllegalArgumentException} with a user-facing message.
     */
    default void validate() {}

    /**
     * Checks the action against where it will run (and {@link #validate()}s it); throws {@link
     * IllegalArgumentException} with a user-facing message.
     */
    default void check(ActionContext context) {
        validate();
    }
}
