package io.jvswitch.ofproto.action;

import io.jvswitch.ofproto.flow.Field;
import io.jvswitch.ofproto.flow.Match;
import io.jvswitch.ofproto.flow.Ports;
import java.math.BigInteger;

/**
 * The rules actions are checked against, each throwing {@link IllegalArgumentException} with the message users see.
 * Shared by the records' {@code validate}/{@code check} and by the parser, which calls the same rule on the piece of
 * text it came from so that the caret points at the offending argument.
 */
final class Checks {
    /** The highest table number: 255 means "all tables" or "none" in OpenFlow and cannot hold flows. */
    static final int MAX_TABLE = 254;

    private Checks() {}

    static void table(int table) {
        if (table < 0 || table > MAX_TABLE) {
            throw new IllegalArgumentException("table " + table + " does not exist (tables are 0 to 254)");
        }
    }

    /** A 16-bit OpenFlow port number, any of them (resubmit may pretend a packet came in on a reserved port). */
    static void port(int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port + " is out of range (0 to 65535)");
        }
    }

    /** A port a packet can be sent out of, as OVS's ofpact_check_output_port allows. */
    static void outputPort(int port) {
        boolean ok = (port >= 0 && port < Ports.MAX)
                || port == Ports.IN_PORT
                || port == Ports.TABLE
                || port == Ports.NORMAL
                || port == Ports.FLOOD
                || port == Ports.ALL
                || port == Ports.LOCAL;
        if (!ok) {
            String name = port >= 0 && port <= 0xffff ? Ports.name(port) : Integer.toString(port);
            throw new IllegalArgumentException("cannot output to port " + name
                    + " (ports are 0 to 65279, IN_PORT, TABLE, NORMAL, FLOOD, ALL or LOCAL;"
                    + " use the controller action for CONTROLLER)");
        }
    }

    static void range(long value, long max, String what) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " " + value + " is out of range (0 to " + max + ")");
        }
    }

    /** {@code value}, read as unsigned, fits in the low {@code bits} bits. */
    static void fits(long value, int bits) {
        if (bits < 64 && (value >>> bits) != 0) {
            throw doesNotFit(BigInteger.valueOf(value).and(Values.U64), bits);
        }
    }

    static void fits(BigInteger value, int bits) {
        if (value.bitLength() > bits) {
            throw doesNotFit(value, bits);
        }
    }

    private static IllegalArgumentException doesNotFit(BigInteger value, int bits) {
        return new IllegalArgumentException(
                "value " + Values.hex(value) + " does not fit in " + bits + (bits == 1 ? " bit" : " bits"));
    }

    /** Packets' Ethernet type and IP protocol are what they are: OVS refuses to set them. */
    static void writable(Field field, String name) {
        if (field == Field.DL_TYPE || field == Field.NW_PROTO) {
            throw new IllegalArgumentException(name + " is read-only (dl_type and nw_proto cannot be set)");
        }
    }

    static void sameWidth(SubField source, SubField destination) {
        if (source.bits() != destination.bits()) {
            throw new IllegalArgumentException("source " + source + " has " + source.bits() + " bits but destination "
                    + destination + " has " + destination.bits());
        }
    }

    /** The field's prerequisite (ip for nw_src, tcp/udp/sctp for tp_dst, ...) holds in {@code match}. */
    static void prerequisite(Field field, String name, Match match) {
        prerequisite(field, name, match.ethType(), match.nwProto(), "the match");
    }

    static void prerequisite(Field field, String name, int ethType, int nwProto, String where) {
        if (!field.prerequisite().satisfiedBy(ethType, nwProto)) {
            throw new IllegalArgumentException(
                    name + " requires " + field.prerequisite().description() + " in " + where);
        }
    }
}
