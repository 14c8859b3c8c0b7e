package io.jvswitch.agent;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local VLANs of a host's networks on br-int, 1 to 4094 (0 means untagged and 4095 is reserved, IEEE 802.1Q). A
 * network keeps its VLAN for as long as it stays; a network that leaves frees its VLAN; a new network takes the lowest
 * free one.
 */
final class LocalVlans {
    static final int FIRST = 1;
    static final int LAST = 4094;

    private final Map<String, Integer> byNetwork = new LinkedHashMap<>();

    /**
     * The VLANs {@code networks} would have, changing nothing: those that stay keep theirs, the others take the
     * lowest free ones in order.
     *
     * @throws HostStateException naming the first network left without a VLAN
     */
    Map<String, Integer> plan(List<String> networks) {
        Map<String, Integer> planned = new LinkedHashMap<>();
        BitSet used = new BitSet(LAST + 1);
        for (String network : networks) {
            Integer vlan = byNetwork.get(network);
            if (vlan != null) {
                planned.put(network, vlan);
                used.set(vlan);
            }
        }
        for (String network : networks) {
            if (planned.containsKey(network)) {
                continue;
            }
            int vlan = used.nextClearBit(FIRST);
            if (vlan > LAST) {
                throw new HostStateException("network " + network + " gets no local VLAN: this host's other "
                        + (LAST - FIRST + 1) + " networks hold every VLAN from " + FIRST + " to " + LAST
                        + " (one per network on br-int)");
            }
            used.set(vlan);
            planned.put(network, vlan);
        }
        return planned;
    }

    /** Makes a plan the VLANs in use. */
    void commit(Map<String, Integer> planned) {
        byNetwork.clear();
        byNetwork.putAll(planned);
    }

    /** Takes {@code vlan} for {@code network} when neither has one yet (a restarted agent reading port tags). */
    void restore(String network, int vlan) {
        if (vlan >= FIRST && vlan <= LAST && !byNetwork.containsKey(network) && !byNetwork.containsValue(vlan)) {
            byNetwork.put(network, vlan);
        }
    }

    Integer vlan(String network) {
        return byNetwork.get(network);
    }

    Map<String, Integer> all() {
        return Map.copyOf(byNetwork);
    }
}
