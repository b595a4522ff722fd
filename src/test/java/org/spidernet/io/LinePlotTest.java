package org.spidernet.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PNG line plots: a real image of the stated size, gaps for NaN, refusals before any file is written. */
class LinePlotTest {
    private static final double[] ITERATIONS = {0, 1, 2, 3, 4, 5};

    private static LinkedHashMap<String, double[]> memory() {
        LinkedHashMap<String, double[]> s = new LinkedHashMap<>();
        s.put("planned peak (MiB)", new double[]{410, 433, 457, 470, 502, 530});
        s.put("measured peak (MiB)", new double[]{415, 436, Double.NaN, 474, 505, 534}); // one missing point
        return s;
    }

    @Test
    void writesAPngOfTheStatedSize(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("plots/memory.png");
        LinePlot.write(png, "Peak memory per iteration", "iteration", "MiB", ITERATIONS, memory());
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 5_000, "a plot with axes, two lines and a legend is more than " + bytes.length + " bytes");
        assertArrayEquals(CellDiagramTest.PNG_MAGIC, Arrays.copyOf(bytes, CellDiagramTest.PNG_MAGIC.length));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LinePlot.WIDTH, image.getWidth());
        assertEquals(LinePlot.HEIGHT, image.getHeight());
        assertFalse(isBlank(image), "nothing drawn");
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList(), "scratch files left behind");
        }
    }

    @Test
    void replacesAnEarlierPlot(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("accuracy.png");
        Files.writeString(png, "old");
        LinkedHashMap<String, double[]> acc = new LinkedHashMap<>();
        acc.put("validation accuracy", new double[]{0.61, 0.70, 0.74, 0.79, 0.80, 0.81});
        LinePlot.write(png, "Validation accuracy", "iteration", "accuracy", ITERATIONS, acc);
        assertTrue(Files.size(png) > 5_000);
    }

    @Test
    void refusesBadInputWithoutWritingAFile(@TempDir Path dir) {
        Path png = dir.resolve("bad.png");
        LinkedHashMap<String, double[]> shortSeries = new LinkedHashMap<>();
        shortSeries.put("accuracy", new double[]{0.5, 0.6});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinePlot.write(png, "t", "x", "y", ITERATIONS, shortSeries));
        assertTrue(e.getMessage().contains("'accuracy' has 2 values for 6 x values"), e.getMessage());

        assertThrows(IllegalArgumentException.class,
                () -> LinePlot.write(png, "t", "x", "y", ITERATIONS, new LinkedHashMap<>()));
        assertThrows(IllegalArgumentException.class,
                () -> LinePlot.write(png, "t", "x", "y", new double[0], new LinkedHashMap<>()));
        LinkedHashMap<String, double[]> infinite = new LinkedHashMap<>();
        infinite.put("params", new double[]{1, 2, Double.POSITIVE_INFINITY, 4, 5, 6});
        assertThrows(IllegalArgumentException.class, () -> LinePlot.write(png, "t", "x", "y", ITERATIONS, infinite));
        LinkedHashMap<String, double[]> fine = new LinkedHashMap<>();
        fine.put("params", new double[]{1, 2, 3});
        assertThrows(IllegalArgumentException.class,
                () -> LinePlot.write(png, "t", "x", "y", new double[]{0, Double.NaN, 2}, fine));
        assertFalse(Files.exists(png));
    }

    private static boolean isBlank(BufferedImage image) {
        int first = image.getRGB(0, 0);
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                if (image.getRGB(x, y) != first) {
                    return false;
                }
            }
        }
        return true;
    }
}
