package org.spidernet.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An append-only JSON-lines log of a run: one object per event, each with {@code time} (ISO-8601)
 * and {@code event}, flushed line by line so a crash loses at most the line being written. Opening
 * an existing log appends to it (a resumed run), after ending a line a killed writer left torn.
 */
public final class EventLog implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final BufferedWriter out;
    private final Path file;

    public EventLog(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.file = file;
        boolean torn = endsMidLine(file);
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (torn) {
            // a process killed mid-write left half a line: end it, so the next event is a line of its own
            out.write('\n');
            out.flush();
        }
    }

    private static boolean endsMidLine(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return false;
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            f.seek(f.length() - 1);
            return f.read() != '\n';
        }
    }

    /** A new event object to fill and pass to {@link #write}. */
    public ObjectNode event(String name) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("time", Instant.now().toString());
        n.put("event", name);
        return n;
    }

    public synchronized void write(ObjectNode event) {
        try {
            out.write(MAPPER.writeValueAsString(event));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write event log " + file, e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
