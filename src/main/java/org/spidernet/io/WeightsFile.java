package org.spidernet.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float arrays in one binary file: the weights, running statistics and gates of a network.
 * Layout (big-endian): magic "SPNW", int32 version (1), int32 entry count, then per entry the
 * name (Java modified UTF-8, as DataOutput writes it), int64 length and that many float64 values.
 * Float64 keeps the reference backend's checkpoints exact.
 */
public final class WeightsFile {
    /** The name run directories and checkpoints give the file. */
    public static final String NAME = "weights.bin";
    private static final int MAGIC = 0x53504E57; // "SPNW"
    private static final int VERSION = 1;

    private WeightsFile() {
    }

    public static void write(Path file, Map<String, double[]> entries) throws IOException {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(entries.size());
            for (Map.Entry<String, double[]> e : entries.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue().length);
                for (double v : e.getValue()) {
                    out.writeDouble(v);
                }
            }
            out.flush();
        });
    }

    public static Map<String, double[]> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": weights file not found");
        }
        long size = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(raw)) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new IOException(file + ": not a SpiderNet weights file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": weights format version " + version + ", this engine reads " + VERSION);
            }
            int n = in.readInt();
            if (n < 0) {
                throw new IOException(file + ": negative entry count " + n);
            }
            Map<String, double[]> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name;
                try {
                    name = in.readUTF();
                } catch (UTFDataFormatException e) { // the JDK's text names neither the file nor the entry
                    throw new IOException(file + ": entry " + i + " has a malformed name (" + e.getMessage() + ")", e);
                }
                long len = in.readLong();
                // len > size / 8, not len * 8 > size: the product overflows for a corrupt length
                if (len < 0 || len > size / Double.BYTES) {
                    throw new IOException(file + ": entry '" + Quoted.of(name) + "' claims " + len + " values, more than the file holds");
                }
                double[] v = new double[(int) len];
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.readDouble();
                }
                m.put(name, v);
            }
            return m;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated weights file", e);
        }
    }
}
