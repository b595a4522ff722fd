package org.spidernet.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A checkpoint directory's {@code manifest.json}: the format version and, for every other file in
 * the directory, its name, byte length and SHA-256. It is written last, once every file is on
 * disk, so a manifest vouches for a complete checkpoint; {@link #verify} checks every listed file
 * before anything is parsed, so a flipped bit or a torn file is reported as such and never read
 * as (wrong) weights or state.
 */
public final class CheckpointManifest {
    public static final String NAME = "manifest.json";
    static final String FORMAT = "spidernet-checkpoint";
    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointManifest() {
    }

    /** Lists every regular file of {@code dir} (but the manifest) in {@code dir/manifest.json}. */
    public static void write(Path dir) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode files = root.putArray("files");
        List<Path> listed;
        try (Stream<Path> s = Files.list(dir)) {
            // sorted: the same checkpoint gives the same manifest, byte for byte
            listed = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(NAME))
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        for (Path f : listed) {
            files.addObject().put("name", f.getFileName().toString()).put("bytes", Files.size(f)).put("sha256", sha256(f));
        }
        AtomicFiles.writeString(dir.resolve(NAME), MAPPER.writeValueAsString(root));
    }

    /** Checks every file the manifest lists; the first fault is a {@link CorruptCheckpointException} naming its file. */
    public static void verify(Path dir) throws IOException {
        Path mf = dir.resolve(NAME);
        if (!Files.isRegularFile(mf)) {
            throw new CorruptCheckpointException(mf, "missing (the checkpoint cannot be verified)");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(mf.toFile());
        } catch (IOException e) {
            throw new CorruptCheckpointException(mf, "unreadable (" + firstLine(e) + ")");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText()) || !root.path("files").isArray()) {
            throw new CorruptCheckpointException(mf, "not a checkpoint manifest");
        }
        if (root.path("version").asInt(-1) != VERSION) {
            throw new CorruptCheckpointException(mf, "manifest version " + org.spidernet.io.Quoted.of(root.path("version").asText("?"))
                    + " is not " + VERSION + " (written by another spidernet?)");
        }
        for (JsonNode e : root.get("files")) {
            String name = e.path("name").asText("");
            long bytes = e.path("bytes").asLong(-1);
            String hash = e.path("sha256").asText("");
            // a name is a plain file of this directory: a damaged manifest must not send the check elsewhere
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..") || bytes < 0 || hash.length() != 64) {
                throw new CorruptCheckpointException(mf, "malformed entry " + e);
            }
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new CorruptCheckpointException(f, "missing (manifest lists " + bytes + " bytes)");
            }
            long size = Files.size(f);
            if (size < bytes) {
                throw new CorruptCheckpointException(f, "truncated: " + size + " bytes, manifest says " + bytes);
            }
            if (size > bytes) {
                throw new CorruptCheckpointException(f, "too long: " + size + " bytes, manifest says " + bytes);
            }
            if (!sha256(f).equalsIgnoreCase(hash)) {
                throw new CorruptCheckpointException(f, "SHA-256 mismatch (file changed or corrupt)");
            }
        }
    }

    static String sha256(Path f) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
    }
}
