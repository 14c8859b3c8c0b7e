package io.jvswitch.ofproto.flow;

import java.util.Locale;

/**
 * OpenFlow port numbers as Open vSwitch writes them: physical ports by number, reserved ports by name. These are
 * OpenFlow 1.0's 16-bit numbers, which is what ovs-ofctl shows.
 */
public final class Ports {
    /** Sends the packet back out of the port it came in on. */
    public static final int IN_PORT = 0xfff8;

    public static final int TABLE = 0xfff9;
    /** The bridge's learning-switch behaviour. */
    public static final int NORMAL = 0xfffa;
    /** Every port except the input port and ports with flooding disabled. */
    public static final int FLOOD = 0xfffb;
    /** Every port except the input port. */
    public static final int ALL = 0xfffc;

    public static final int CONTROLLER = 0xfffd;
    /** The bridge's own internal port (the one named like the bridge). */
    public static final int LOCAL = 0xfffe;
    /** No port. */
    public static final int NONE = 0xffff;

    /** Numbers below this are ordinary ports. */
    public static final int MAX = 0xff00;

    private Ports() {}

    /** The name ovs-ofctl prints: a number, or LOCAL, IN_PORT, NORMAL, FLOOD, ALL, CONTROLLER, ANY. */
    public static String name(int port) {
        return switch (port) {
            case IN_PORT -> "IN_PORT";
            case TABLE -> "TABLE";
            case NORMAL -> "NORMAL";
            case FLOOD -> "FLOOD";
            case ALL -> "ALL";
            case CONTROLLER -> "CONTROLLER";
            case LOCAL -> "LOCAL";
            case NONE -> "ANY";
            default -> Integer.toString(port);
        };
    }

    /**
     * Reads a port number or a reserved port's name (any case).
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static int parse(String text) {
        String name = text.toUpperCase(Locale.ROOT);
        switch (name) {
            case "IN_PORT":
                return IN_PORT;
            case "TABLE":
                return TABLE;
            case "NORMAL":
                return NORMAL;
            case "FLOOD":
                return FLOOD;
            case "ALL":
                return ALL;
            case "CONTROLLER":
                return CONTROLLER;
            case "LOCAL":
                return LOCAL;
            case "ANY":
            case "NONE":
                return NONE;
            default:
                break;
        }
        try {
            long port = text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            if (port < 0 || port > 0xffff) {
                throw new IllegalArgumentException("port " + text + " is out of range (0 to 65535)");
            }
            return (int) port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port number or a reserved port"
                    + " (LOCAL, IN_PORT, NORMAL, FLOOD, ALL, CONTROLLER)");
        }
    }
}
