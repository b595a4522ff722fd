package org.spidernet.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes named tensors in the safetensors format, which NumPy (a few lines), PyTorch and the
 * {@code safetensors} package read without this engine: an unsigned little-endian int64 header
 * length N, N bytes of UTF-8 JSON mapping each name to its dtype, shape and
 * {@code data_offsets} [begin, end) within the data that follows (plus an optional
 * {@code __metadata__} map of strings), padded with spaces to a multiple of 8 so the data is
 * aligned, then the tensors' bytes, little-endian, in header order. Values are written as F32,
 * the precision every deployment runtime uses; {@code weights.bin} keeps the exact float64 state.
 */
public final class SafeTensorsFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SafeTensorsFile() {
    }

    /**
     * Writes {@code values} (each entry's shape in {@code shapes}, in that map's order) to
     * {@code file} atomically; an entry whose length is not its shape's product is an
     * {@link IllegalArgumentException} naming it.
     */
    public static void write(Path file, Map<String, int[]> shapes, Map<String, double[]> values,
                             Map<String, String> metadata) throws IOException {
        ObjectNode header = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            double[] v = values.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has a shape but no values");
            }
            long n = 1;
            for (int d : e.getValue()) {
                n *= d;
            }
            if (n != v.length) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has " + v.length + " values for shape "
                        + java.util.Arrays.toString(e.getValue()));
            }
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            ArrayNode shape = t.putArray("shape");
            for (int d : e.getValue()) {
                shape.add(d);
            }
            ArrayNode range = t.putArray("data_offsets");
            range.add(offset);
            range.add(offset + 4 * n);
            offset += 4 * n;
        }
        byte[] json = MAPPER.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[padded];
        System.arraycopy(json, 0, head, 0, json.length);
        java.util.Arrays.fill(head, json.length, padded, (byte) ' ');
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(head);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (String name : shapes.keySet()) {
                for (double x : values.get(name)) {
                    if (buf.remaining() < 4) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat((float) x);
                }
            }
            out.write(buf.array(), 0, buf.position());
            out.flush();
        });
    }

}
