package io.jvswitch.app.control;

import io.jvswitch.app.config.ConfigStore;
import io.jvswitch.app.config.DbLock;
import io.jvswitch.app.daemon.DatapathRuntime;
import io.jvswitch.app.daemon.SwitchDaemon;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A switch daemon serving its control socket: what {@code jvs daemon} runs, and what tests start in-process. The
 * socket opens only once the configuration is restored and forwarding is on, so a client never sees a half-started
 * switch.
 */
public final class RunningDaemon implements AutoCloseable {
    private final DbLock lock;
    private final SwitchDaemon daemon;
    private final ControlServer control;

    private RunningDaemon(DbLock lock, SwitchDaemon daemon, ControlServer control) {
        this.lock = lock;
        this.daemon = daemon;
        this.control = control;
    }

    /**
     * Starts the daemon on {@code db} and listens on {@code socket}.
     *
     * @param log hears one line per start step
     * @throws IOException when another daemon uses the database, when it is bad (nothing is started), or when the
     *     socket cannot be bound
     */
    public static RunningDaemon start(Path db, Path socket, DatapathRuntime runtime, Consumer<String> log)
            throws IOException {
        DbLock lock = DbLock.acquire(db);
        SwitchDaemon daemon;
        try {
            daemon = SwitchDaemon.start(new ConfigStore(db), runtime, log);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            ControlServer control = ControlServer.start(socket, new DaemonRequests(daemon));
            log.accept("listening on " + control.path());
            return new RunningDaemon(lock, daemon, control);
        } catch (IOException | RuntimeException e) {
            daemon.close();
            lock.close();
            throw e;
        }
    }

    public SwitchDaemon daemon() {
        return daemon;
    }

    public Path socket() {
        return control.path();
    }

    @Override
    public void close() throws IOException {
        try {
            control.close();
        } finally {
            try {
                daemon.close();
            } finally {
                lock.close();
            }
        }
    }
}
