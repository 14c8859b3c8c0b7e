package io.jvswitch.lab.topology;

import java.io.Serial;
import java.util.List;

/**
 * A topology file that cannot be used. Each problem is one line naming where it is and what is wrong:
 *
 * <pre>
 * tutorial.yaml:14:5: hosts[0].vms[0].network: unknown network 'net9' (networks: net1)
 * tutorial.yaml:9:7: hosts[0].macc: unknown key 'macc' (expected one of: addresses, local_ip, mac, ...)
 * </pre>
 */
public final class TopologyException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public TopologyException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, one line each, in file order of the checks. */
    public List<String> problems() {
        return problems;
    }
}
