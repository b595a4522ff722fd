package org.spidernet.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.spidernet.graph.InputSpec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file given to {@code search --space}, as a {@link SampledSpaceProvider} sees it: its path, its
 * text and the format its JSON claims ({@code "format"}), the claim that makes a fault in it a
 * provider's to report rather than to pass on.
 */
public record SpaceFile(Path path, String text, Optional<String> format) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The text file {@code spec} names; empty when it names no regular file or the file is not
     * text; an {@link IllegalArgumentException} naming it when it cannot be read.
     */
    public static Optional<SpaceFile> of(String spec) {
        Path file;
        try {
            file = Path.of(spec);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            return Optional.empty(); // not text, so not JSON
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the space file (" + e.getMessage() + ")", e);
        }
        return Optional.of(new SpaceFile(file, text, format(text)));
    }

    private static Optional<String> format(String text) {
        try {
            JsonNode root = MAPPER.readTree(text);
            JsonNode f = root == null || !root.isObject() ? null : root.get("format");
            return f != null && f.isTextual() ? Optional.of(f.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Whether the file's JSON claims {@code expected} as its format. */
    public boolean claims(String expected) {
        return format.filter(expected::equals).isPresent();
    }

    /** Refuses a space whose networks take {@code own} images for data of {@code data}, naming the file and both shapes. */
    public void requireInput(String what, InputSpec own, InputSpec data) {
        if (!own.equals(data)) {
            throw new IllegalArgumentException(path + ": the " + what + " takes " + shape(own) + " images, the data has "
                    + shape(data));
        }
    }

    private static String shape(InputSpec s) {
        return s.channels() + "x" + s.height() + "x" + s.width() + " (" + s.classes() + " classes)";
    }
}
