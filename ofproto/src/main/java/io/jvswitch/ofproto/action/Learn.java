package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Field;
import java.util.List;

/**
 * Adds (or refreshes) a flow built from this packet: the learning switch of Neutron's br-tun, {@code
 * learn(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[])}.
 *
 * <p>The parameters are those of OVS's learn action, with its defaults: table 1, priority 32768, no timeouts (0),
 * cookie 0. It prints as OVS's {@code learn_format} (lib/learn.c) does: {@code table=N} first, then {@code
 * idle_timeout}, {@code hard_timeout}, {@code fin_idle_timeout}, {@code fin_hard_timeout}, {@code priority} and
 * {@code cookie} when they differ from the defaults, in that order whatever order they were written in, then the
 * specs in their order.
 *
 * @param table the table the learned flow goes in, 0 to 254
 * @param idleTimeout seconds without a packet before the learned flow expires; 0 for never
 * @param hardTimeout seconds before the learned flow expires whatever happens; 0 for never
 * @param finIdleTimeout the idle timeout once the learned flow has seen a TCP FIN or RST; 0 for none
 * @param finHardTimeout the hard timeout once the learned flow has seen a TCP FIN or RST; 0 for none
 * @param priority the learned flow's priority, 0 to 65535
 * @param cookie the learned flow's cookie
 * @param specs what the learned flow matches and does, in order
 */
public record Learn(
        int table,
        int idleTimeout,
        int hardTimeout,
        int finIdleTimeout,
        int finHardTimeout,
        int priority,
        long cookie,
        List<LearnSpec> specs)
        implements Action {
    public static final int DEFAULT_TABLE = 1;
    public static final int DEFAULT_PRIORITY = 32768;

    public Learn {
        specs = List.copyOf(specs);
    }

    @Override
    public void format(StringBuilder out) {
        out.append("learn(table=").append(table);
        if (idleTimeout != 0) {
            out.append(",idle_timeout=").append(idleTimeout);
        }
        if (hardTimeout != 0) {
            out.append(",hard_timeout=").append(hardTimeout);
        }
        if (finIdleTimeout != 0) {
            out.append(",fin_idle_timeout=").append(finIdleTimeout);
        }
        if (finHardTimeout != 0) {
            out.append(",fin_hard_timeout=").append(finHardTimeout);
        }
        if (priority != DEFAULT_PRIORITY) {
            out.append(",priority=").append(priority);
        }
        if (cookie != 0) {
            out.append(",cookie=").append(Values.hex(cookie));
        }
        for (LearnSpec spec : specs) {
            out.append(',');
            spec.format(out);
        }
        out.append(')');
    }

    @Override
    public void validate() {
        Checks.table(table);
        Checks.range(idleTimeout, 65535, "idle_timeout");
        Checks.range(hardTimeout, 65535, "hard_timeout");
        Checks.range(finIdleTimeout, 65535, "fin_idle_timeout");
        Checks.range(finHardTimeout, 65535, "fin_hard_timeout");
        Checks.range(priority, 65535, "priority");
        for (int i = 0; i < specs.size(); i++) {
            LearnSpec spec = specs.get(i);
            try {
                spec.validate();
            } catch (IllegalArgumentException e) {
                throw new LearnSpecException(i, spec.text(), e.getMessage(), e);
            }
        }
    }

    /**
     * As OVS's {@code learn_check}: fields read from the packet need their prerequisites in this flow's match; fields
     * the learned flow matches or loads need theirs in the learned flow's match, which the constant matches before
     * them build up ({@code dl_type=0x800} before {@code NXM_OF_IP_DST[]}).
     */
    @Override
    public void check(ActionContext context) {
        validate();
        int ethType = -1;
        int nwProto = -1;
        String learned = "the learned flow's match (put a spec such as dl_type=0x800 before it)";
        for (int i = 0; i < specs.size(); i++) {
            LearnSpec spec = specs.get(i);
            try {
                switch (spec) {
                    case LearnSpec.MatchField m -> {
                        source(m.field(), context);
                        destination(m.field(), ethType, nwProto, learned);
                    }
                    case LearnSpec.MatchFromField m -> {
                        source(m.source(), context);
                        destination(m.destination(), ethType, nwProto, learned);
                    }
                    case LearnSpec.MatchValue m -> {
                        destination(m.destination(), ethType, nwProto, learned);
                        if (m.destination().isWhole() && m.destination().field() == Field.DL_TYPE) {
                            ethType = (int) m.value();
                        } else if (m.destination().isWhole() && m.destination().field() == Field.NW_PROTO) {
                            nwProto = (int) m.value();
                        }
                    }
                    case LearnSpec.LoadValue l -> destination(l.destination(), ethType, nwProto, learned);
                    case LearnSpec.LoadField l -> {
                        source(l.source(), context);
                        destination(l.destination(), ethType, nwProto, learned);
                    }
                    case LearnSpec.OutputField o -> source(o.source(), context);
                }
            } catch (IllegalArgumentException e) {
                throw new LearnSpecException(i, spec.text(), e.getMessage(), e);
            }
        }
    }

    private static void source(SubField field, ActionContext context) {
        Checks.prerequisite(field.field(), field.field().actionName(), context.match());
    }

    private static void destination(SubField field, int ethType, int nwProto, String where) {
        Checks.prerequisite(field.field(), field.field().actionName(), ethType, nwProto, where);
    }
}
