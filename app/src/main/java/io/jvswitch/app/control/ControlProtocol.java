package io.jvswitch.app.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;

/**
 * The control socket's protocol: JSON lines over a Unix domain stream socket. A client sends one request, a JSON
 * object on one line, and reads one reply, a JSON object on one line; it may send more requests on the same
 * connection. Every request has an {@code op}; the others depend on it:
 *
 * <pre>{@code
 * {"op":"vsctl","args":["add-port","br-tun","gre-1","--","set","interface","gre-1","type=gre"],"format":"text"}
 * {"op":"ofctl","command":"add-flows","bridge":"br-tun","flows":["table=0, actions=drop"],"source":"f.txt"}
 * {"op":"ofctl","command":"mod-flows","bridge":"br0","flows":["in_port=1 actions=drop"],"strict":true}
 * {"op":"ofctl","command":"del-flows","bridge":"br0","flows":[]}          (no flows: delete every flow)
 * {"op":"ofctl","command":"dump-flows","bridge":"br0","match":"in_port=1","format":"json"}
 * {"op":"ofctl","command":"dump-ports","bridge":"br0"}
 * {"op":"ofctl","command":"replace-flows","bridge":"br0","flows":[...],"source":"f.txt"}
 * {"op":"ofctl","command":"flow-lines","bridge":"br0"}                   (add-flow lines, for diff-flows)
 * {"op":"appctl","args":["ofproto/trace","br-tun","in_port=1,arp"],"format":"text"}
 * {"op":"agent","host":{"local_ip":"192.168.1.100",...},"source":"host1.yaml"}
 * {"op":"capture","port":"tap0","count":10,"seconds":10}   (reply: "frames":[{"time":ns,"direction":"in","hex":...}])
 * }</pre>
 *
 * {@code format} is {@code text} (the default: what the Open vSwitch tool prints) or {@code json}. The reply is
 * {@code {"ok":true,"output":"..."}} with the text to print (for {@code flow-lines}, {@code "lines":[...]} too), or
 * {@code {"ok":false,"error":"..."}} naming what is wrong and where. A refused request changed nothing, and the
 * daemon goes on serving: a line that is not JSON, an unknown op, a missing field, a command that fails. Lines are
 * UTF-8, at most {@link #MAX_LINE} bytes.
 */
public final class ControlProtocol {
    /** Where the daemon listens when neither {@code --control} nor {@code JVS_CONTROL} says. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/jvswitch/jvs.ctl");

    /** The environment variable that overrides {@link #DEFAULT_SOCKET}. */
    public static final String SOCKET_VARIABLE = "JVS_CONTROL";

    /** The longest request line accepted: a flow file of some ten thousand flows. */
    public static final int MAX_LINE = 16 << 20;

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ControlProtocol() {}

    /** The socket to use: the option's when given, else {@code JVS_CONTROL}'s, else the default. */
    public static Path socket(Path option, Map<String, String> environment) {
        if (option != null) {
            return option;
        }
        String variable = environment.get(SOCKET_VARIABLE);
        return variable == null || variable.isBlank() ? DEFAULT_SOCKET : Path.of(variable);
    }
}
