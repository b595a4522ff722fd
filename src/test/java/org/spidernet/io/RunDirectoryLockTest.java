package org.spidernet.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run directory's lock within one process; a lock held by another process is in cli/RunLockTest. */
class RunDirectoryLockTest {
    private static final String ME = "pid " + ProcessHandle.current().pid() + " on ";

    @Test
    void aSecondLockOnAHeldDirectoryIsRefusedNamingTheDirectoryAndTheHolder(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("runs").resolve("x");
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(dir)) {
            assertTrue(Files.readString(lock.file()).startsWith(ME), Files.readString(lock.file()));
            RunDirectoryInUseException e = assertThrows(RunDirectoryInUseException.class, () -> RunDirectoryLock.acquire(dir));
            assertTrue(e.getMessage().startsWith(dir + " is in use by another spidernet run (" + ME), e.getMessage());
            assertTrue(e.getMessage().contains(", started "), e.getMessage());
            assertThrows(RunDirectoryInUseException.class, () -> RunDirectoryLock.checkNotInUse(dir));
            // the refused attempts changed nothing: the holder's line is still there
            assertTrue(Files.readString(lock.file()).startsWith(ME));
        }
        assertDoesNotThrow(() -> RunDirectoryLock.checkNotInUse(dir));
        try (RunDirectoryLock again = RunDirectoryLock.acquire(dir)) {
            assertTrue(Files.readString(again.file()).startsWith(ME));
        }
    }

    @Test
    void releasingEmptiesTheFileAndTheDirectoryStaysAvailableUntilACheckpoint(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("x");
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(dir)) {
            assertTrue(OutputDirectory.isAvailable(dir));
            Files.writeString(dir.resolve(OutputDirectory.EVENTS), "{}\n");
            assertTrue(OutputDirectory.isAvailable(dir), "an event log without a checkpoint is a run killed before it");
            Files.createDirectories(dir.resolve("checkpoint"));
            assertFalse(OutputDirectory.isAvailable(dir));
        }
        assertEquals("", Files.readString(dir.resolve(RunDirectoryLock.FILE)));
        assertEquals(java.util.Optional.empty(), RunDirectoryLock.holder(dir));
    }

    @Test
    void aLockFileOfADeadProcessIsTakenOver(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("x"));
        // what a killed run leaves: its line, and no OS lock (that died with it)
        String dead = RunDirectoryLock.describe(ProcessHandle.current()).replaceFirst("^pid \\d+", "pid 999999999");
        Files.writeString(dir.resolve(RunDirectoryLock.FILE), dead + "\n");
        assertDoesNotThrow(() -> RunDirectoryLock.checkNotInUse(dir));
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(dir)) {
            assertTrue(Files.readString(lock.file()).startsWith(ME), "the new holder's line replaced the dead one's");
            assertFalse(Files.readString(lock.file()).contains("999999999"));
        }
    }

    @Test
    void checkingAMissingOrUnlockedDirectoryWritesNothing(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("never");
        RunDirectoryLock.checkNotInUse(dir);
        assertFalse(Files.exists(dir));
        Files.createDirectories(dir);
        RunDirectoryLock.checkNotInUse(dir);
        assertFalse(Files.exists(dir.resolve(RunDirectoryLock.FILE)));
    }
}
