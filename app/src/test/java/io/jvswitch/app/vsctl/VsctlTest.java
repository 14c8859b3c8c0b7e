package io.jvswitch.app.vsctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvswitch.app.config.ConfigStore;
import io.jvswitch.app.config.SwitchDb;
import io.jvswitch.datapath.show.OvsdbText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VsctlTest {
    private static SwitchDb run(SwitchDb db, String command) {
        return Vsctl.run(db, List.of(command.split(" "))).db();
    }

    private static String output(SwitchDb db, String command) {
        return Vsctl.run(db, List.of(command.split(" "))).output();
    }

    @Test
    void theIssuesExampleTransactionAddsAGreTunnelPort() {
        SwitchDb db = run(SwitchDb.empty(), "add-br br-tun");
        db = run(
                db,
                "add-port br-tun gre-1 -- set interface gre-1 type=gre options:remote_ip=198.18.0.2"
                        + " options:key=flow");
        SwitchDb.PortConfig port = db.bridge("br-tun").port("gre-1");
        assertThat(port.type()).isEqualTo("gre");
        assertThat(port.options()).isEqualTo(Map.of("remote_ip", "198.18.0.2", "key", "flow"));
        assertThat(output(db, "list-ports br-tun")).isEqualTo("gre-1\n");
        assertThat(output(db, "get interface gre-1 options")).isEqualTo("{key=flow, remote_ip=\"198.18.0.2\"}\n");
        assertThat(output(db, "get interface gre-1 options:remote_ip")).isEqualTo("\"198.18.0.2\"\n");
        assertThat(output(db, "list-br")).isEqualTo("br-tun\n");
    }

    @Test
    void aTransactionThatEndsInvalidChangesNothing() {
        SwitchDb db = run(SwitchDb.empty(), "add-br br-tun");
        assertThatThrownBy(() -> run(
                        db,
                        "add-port br-tun gre-1 -- set interface gre-1 type=gre"
                                + " options:remote_ip=198.18.0.2 options:key=16777216x"))
                .isInstanceOf(VsctlException.class)
                .hasMessage("gre-1: options:key=16777216x is not a number or flow");
        assertThatThrownBy(() -> run(
                        db,
                        "add-port br-tun gre-1 -- set interface gre-1 type=vxlan"
                                + " options:remote_ip=198.18.0.2 options:key=16777216"))
                .hasMessage("gre-1: options:key=16777216 is out of range: a VXLAN VNI is 24 bits (0 to 16777215)");
        assertThat(db.bridge("br-tun").port("gre-1")).isNull();
    }

    @Test
    void errorsSayWhatIsWrongAsOvsVsctlDoes() {
        SwitchDb db = run(run(SwitchDb.empty(), "add-br br-int"), "add-port br-int tap0 tag=1");
        assertThatThrownBy(() -> run(db, "add-br br-int"))
                .hasMessage("cannot create a bridge named br-int because a bridge named br-int already exists");
        assertThat(run(db, "--may-exist add-br br-int")).isEqualTo(db);
        assertThatThrownBy(() -> run(db, "add-port br-int tap0"))
                .hasMessage(
                        "cannot create a port named tap0 because a port named tap0 already exists on bridge br-int");
        assertThatThrownBy(() -> run(db, "del-port br-int"))
                .hasMessage("cannot delete port br-int because it is the local port for bridge br-int (deleting this"
                        + " port requires deleting the entire bridge)");
        assertThatThrownBy(() -> run(db, "del-br br-nope")).hasMessage("no bridge named br-nope");
        assertThat(run(db, "--if-exists del-br br-nope")).isEqualTo(db);
        assertThatThrownBy(() -> run(db, "set port tap0 tag=4095"))
                .hasMessage("tag=4095: a VLAN is 1 to 4094 ([] for none)");
        assertThatThrownBy(() -> run(db, "set interface tap0 type=geneve"))
                .hasMessage("type=geneve: unknown interface type (types: system, internal, tap, patch, gre, vxlan,"
                        + " gre-udp)");
        assertThatThrownBy(() -> run(db, "add-port br-int p0 -- set interface p0 type=patch"))
                .hasMessage("p0: a patch interface takes exactly options:peer");
        assertThatThrownBy(() -> run(db, "frobnicate"))
                .hasMessage("unknown command 'frobnicate' (commands: add-br, del-br, add-port, del-port, set, get,"
                        + " list-br, list-ports, br-exists, list, show)");
        assertThatThrownBy(() -> run(db, "add-port br-int a-name-much-too-long"))
                .hasMessage("'a-name-much-too-long' is not a valid name: 1 to 15 letters, digits, '-', '_', '.' or ':'"
                        + " (it also names a kernel interface)");
        assertThat(output(db, "get port tap0 tag")).isEqualTo("1\n");
        assertThat(run(db, "del-port tap0").bridge("br-int").port("tap0")).isNull();
    }

    @Test
    void ovsdbQuotesAsTheTutorialShows() {
        assertThat(OvsdbText.Quoting.CLASSIC.string("patch-int")).isEqualTo("patch-int");
        assertThat(OvsdbText.Quoting.CLASSIC.string("gre-2")).isEqualTo("\"gre-2\"");
        assertThat(OvsdbText.Quoting.CLASSIC.string("192.168.1.100")).isEqualTo("\"192.168.1.100\"");
        assertThat(OvsdbText.Quoting.CLASSIC.string("flow")).isEqualTo("flow");
        assertThat(OvsdbText.Quoting.CLASSIC.string("true")).isEqualTo("\"true\"");
        assertThat(OvsdbText.Quoting.CLASSIC.map(Map.of(
                        "remote_ip",
                        "192.168.1.101",
                        "in_key",
                        "flow",
                        "local_ip",
                        "192.168.1.100",
                        "out_key",
                        "flow")))
                .isEqualTo("{in_key=flow, local_ip=\"192.168.1.100\", out_key=flow, remote_ip=\"192.168.1.101\"}");
    }

    @Test
    void theStoreWritesAtomicallyAndReadsBackTheSameConfiguration(@TempDir Path dir) throws Exception {
        ConfigStore store = new ConfigStore(dir.resolve("conf.db"));
        SwitchDb empty = store.load();
        SwitchDb db = run(
                run(empty, "add-br br-tun"),
                "add-port br-tun gre-1 -- set interface gre-1 type=gre" + " options:remote_ip=198.18.0.2");
        store.save(db);
        assertThat(Files.exists(dir.resolve("conf.db.tmp")))
                .as("no temporary file left behind")
                .isFalse();
        assertThat(new ConfigStore(dir.resolve("conf.db")).load()).isEqualTo(db);
        Files.writeString(dir.resolve("bad.db"), "{\"bridges\": 3}");
        assertThatThrownBy(() -> new ConfigStore(dir.resolve("bad.db")).load())
                .hasMessageStartingWith(dir.resolve("bad.db") + ": line 1, column 13: not a jvswitch configuration:");
    }
}
