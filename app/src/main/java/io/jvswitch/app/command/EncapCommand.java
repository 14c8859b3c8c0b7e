package io.jvswitch.app.command;

import io.jvswitch.tunnel.TunnelConfig;
import io.jvswitch.tunnel.TunnelConfigException;
import io.jvswitch.tunnel.TunnelType;
import io.jvswitch.tunnel.encap.Encapsulator;
import io.jvswitch.tunnel.encap.HeaderTemplate;
import io.jvswitch.wire.DropReason;
import io.jvswitch.wire.MacAddress;
import io.jvswitch.wire.PacketBuffer;
import io.jvswitch.wire.build.FrameBuilder;
import io.jvswitch.wire.pcap.PcapWriter;
import io.jvswitch.wire.text.Dissector;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jvs encap}: one packet, encapsulated as a tunnel port would, shown before and after, optionally saved. */
@Command(
        name = "encap",
        // The first line is the summary `jvs --help` lists: it must fit one line there.
        description = {
            "Show a packet before and after tunnel encapsulation.",
            "Build the --inner packet, encapsulate it as a tunnel interface with these options would, print both"
                    + " layer by layer, and optionally write the encapsulated frame to a pcap file.",
            "",
            "Example (the tutorial's first ARP request, sent into gre-2):",
            "  jvs encap gre local_ip=192.168.1.100 remote_ip=192.168.1.101 key=0x1388 \\",
            "      --inner arp,dl_src=fa:16:3e:00:00:01,nw_src=10.0.0.1,nw_dst=10.0.0.2 \\",
            "      -w arp.pcap"
        },
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class EncapCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TYPE", description = "Tunnel type: gre, vxlan or gre-udp.")
    String type;

    @Parameters(
            index = "1..*",
            paramLabel = "OPTION=VALUE",
            description = {
                "Interface options as ovs-vsctl sets them: remote_ip, local_ip (both required here), key (or"
                        + " out_key), csum, seq, ttl, tos, df_default, dst_port, packet_type (legacy_l2 or legacy_l3),"
                        + " src_port_range."
            })
    List<String> options = List.of();

    @Option(
            names = "--inner",
            paramLabel = "PACKET",
            description = {
                "The packet to encapsulate: arp|icmp|udp|tcp|icmp6|udp6|tcp6 then field=value pairs from: "
                        + PacketSpec.FIELDS + " (payload=N: N bytes of payload, 56 for ICMP and 32 otherwise by"
                        + " default).",
                "Default: ${DEFAULT-VALUE}"
            },
            defaultValue = "icmp")
    String inner;

    @Option(
            names = "--outer-src-mac",
            paramLabel = "MAC",
            description = "Outer Ethernet source (default: 02:00 and local_ip's last four bytes).")
    String outerSourceMac;

    @Option(
            names = "--outer-dst-mac",
            paramLabel = "MAC",
            description = "Outer Ethernet destination, the next hop (default: 02:00 and remote_ip's last four bytes).")
    String outerDestinationMac;

    @Option(
            names = {"-w", "--write"},
            paramLabel = "FILE",
            description = "Write the encapsulated frame to this pcap file.")
    Path write;

    @Override
    public Integer call() throws IOException {
        TunnelType tunnelType = tunnelType();
        TunnelConfig config = config(tunnelType);
        if (config.remoteIp() == null || config.localIp() == null) {
            throw CliErrors.usage(spec, "encap needs both local_ip and remote_ip (addresses, not flow)");
        }
        if (config.outKey().isFlow()) {
            throw CliErrors.usage(spec, "encap needs a fixed key: out_key=flow takes the key from a flow table");
        }
        FrameBuilder builder;
        try {
            builder = PacketSpec.parse(inner);
        } catch (IllegalArgumentException e) {
            throw CliErrors.usage(spec, "--inner: " + e.getMessage());
        }
        boolean l3 = config.payloadType() == TunnelConfig.PayloadType.LEGACY_L3;
        byte[] packetBytes = l3 ? builder.buildL3() : builder.build();

        long sourceMac = mac(outerSourceMac, config.localIp(), "--outer-src-mac");
        long nextHopMac = mac(outerDestinationMac, config.remoteIp(), "--outer-dst-mac");
        HeaderTemplate template =
                new HeaderTemplate(config, config.localIp(), config.remoteIp(), sourceMac, nextHopMac);
        PrintWriter out = spec.commandLine().getOut();
        try (Arena arena = Arena.ofConfined()) {
            PacketBuffer packet = PacketBuffer.of(arena, packetBytes);
            DropReason drop = new Encapsulator(template).encapsulate(packet, 0);
            if (drop != null) {
                throw CliErrors.usage(spec, "cannot encapsulate: " + drop.description());
            }
            byte[] frame = packet.toByteArray();
            out.printf("Before encapsulation (%d bytes):%n", packetBytes.length);
            print(out, l3 ? Dissector.describeIp(packetBytes) : Dissector.describe(packetBytes));
            out.printf(
                    "%nAfter encapsulation into %s %s -> %s (%d bytes, %d of them outer headers):%n",
                    tunnelType,
                    TunnelConfig.addressText(config.localIp()),
                    TunnelConfig.addressText(config.remoteIp()),
                    frame.length,
                    template.length());
            print(out, Dissector.describe(frame));
            if (write != null) {
                try (PcapWriter pcap = PcapWriter.create(write)) {
                    pcap.write(System.currentTimeMillis() * 1_000_000L, frame);
                }
                out.printf("%nWrote 1 packet to %s%n", write);
            }
        }
        out.flush();
        return 0;
    }

    private TunnelType tunnelType() {
        try {
            return TunnelType.parse(type);
        } catch (IllegalArgumentException e) {
            throw CliErrors.usage(spec, e.getMessage());
        }
    }

    private TunnelConfig config(TunnelType tunnelType) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String option : options) {
            int equals = option.indexOf('=');
            if (equals <= 0) {
                throw CliErrors.usage(
                        spec, "'" + option + "' is not OPTION=VALUE (for example remote_ip=192.168.1.101)");
            }
            String name = option.substring(0, equals);
            if (name.startsWith("options:")) {
                name = name.substring("options:".length());
            }
            String value = option.substring(equals + 1);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (map.put(name, value) != null) {
                throw CliErrors.usage(spec, "option " + name + " is given twice");
            }
        }
        try {
            return TunnelConfig.fromOptions(tunnelType, map);
        } catch (TunnelConfigException e) {
            throw CliErrors.usage(spec, e.getMessage());
        }
    }

    private long mac(String text, InetAddress derivedFrom, String option) {
        if (text != null) {
            try {
                return MacAddress.parse(text);
            } catch (IllegalArgumentException e) {
                throw CliErrors.usage(spec, option + ": " + e.getMessage());
            }
        }
        // A locally administered address that shows which host it stands for: 02:00 + the address's last 4 bytes.
        byte[] address = derivedFrom.getAddress();
        long mac = 0x0200L << 32;
        int from = derivedFrom instanceof Inet6Address ? 12 : 0;
        for (int i = 0; i < 4; i++) {
            mac |= (long) (address[from + i] & 0xff) << (24 - 8 * i);
        }
        return mac;
    }

    private static void print(PrintWriter out, List<String> lines) {
        for (String line : lines) {
            out.println("  " + line);
        }
    }
}
