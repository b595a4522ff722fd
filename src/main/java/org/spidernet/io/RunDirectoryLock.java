package org.spidernet.io;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * An exclusive lock on a run directory, so two runs never write into the same one: the file
 * {@value #FILE} in it names the holder (pid, host, start time) and carries an OS lock
 * ({@link FileChannel#tryLock}). The OS lock, not the file, decides: it dies with its process,
 * so the lock file a killed run leaves behind is taken over by the next run without anyone
 * deleting it by hand. Closing empties the file and releases the lock; the (empty) file stays.
 */
public final class RunDirectoryLock implements AutoCloseable {
    public static final String FILE = ".lock";
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectoryLock.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and locks it, writing this process into {@value #FILE}.
     *
     * @throws RunDirectoryInUseException while another run (this process included) holds it;
     *                                    then nothing in {@code dir} was changed
     */
    public static RunDirectoryLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = null;
        try {
            lock = tryLock(ch);
            if (lock == null) {
                throw inUse(dir, readHolder(ch));
            }
            // a holder empties the file before it lets go; a line left in it is a run that died holding it
            String stale = readHolder(ch);
            if (!stale.isEmpty()) {
                LOG.info("{}: taking over the lock of a run that ended without releasing it ({}{})", dir, stale,
                        holderDead(stale) ? ", no longer running" : ", which no longer holds the lock");
            }
            byte[] me = (describe(ProcessHandle.current()) + "\n").getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me), 0);
            ch.force(true);
            return new RunDirectoryLock(file, ch, lock);
        } catch (IOException | RuntimeException e) {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            ch.close();
            throw e;
        }
    }

    /**
     * Refuses a directory another run holds, without writing anything: for checks made before
     * a run decides to write (a missing or free lock file passes).
     */
    public static void checkNotInUse(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            // WRITE without CREATE or TRUNCATE changes nothing; an exclusive lock needs it
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return;
        }
        try (ch) {
            FileLock lock = tryLock(ch);
            if (lock == null) {
                throw inUse(dir, readHolder(ch));
            }
            lock.release();
        }
    }

    /** Null while another process, or another channel of this one, holds the lock. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static RunDirectoryInUseException inUse(Path dir, String holder) {
        return new RunDirectoryInUseException(dir + " is in use by another spidernet run ("
                + (holder.isEmpty() ? "holder unknown" : holder) + ")");
    }

    static String describe(ProcessHandle p) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        Instant started = p.info().startInstant().orElse(Instant.now());
        return "pid " + p.pid() + " on " + host + ", started " + started;
    }

    /** The holder line of the lock file ("pid N on HOST, started T"), empty when there is none. */
    private static String readHolder(FileChannel ch) throws IOException {
        long size = Math.min(ch.size(), 1024);
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // positional reads until full
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim().replace('\n', ' ');
    }

    /** True when the holder line names a process of this host that no longer exists. */
    private static boolean holderDead(String holder) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^pid (\\d+) on (\\S+),").matcher(holder);
        if (!m.find()) {
            return false;
        }
        String me = describe(ProcessHandle.current());
        boolean sameHost = me.contains(" on " + m.group(2) + ",");
        return sameHost && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).map(a -> !a).orElse(true);
    }

    /** Where the holder line lives. */
    public Path file() {
        return file;
    }

    /**
     * Empties the lock file and releases the lock. The file stays: deleting it would let a run
     * that opened it just before lock a file no longer in the directory while a third creates a
     * new one, and both would believe they hold the directory.
     */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                channel.truncate(0);
                channel.force(true);
            }
        } finally {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
            } finally {
                channel.close();
            }
        }
    }

    /** The holder line of {@code dir}'s lock file, if it has one. */
    public static Optional<String> holder(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String s = Files.readString(file).trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
