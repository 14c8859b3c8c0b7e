package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Ports;

/**
 * Looks the packet up again, in {@code table} and as if it had come in on {@code port}, runs the actions of the flow
 * it matches, and carries on here: {@code resubmit:3} (table unchanged), {@code resubmit(,2)} (in_port unchanged),
 * {@code resubmit(3,2)}.
 *
 * <p>OVS treats {@code IN_PORT} as "in_port unchanged", so {@code resubmit(IN_PORT,2)} is {@code resubmit(,2)}: the
 * constructor turns {@link Ports#IN_PORT} into -1.
 *
 * @param port the in_port for the lookup, or -1 to leave it as it is
 * @param table the table to look in (0 to 254), or -1 for this flow's table
 */
public record Resubmit(int port, int table) implements Action {
    public Resubmit {
        if (port == Ports.IN_PORT) {
            port = -1;
        }
    }

    /** {@code resubmit(,table)}: the packet's in_port, another table. */
    public static Resubmit toTable(int table) {
        return new Resubmit(-1, table);
    }

    @Override
    public void format(StringBuilder out) {
        if (port >= 0 && table < 0) {
            out.append("resubmit:").append(Ports.name(port));
            return;
        }
        out.append("resubmit(");
        if (port >= 0) {
            out.append(Ports.name(port));
        }
        out.append(',');
        if (table >= 0) {
            out.append(table);
        }
        out.append(')');
    }

    @Override
    public void validate() {
        if (port == -1 && table == -1) {
            throw new IllegalArgumentException("resubmit needs a port, a table or both"
                    + " (resubmit:PORT, resubmit(,TABLE), resubmit(PORT,TABLE))");
        }
        if (port != -1) {
            Checks.port(port);
        }
        if (table != -1) {
            Checks.table(table);
        }
    }
}
