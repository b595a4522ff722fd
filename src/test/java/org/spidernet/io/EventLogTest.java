package org.spidernet.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reopening a log appends to it; a line a killed writer left half-written stays on a line of its own. */
class EventLogTest {

    @Test
    void reopeningAppendsAndEndsATornLastLine(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("events.jsonl");
        try (EventLog log = new EventLog(f)) {
            log.write(log.event("run_start"));
        }
        try (EventLog log = new EventLog(f)) {
            log.write(log.event("epoch"));
        }
        Files.writeString(f, "{\"event\":\"che", java.nio.file.StandardOpenOption.APPEND); // killed mid-write
        try (EventLog log = new EventLog(f)) {
            log.write(log.event("run_resumed"));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertEquals("{\"event\":\"che", lines.get(2));
        ObjectMapper m = new ObjectMapper();
        assertEquals("run_start", m.readTree(lines.get(0)).get("event").asText());
        assertEquals("epoch", m.readTree(lines.get(1)).get("event").asText());
        assertEquals("run_resumed", m.readTree(lines.get(3)).get("event").asText());
    }
}
