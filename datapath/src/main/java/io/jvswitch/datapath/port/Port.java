package io.jvswitch.datapath.port;

import java.util.Map;
import java.util.TreeMap;

/**
 * A port of a bridge: its name, its OpenFlow number (assigned as Open vSwitch assigns them: {@code LOCAL} for the
 * bridge's internal port, otherwise the lowest free number from 1), its type and options, and its counters. What
 * happens to frames sent out of it is the subclass's business.
 */
public abstract class Port {
    private final String name;
    private final PortType type;
    private final Map<String, String> options;
    private final PortCounters counters = new PortCounters();
    private int ofport = -1;
    private CaptureSink capture;

    protected Port(String name, PortType type, Map<String, String> options) {
        this.name = name;
        this.type = type;
        this.options = new TreeMap<>(options);
    }

    public String name() {
        return name;
    }

    public PortType type() {
        return type;
    }

    /** The interface options as given ({@code remote_ip}, {@code peer}, ...), sorted by name. */
    public Map<String, String> options() {
        return options;
    }

    public PortCounters counters() {
        return counters;
    }

    /** The OpenFlow port number, or -1 before the port joins a bridge. */
    public int ofport() {
        return ofport;
    }

    /** Set once, by the bridge the port joins. */
    public void assignOfport(int number) {
        if (ofport != -1) {
            throw new IllegalStateException(name + " already has OpenFlow port " + ofport);
        }
        this.ofport = number;
    }

    /** Who copies this port's frames now, or null (nearly always): read on the datapath's thread per frame. */
    public CaptureSink capture() {
        return capture;
    }

    /** Starts ({@code sink}) or ends ({@code null}) a capture of this port's frames; on the datapath's thread. */
    public void capture(CaptureSink sink) {
        this.capture = sink;
    }

    @Override
    public String toString() {
        return name + "(" + ofport + ")";
    }
}
