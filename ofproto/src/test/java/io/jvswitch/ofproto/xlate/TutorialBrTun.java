package io.jvswitch.ofproto.xlate;

import io.jvswitch.ofproto.Tutorial;
import io.jvswitch.ofproto.table.FlowMod;
import io.jvswitch.ofproto.table.FlowTables;
import io.jvswitch.ofproto.text.FlowParser;
import java.time.InstantSource;
import java.util.List;

/**
 * The tutorial's br-tun as a bridge to translate through: the flows of its dump, port 1 patch-int (no peer: output to
 * it is plain output), ports 2 and 3 GRE tunnels.
 */
final class TutorialBrTun {
    /** The flow table 20 learned from VM2 (MAC fa:16:3e:1f:19:55, behind tunnel port 3), as the dump shows it. */
    static final String LEARNED =
            "table=20, hard_timeout=300, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55"
                    + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3";

    /** VM1's broadcast ARP request for 10.0.0.2, as br-int hands it over patch-int: tagged with local VLAN 1. */
    static final String ARP_REQUEST = "in_port=1,dl_vlan=1,dl_src=fa:16:3e:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp,"
            + "arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1,arp_sha=fa:16:3e:00:00:01";

    /** VM2's ARP reply, decapsulated from GRE tunnel port 3 with key 0x1388: untagged. */
    static final String ARP_REPLY = "in_port=3,tun_id=0x1388,dl_src=fa:16:3e:1f:19:55,dl_dst=fa:16:3e:00:00:01,arp,"
            + "arp_spa=10.0.0.2,arp_tpa=10.0.0.1,arp_op=2,arp_sha=fa:16:3e:1f:19:55,arp_tha=fa:16:3e:00:00:01";

    /** VM1's ping to VM2, now that it knows VM2's MAC. */
    static final String PING = "in_port=1,dl_vlan=1,dl_src=fa:16:3e:00:00:01,dl_dst=fa:16:3e:1f:19:55,icmp,"
            + "nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_ttl=64,icmp_type=8";

    private TutorialBrTun() {}

    /** br-tun with every flow of the dump, the learned one included. */
    static TestBridge learned(InstantSource clock) {
        return bridge(clock, Tutorial.dumpLines());
    }

    /** br-tun as it is before VM2's MAC is learned: the dump without table 20's learned flow. */
    static TestBridge beforeLearning(InstantSource clock) {
        return bridge(
                clock,
                Tutorial.dumpLines().stream()
                        .filter(line -> !line.contains("hard_timeout=300, idle_age"))
                        .toList());
    }

    private static TestBridge bridge(InstantSource clock, List<String> lines) {
        FlowTables tables = new FlowTables(clock);
        tables.applyAll(FlowParser.parseLines(lines, FlowMod.Command.ADD, "tutorial"));
        return new TestBridge("br-tun", tables)
                .port(1, "patch-int")
                .tunnel(2, "gre-1")
                .tunnel(3, "gre-2");
    }
}
