package org.spidernet.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a text file of outside data (a genome, a genotype, an architecture file) as UTF-8 with
 * errors a person can act on. {@link Files#readString} alone fails with the JDK's bare texts: a
 * missing file is a {@link NoSuchFileException} whose message is only the path, and bytes that
 * are not UTF-8 give "Input length = 3", which names neither the file nor the fault.
 */
public final class TextFiles {
    private TextFiles() {
    }

    /**
     * The content of {@code file}; {@code what} names it in errors ("genome file").
     *
     * @throws NoSuchFileException "FILE: genome file not found"
     * @throws IOException         "FILE: not a regular file" or "FILE: genome file is not UTF-8 text (...)"
     */
    public static String readUtf8(Path file, String what) throws IOException {
        if (!Files.exists(file)) {
            // the reason makes getMessage() "FILE: what not found"; the type stays the JDK's
            throw new NoSuchFileException(file.toString(), null, what + " not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": " + what + " is not a regular file");
        }
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) { // removed between the check and the read
            throw new NoSuchFileException(file.toString(), null, what + " not found");
        } catch (CharacterCodingException e) {
            String detail = e instanceof MalformedInputException m
                    ? "a malformed byte sequence of length " + m.getInputLength()
                    : "bytes that are not text";
            throw new IOException(file + ": " + what + " is not UTF-8 text (" + detail + "); is it the right file?", e);
        }
    }
}
