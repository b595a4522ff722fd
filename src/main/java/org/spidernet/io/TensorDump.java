package org.spidernet.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float64 tensors with their shapes, plus free-form metadata, in two files that numpy reads
 * without any SpiderNet code: {@code STEM.bin} holds every tensor's values back to back as
 * little-endian float64 ({@code numpy.fromfile(..., '<f8')}), and {@code STEM.json} is the index:
 * {@code {"format": "spidernet-tensor-dump", "version": 1, "dtype": "<f8", "meta": {...},
 * "tensors": [{"name", "shape", "offset", "count"}, ...]}} with offsets and counts in elements.
 * The binary file is written first and the index last, so an index always describes a complete
 * binary file. This is how the engine hands a training step to the PyTorch twin.
 */
public final class TensorDump {
    public static final String FORMAT = "spidernet-tensor-dump";
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One tensor: its shape (row-major) and values. */
    public record Entry(int[] shape, double[] values) {
        public Entry {
            long n = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative extent in shape " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, got "
                        + values.length);
            }
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final ObjectNode meta;

    public TensorDump() {
        this(MAPPER.createObjectNode());
    }

    private TensorDump(ObjectNode meta) {
        this.meta = meta;
    }

    /** Free-form metadata written into the index (scalars such as the loss, labels of the run). */
    public ObjectNode meta() {
        return meta;
    }

    /** Adds a tensor; names are unique. */
    public TensorDump put(String name, int[] shape, double[] values) {
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        entries.put(name, new Entry(shape.clone(), values.clone()));
        return this;
    }

    public Map<String, Entry> entries() {
        return java.util.Collections.unmodifiableMap(entries);
    }

    public Entry get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in the dump");
        }
        return e;
    }

    /** Writes {@code dir/stem.bin}, then {@code dir/stem.json}, each atomically. */
    public void write(Path dir, String stem) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("dtype", "<f8");
        root.put("data", stem + ".bin");
        root.set("meta", meta);
        ArrayNode list = root.putArray("tensors");
        long offset = 0;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            ObjectNode t = list.addObject();
            t.put("name", e.getKey());
            ArrayNode shape = t.putArray("shape");
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            t.put("offset", offset);
            t.put("count", e.getValue().values().length);
            offset += e.getValue().values().length;
        }
        AtomicFiles.write(dir.resolve(stem + ".bin"), out -> {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : entries.values()) {
                for (double v : e.values()) {
                    if (buf.remaining() < Double.BYTES) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putDouble(v);
                }
            }
            out.write(buf.array(), 0, buf.position());
        });
        AtomicFiles.writeString(dir.resolve(stem + ".json"), MAPPER.writeValueAsString(root) + "\n");
    }

    /** Reads what {@link #write} wrote; a malformed index or a short binary file is an error naming the file. */
    public static TensorDump read(Path dir, String stem) throws IOException {
        Path index = dir.resolve(stem + ".json");
        Path data = dir.resolve(stem + ".bin");
        if (!Files.isRegularFile(index)) {
            throw new IOException(index + ": tensor dump index not found");
        }
        JsonNode root = MAPPER.readTree(index.toFile());
        if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
            throw new IOException(index + ": not a " + FORMAT + " version " + VERSION + " index");
        }
        JsonNode metaNode = root.path("meta");
        TensorDump dump = new TensorDump(metaNode.isObject() ? (ObjectNode) metaNode : MAPPER.createObjectNode());
        long size = Files.isRegularFile(data) ? Files.size(data) : -1;
        if (size < 0) {
            throw new IOException(data + ": tensor dump data not found");
        }
        try (InputStream raw = Files.newInputStream(data); DataInputStream in = new DataInputStream(raw)) {
            long position = 0;
            byte[] bytes = new byte[Double.BYTES];
            for (JsonNode t : root.path("tensors")) {
                String name = t.path("name").asText();
                long offset = t.path("offset").asLong(-1);
                int count = t.path("count").asInt(-1);
                if (offset != position || count < 0 || (offset + count) * Double.BYTES > size) {
                    throw new IOException(index + ": tensor '" + name + "' at offset " + offset + " with " + count
                            + " values does not fit " + data + " (" + size + " bytes)");
                }
                int[] shape = new int[t.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.path("shape").get(i).asInt();
                }
                double[] v = new double[count];
                for (int i = 0; i < count; i++) {
                    in.readFully(bytes);
                    v[i] = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble();
                }
                position += count;
                try {
                    dump.put(name, shape, v);
                } catch (IllegalArgumentException e) {
                    throw new IOException(index + ": " + e.getMessage(), e);
                }
            }
            if (position * Double.BYTES != size) {
                throw new IOException(data + ": " + size + " bytes, the index describes " + position * Double.BYTES);
            }
        } catch (EOFException e) {
            throw new IOException(data + ": truncated tensor dump", e);
        }
        return dump;
    }
}
