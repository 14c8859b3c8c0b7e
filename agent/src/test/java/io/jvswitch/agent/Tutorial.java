package io.jvswitch.agent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The tutorial's text (spec/gre-vxlan-tutorial.md, section 1.2), verbatim, and helpers to compare with it. */
final class Tutorial {
    private Tutorial() {}

    static final String SHOW = """
            911ff1ca-590a-4efd-a066-568fbac8c6fb
                Bridge br-tun
                    Port patch-int
                        Interface patch-int
                            type: patch
                            options: {peer=patch-tun}
                    Port br-tun
                        Interface br-tun
                            type: internal
                    Port "gre-2"
                        Interface "gre-2"
                            type: gre
                            options: {in_key=flow, local_ip="192.168.1.100", out_key=flow, remote_ip="192.168.1.101"}
                    Port "gre-1"
                        Interface "gre-1"
                            type: gre
                            options: {in_key=flow, local_ip="192.168.1.100", out_key=flow, remote_ip="192.168.1.102"}
            """;

    static final List<String> DUMP_FLOWS = List.of(
            " cookie=0x0, duration=182369.287s, table=0, n_packets=5996, n_bytes=1481720, idle_age=52, hard_age=65534, priority=1,in_port=3 actions=resubmit(,2)",
            " cookie=0x0, duration=182374.574s, table=0, n_packets=14172, n_bytes=3908726, idle_age=5, hard_age=65534, priority=1,in_port=1 actions=resubmit(,1)",
            " cookie=0x0, duration=182370.094s, table=0, n_packets=0, n_bytes=0, idle_age=65534, hard_age=65534, priority=1,in_port=2 actions=resubmit(,2)",
            " cookie=0x0, duration=182374.078s, table=0, n_packets=3, n_bytes=230, idle_age=65534, hard_age=65534, priority=0 actions=drop",
            " cookie=0x0, duration=182373.435s, table=1, n_packets=3917, n_bytes=797884, idle_age=52, hard_age=65534, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)",
            " cookie=0x0, duration=182372.888s, table=1, n_packets=10255, n_bytes=3110842, idle_age=5, hard_age=65534, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)",
            " cookie=0x0, duration=182103.664s, table=2, n_packets=5982, n_bytes=1479916, idle_age=52, hard_age=65534, priority=1,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit(,10)",
            " cookie=0x0, duration=182372.476s, table=2, n_packets=14, n_bytes=1804, idle_age=65534, hard_age=65534, priority=0 actions=drop",
            " cookie=0x0, duration=182372.099s, table=3, n_packets=0, n_bytes=0, idle_age=65534, hard_age=65534, priority=0 actions=drop",
            " cookie=0x0, duration=182371.777s, table=10, n_packets=5982, n_bytes=1479916, idle_age=52, hard_age=65534, priority=1 actions=learn(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1",
            " cookie=0x0, duration=116255.067s, table=20, n_packets=3917, n_bytes=797884, hard_timeout=300, idle_age=52, hard_age=52, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3",
            " cookie=0x0, duration=182371.623s, table=20, n_packets=0, n_bytes=0, idle_age=65534, hard_age=65534, priority=0 actions=resubmit(,21)",
            " cookie=0x0, duration=182103.777s, table=21, n_packets=10235, n_bytes=3109310, idle_age=5, hard_age=65534, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:3,output:2",
            " cookie=0x0, duration=182371.507s, table=21, n_packets=20, n_bytes=1532, idle_age=65534, hard_age=65534, priority=0 actions=drop");

    /** One bridge's section of show text: from its {@code     Bridge} line to the next bridge or the end. */
    static String bridgeSection(String show, String bridge) {
        StringBuilder section = new StringBuilder();
        boolean in = false;
        for (String line : show.split("\n")) {
            if (line.startsWith("    Bridge ")) {
                in = line.equals("    Bridge " + bridge);
            }
            if (in) {
                section.append(line).append('\n');
            }
        }
        return section.toString();
    }

    /** A bridge section with its port blocks sorted by port name (quotes aside), as jvswitch prints them. */
    static String sortPorts(String section) {
        String[] lines = section.split("\n");
        List<List<String>> ports = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        for (String line : lines) {
            if (line.startsWith("        Port ")) {
                ports.add(new ArrayList<>());
            }
            if (ports.isEmpty()) {
                head.append(line).append('\n');
            } else {
                ports.getLast().add(line);
            }
        }
        ports.sort(Comparator.comparing(block -> block.getFirst().replace("\"", "")));
        for (List<String> block : ports) {
            block.forEach(line -> head.append(line).append('\n'));
        }
        return head.toString();
    }
}
