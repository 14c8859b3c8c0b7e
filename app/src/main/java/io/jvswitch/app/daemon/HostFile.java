package io.jvswitch.app.daemon;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.jvswitch.agent.HostState;
import io.jvswitch.agent.HostStateException;
import io.jvswitch.agent.Layout;
import io.jvswitch.agent.Network;
import io.jvswitch.agent.NetworkType;
import io.jvswitch.agent.Peer;
import io.jvswitch.agent.RemoteVm;
import io.jvswitch.agent.TunnelNaming;
import io.jvswitch.agent.Vm;
import io.jvswitch.wire.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A host file: one host's desired state for the tunnel agent, in YAML with the lab topology's snake_case keys. Only
 * {@code local_ip} is required; the rest default as {@link HostState#builder} does.
 *
 * <pre>{@code
 * local_ip: 192.168.1.100
 * tunnel_types: [gre, vxlan]      # default: both
 * layout: tutorial                # tutorial or neutron
 * naming: tutorial                # tutorial (gre-1) or neutron (gre-c0a80165)
 * underlay_mtu: 1500
 * arp_responder: true             # neutron layout only
 * networks:
 *   - {name: net1, type: gre, segmentation_id: 0x1388}
 *   - {name: net2, type: vxlan, segmentation_id: 100, group: 239.1.1.1}
 * vms:
 *   - {name: vm1, network: net1, mac: "fa:16:3e:00:00:01", ip: 10.0.0.1}
 * peers:
 *   - address: 192.168.1.101
 *     networks: [net1]
 *     vms: [{network: net1, mac: "fa:16:3e:1f:19:55", ip: 10.0.0.2}]
 * }</pre>
 *
 * Read strictly: an unknown or duplicate key, or a value of the wrong kind, is refused with the file, line and column.
 */
public final class HostFile {
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private HostFile() {}

    /** A host file as read. */
    record Spec(
            String localIp,
            List<String> tunnelTypes,
            String layout,
            String naming,
            Integer underlayMtu,
            Boolean arpResponder,
            List<NetworkSpec> networks,
            List<VmSpec> vms,
            List<PeerSpec> peers) {}

    record NetworkSpec(String name, String type, Long segmentationId, String group) {}

    record VmSpec(String name, String network, String mac, String ip) {}

    record PeerSpec(String address, List<String> networks, List<RemoteVmSpec> vms) {}

    record RemoteVmSpec(String network, String mac, String ip) {}

    /**
     * Reads a host file's text into the tree the daemon stores, checking that it makes a valid host state.
     *
     * @param source how messages name the file
     * @throws DaemonException naming the file, and the line and column when the YAML is at fault
     */
    public static JsonNode read(String text, String source) throws DaemonException {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw new DaemonException(source + ": a host file is a YAML mapping (local_ip: ..., networks: ...)");
            }
            YAML.readValue(text, Spec.class);
        } catch (JsonProcessingException e) {
            throw new DaemonException(source + ": " + describe(e), e);
        }
        state(tree, source);
        return tree;
    }

    /**
     * The host state a stored tree describes.
     *
     * @throws DaemonException naming {@code source} and what is wrong
     */
    public static HostState state(JsonNode tree, String source) throws DaemonException {
        Spec spec;
        try {
            spec = YAML.treeToValue(tree, Spec.class);
        } catch (JsonProcessingException e) {
            throw new DaemonException(source + ": " + describe(e), e);
        }
        try {
            return state(spec);
        } catch (IllegalArgumentException e) { // HostStateException, and bad MACs
            throw new DaemonException(source + ": " + e.getMessage(), e);
        }
    }

    private static HostState state(Spec spec) {
        if (spec.localIp() == null) {
            throw new HostStateException("local_ip is missing (this host's underlay address)");
        }
        HostState.Builder builder = HostState.builder(address("local_ip", spec.localIp()));
        if (spec.tunnelTypes() != null) {
            Set<NetworkType> types = EnumSet.noneOf(NetworkType.class);
            spec.tunnelTypes().forEach(type -> types.add(NetworkType.parse(type)));
            builder.tunnelTypes(types);
        }
        if (spec.layout() != null) {
            Layout layout = choice(Layout.class, "layout", spec.layout());
            // Each layout names its tunnels as its era did, unless the file says otherwise.
            builder.layout(layout).naming(layout == Layout.NEUTRON ? TunnelNaming.NEUTRON : TunnelNaming.TUTORIAL);
        }
        if (spec.naming() != null) {
            builder.naming(choice(TunnelNaming.class, "naming", spec.naming()));
        }
        if (spec.underlayMtu() != null) {
            builder.underlayMtu(spec.underlayMtu());
        }
        if (spec.arpResponder() != null) {
            builder.arpResponder(spec.arpResponder());
        }
        for (NetworkSpec network : list(spec.networks())) {
            if (network.type() == null || network.segmentationId() == null) {
                throw new HostStateException("network " + network.name() + " needs a type and a segmentation_id");
            }
            InetAddress group = network.group() == null ? null : address("group", network.group());
            builder.network(
                    new Network(network.name(), NetworkType.parse(network.type()), network.segmentationId(), group));
        }
        for (VmSpec vm : list(spec.vms())) {
            builder.vm(new Vm(vm.name(), vm.network(), mac(vm.mac()), address("ip", vm.ip())));
        }
        for (PeerSpec peer : list(spec.peers())) {
            List<RemoteVm> remote = new ArrayList<>();
            for (RemoteVmSpec vm : list(peer.vms())) {
                remote.add(new RemoteVm(vm.network(), mac(vm.mac()), address("ip", vm.ip())));
            }
            builder.peer(
                    new Peer(address("address", peer.address()), new LinkedHashSet<>(list(peer.networks())), remote));
        }
        return builder.build();
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static InetAddress address(String key, String text) {
        if (text == null) {
            throw new HostStateException(key + " is missing");
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new HostStateException(key + ": '" + text + "' is not an IP address");
        }
    }

    private static long mac(String text) {
        if (text == null) {
            throw new HostStateException("a VM needs a mac");
        }
        return MacAddress.parse(text);
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String key, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String known = EnumSet.allOf(type).stream()
                    .map(each -> each.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            throw new HostStateException(key + ": unknown value '" + text + "' (known: " + known + ")");
        }
    }

    private static String describe(JsonProcessingException e) {
        StringBuilder message = new StringBuilder();
        JsonLocation where = e.getLocation();
        if (where != null && where.getLineNr() > 0) {
            message.append("line ")
                    .append(where.getLineNr())
                    .append(", column ")
                    .append(where.getColumnNr())
                    .append(": ");
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(step -> step.getFieldName() != null ? "." + step.getFieldName() : "[" + step.getIndex() + "]")
                    .collect(Collectors.joining())
                    .replaceFirst("^\\.", "");
            message.append(path).append(": ");
        }
        String original = e.getOriginalMessage();
        int newline = original == null ? -1 : original.indexOf('\n');
        String firstLine = newline < 0 ? original : original.substring(0, newline);
        // Jackson's own words name Java classes and tokens; a host file's reader knows keys, lists and numbers.
        message.append(
                switch (e) {
                    case UnrecognizedPropertyException unknown ->
                        "unknown key '" + unknown.getPropertyName() + "' (expected one of: "
                                + unknown.getKnownPropertyIds().stream()
                                        .map(Object::toString)
                                        .sorted()
                                        .collect(Collectors.joining(", "))
                                + ")";
                    case InvalidFormatException format ->
                        "'" + format.getValue() + "' is not " + kind(format.getTargetType());
                    case MismatchedInputException mismatch
                    when mismatch.getTargetType() != null -> "expected " + kind(mismatch.getTargetType());
                    default ->
                        firstLine != null && firstLine.startsWith("Duplicate field '")
                                ? "duplicate key '" + firstLine.substring(17, firstLine.indexOf('\'', 17)) + "'"
                                : firstLine;
                });
        return message.toString();
    }

    /** What a value of {@code type} is, in a host file's words. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "a value of the right kind";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a single value (text)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a mapping of keys";
    }
}
