/**
 * OpenFlow actions as data, and their ovs-ofctl text.
 *
 * <p>{@link io.jvswitch.ofproto.action.Action} is a sealed interface with one immutable record per action ({@link
 * io.jvswitch.ofproto.action.Output}, {@link io.jvswitch.ofproto.action.Resubmit}, {@link
 * io.jvswitch.ofproto.action.Learn}, ...); a flow's actions are a list of them, and {@code drop} is the empty list.
 * {@link io.jvswitch.ofproto.action.ActionParser} reads and prints lists exactly as ovs-ofctl does, and checks them
 * against the table and match of the flow they belong to. Running actions is not this package's business: it only
 * says what they are.
 */
package io.jvswitch.ofproto.action;
