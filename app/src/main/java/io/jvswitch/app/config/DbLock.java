package io.jvswitch.app.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per database: an exclusive lock on {@code FILE.lock} beside it, held for as long as the daemon runs. Two
 * daemons writing one database would each overwrite the other's changes. The kernel drops the lock when the process
 * ends, however it ends (kill -9 included), so a restart never finds a stale one.
 */
public final class DbLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DbLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of database {@code db}.
     *
     * @throws IOException naming the database when another daemon holds it, or when the lock file cannot be made
     */
    public static DbLock acquire(Path db) throws IOException {
        Path lockFile = db.resolveSibling(db.getFileName() + ".lock");
        // A new database's folder may not exist yet: the first save makes it, and the lock beside it comes first.
        Path folder = lockFile.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process (another daemon in the same JVM: tests)
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException(db + ": another jvs daemon is using this database (" + lockFile + " is locked)");
        }
        return new DbLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
