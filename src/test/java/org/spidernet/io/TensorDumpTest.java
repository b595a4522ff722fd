package org.spidernet.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine-to-PyTorch dump: exact round trip, the byte layout numpy reads, and malformed files. */
class TensorDumpTest {

    private static double[] random(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10);
        }
        return v;
    }

    private static TensorDump sample(Random r) {
        TensorDump d = new TensorDump();
        d.meta().put("backend", "reference");
        d.meta().put("loss", r.nextDouble());
        d.put("input", new int[]{3, 1, 5, 4}, random(r, 60));
        d.put("grad/cell0.e0-1.sep_conv_3x3.dw1.weight", new int[]{2, 1, 3, 3}, random(r, 18));
        d.put("gate_grad/cell1:0->2:identity", new int[]{1}, random(r, 1));
        d.put("empty", new int[]{0, 7}, new double[0]);
        return d;
    }

    @Test
    void roundTripIsExactWithShapesAndMetadata(@TempDir Path tmp) throws IOException {
        TensorDump d = sample(new Random(System.nanoTime()));
        d.write(tmp, "step-reference");
        TensorDump back = TensorDump.read(tmp, "step-reference");
        assertEquals(d.entries().keySet().stream().toList(), back.entries().keySet().stream().toList());
        for (String name : d.entries().keySet()) {
            assertArrayEquals(d.get(name).shape(), back.get(name).shape(), name);
            assertArrayEquals(d.get(name).values(), back.get(name).values(), 0.0, name);
        }
        assertEquals(d.meta(), back.meta());
    }

    @Test
    void binaryIsLittleEndianFloat64AtTheIndexedOffsets(@TempDir Path tmp) throws IOException {
        TensorDump d = sample(new Random(System.nanoTime()));
        d.write(tmp, "x");
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("x.bin"))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((60 + 18 + 1) * 8, raw.capacity());
        double[] grad = d.get("grad/cell0.e0-1.sep_conv_3x3.dw1.weight").values();
        for (int i = 0; i < grad.length; i++) {
            assertEquals(grad[i], raw.getDouble((60 + i) * 8), 0.0);
        }
        String index = Files.readString(tmp.resolve("x.json"));
        assertTrue(index.contains("\"dtype\" : \"<f8\""), index);
        assertTrue(index.contains("\"offset\" : 60"), index);
    }

    @Test
    void truncatedOrOversizedDataIsAnErrorNamingTheFile(@TempDir Path tmp) throws IOException {
        sample(new Random(3)).write(tmp, "t");
        Path bin = tmp.resolve("t.bin");
        byte[] full = Files.readAllBytes(bin);
        Files.write(bin, Arrays.copyOf(full, full.length - 8));
        IOException e = assertThrows(IOException.class, () -> TensorDump.read(tmp, "t"));
        assertTrue(e.getMessage().contains("t.json") || e.getMessage().contains("t.bin"), e.getMessage());
        Files.write(bin, Arrays.copyOf(full, full.length + 8));
        e = assertThrows(IOException.class, () -> TensorDump.read(tmp, "t"));
        assertTrue(e.getMessage().contains("t.bin"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> TensorDump.read(tmp, "nothing"));
        assertTrue(missing.getMessage().contains("nothing.json"), missing.getMessage());
    }

    @Test
    void refusesMismatchedShapesAndDuplicateNames() {
        TensorDump d = new TensorDump();
        assertThrows(IllegalArgumentException.class, () -> d.put("a", new int[]{2, 3}, new double[5]));
        d.put("a", new int[]{2}, new double[]{0.5, -1.5});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.put("a", new int[]{1}, new double[]{2}));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
        assertEquals(List.of("a"), d.entries().keySet().stream().toList());
    }
}
