package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Field;

/**
 * One argument of {@link Learn} that says what the learned flow matches or does, computed from the packet that runs
 * the learn action. The forms are those of OVS's learn action (ovs-actions(7)) and print as OVS's {@code
 * learn_format} prints them.
 */
public sealed interface LearnSpec {
    /** Appends this spec as it appears inside {@code learn(...)}. */
    void format(StringBuilder out);

    /** Checks widths and values, throwing {@link IllegalArgumentException} with a user-facing message. */
    default void validate() {}

    /** This spec's text. */
    default String text() {
        StringBuilder out = new StringBuilder();
        format(out);
        return out.toString();
    }

    /**
     * The learned flow matches {@code field} equal to its value in this packet: {@code NXM_OF_VLAN_TCI[0..11]}
     * (Neutron's "same VLAN").
     */
    record MatchField(SubField field) implements LearnSpec {
        public MatchField {
            if (field == null) {
                throw new IllegalArgumentException("a learn match needs a field");
            }
        }

        @Override
        public void format(StringBuilder out) {
            out.append(field);
        }
    }

    /**
     * The learned flow matches {@code destination} equal to this packet's {@code source}: {@code
     * NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]} (Neutron's "to the MAC this packet came from"). When both are the same bits
     * of the same field it prints as {@link MatchField} does, as OVS prints it.
     */
    record MatchFromField(SubField destination, SubField source) implements LearnSpec {
        public MatchFromField {
            if (destination == null || source == null) {
                throw new IllegalArgumentException("a learn match needs a destination and a source");
            }
        }

        @Override
        public void format(StringBuilder out) {
            out.append(destination);
            if (destination.field() != source.field() || destination.offset() != source.offset()) {
                out.append('=').append(source);
            }
        }

        @Override
        public void validate() {
            Checks.sameWidth(source, destination);
        }
    }

    /**
     * The learned flow matches {@code destination} equal to a constant. A whole field prints with its ovs name and
     * its value as a match writes it ({@code dl_type=0x800}, {@code dl_dst=fa:16:3e:00:00:01}); part of one prints as
     * the subfield and a hexadecimal value ({@code NXM_OF_VLAN_TCI[0..11]=0x5}), as OVS's {@code learn_format} does.
     *
     * @param value in the low {@code destination.bits()} bits, as the flow key stores the field (at most 64 bits)
     */
    record MatchValue(SubField destination, long value) implements LearnSpec {
        public MatchValue {
            if (destination == null) {
                throw new IllegalArgumentException("a learn match needs a destination");
            }
        }

        @Override
        public void format(StringBuilder out) {
            if (destination.isWhole()) {
                Field field = destination.field();
                out.append(field.ovsName())
                        .append('=')
                        .append(Values.format(
                                field,
                                new Values.FieldValue(0, value, Values.fullMaskHigh(field), Values.fullMask(field))));
            } else {
                out.append(destination).append('=').append(Values.hex(value));
            }
        }

        @Override
        public void validate() {
            if (destination.bits() > 64) {
                throw new IllegalArgumentException(
                        destination + " has " + destination.bits() + " bits: learn matches constants of up to 64");
            }
            Checks.fits(value, destination.bits());
        }
    }

    /**
     * The learned flow's actions load a constant into {@code destination}: {@code load:0->NXM_OF_VLAN_TCI[]}.
     */
    record LoadValue(long value, SubField destination) implements LearnSpec {
        public LoadValue {
            if (destination == null) {
                throw new IllegalArgumentException("a learn load needs a destination");
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
    }

    /**
     * The learned flow's actions load this packet's {@code source} into {@code destination}: {@code
     * load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[]}.
     */
    record LoadField(SubField source, SubField destination) implements LearnSpec {
        public LoadField {
            if (source == null || destination == null) {
                throw new IllegalArgumentException("a learn load needs a source and a destination");
            }
        }

        @Override
        public void format(StringBuilder out) {
            out.append("load:").append(source).append("->").append(destination);
        }

        @Override
        public void validate() {
            Checks.sameWidth(source, destination);
            Checks.writable(destination.field(), destination.field().actionName());
        }
    }

    /**
     * The learned flow's actions output to the port this packet's {@code source} holds: {@code
     * output:NXM_OF_IN_PORT[]} (Neutron's "back to the tunnel it came from").
     */
    record OutputField(SubField source) implements LearnSpec {
        public OutputField {
            if (source == null) {
                throw new IllegalArgumentException("a learn output needs a source");
            }
        }

        @Override
        public void format(StringBuilder out) {
            out.append("output:").append(source);
        }
    }
}
