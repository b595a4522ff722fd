package org.spidernet.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prediction inputs: PNG, IDX and CIFAR files recognised by content and read in the model's shape, or refused in one line. */
class ImageFileTest {

    private static Path png(Path file, BufferedImage img) throws IOException {
        assertTrue(ImageIO.write(img, "png", file.toFile()));
        return file;
    }

    /** A grey image whose pixel (x, y) is {@code 40 * y + 7 * x}, distinct along both axes. */
    private static BufferedImage grey(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, (40 * y + 7 * x) & 0xFF);
            }
        }
        return img;
    }

    private static int greyValue(int x, int y) {
        return (40 * y + 7 * x) & 0xFF;
    }

    private static void assertOneLineNaming(IOException e, Path file, String... parts) {
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file.toString() + ": "), msg);
        assertEquals(1, msg.lines().count(), msg);
        for (String p : parts) {
            assertTrue(msg.contains(p), "'" + p + "' missing from: " + msg);
        }
    }

    @Test
    void greyPngIsReadAsStoredRowMajor(@TempDir Path tmp) throws IOException {
        // named .bin: the content, not the name, says PNG
        Path f = png(tmp.resolve("digit.bin"), grey(5, 3));
        ImageFile img = ImageFile.read(f, 1, 3, 5);
        assertEquals(ImageFileFormat.PNG, img.format());
        assertEquals(1, img.count());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(greyValue(x, y), img.pixels()[y * 5 + x] & 0xFF, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void sixteenBitGreyIsScaledToEightBits(@TempDir Path tmp) throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 65535);
        img.getRaster().setSample(1, 0, 0, 257 * 100);
        byte[] px = ImageFile.read(png(tmp.resolve("g16.png"), img), 1, 1, 2).pixels();
        assertEquals(255, px[0] & 0xFF);
        assertEquals(100, px[1] & 0xFF);
    }

    @Test
    void rgbPngGivesColourPlanesOrBt601LumaForAGreyModel(@TempDir Path tmp) throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xC83264); // r 200, g 50, b 100
        img.setRGB(1, 0, 0x7B7B7B); // grey 123 saved as RGB
        Path f = png(tmp.resolve("rgb.png"), img);
        assertArrayEquals(new byte[]{(byte) 200, 123, 50, 123, 100, 123}, ImageFile.read(f, 3, 1, 2).pixels(),
                "CHW: the red plane, then green, then blue");
        byte[] g = ImageFile.read(f, 1, 1, 2).pixels();
        assertEquals(Math.round(0.299 * 200 + 0.587 * 50 + 0.114 * 100), g[0] & 0xFF);
        assertEquals(123, g[1] & 0xFF, "a grey pixel stays what it was");
    }

    @Test
    void paletteAndAlphaPngs(@TempDir Path tmp) throws IOException {
        byte[] r = {0, (byte) 200}, gr = {0, 100}, b = {0, 50};
        BufferedImage pal = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, gr, b));
        pal.getRaster().setSample(0, 0, 0, 1);
        pal.getRaster().setSample(1, 0, 0, 0);
        assertArrayEquals(new byte[]{(byte) 200, 0, 100, 0, 50, 0},
                ImageFile.read(png(tmp.resolve("pal.png"), pal), 3, 1, 2).pixels());

        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0xFF_FF_FF_FF);   // opaque white
        argb.setRGB(1, 0, 0x80_C8_64_32);   // alpha 128 over black
        byte[] px = ImageFile.read(png(tmp.resolve("argb.png"), argb), 3, 1, 2).pixels();
        assertEquals(255, px[0] & 0xFF);
        assertEquals(Math.round(200 * 128 / 255.0), px[1] & 0xFF);
        assertEquals(Math.round(100 * 128 / 255.0), px[3] & 0xFF);
        assertEquals(Math.round(50 * 128 / 255.0), px[5] & 0xFF);
    }

    @Test
    void aPngOfAnotherSizeOrAGreyPngForAColourModelIsRefusedNamingBothShapes(@TempDir Path tmp) throws IOException {
        Path f = png(tmp.resolve("big.png"), grey(30, 28));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ImageFile.read(f, 1, 28, 28));
        assertOneLineNaming(e, f, "1x28x30", "1x28x28");
        Path g = png(tmp.resolve("grey.png"), grey(32, 32));
        e = assertThrows(DatasetFormatException.class, () -> ImageFile.read(g, 3, 32, 32));
        assertOneLineNaming(e, g, "1x32x32", "3x32x32");
    }

    @Test
    void idxImagesPlainAndGzipped(@TempDir Path tmp) throws IOException {
        byte[] idx = DatasetFixtures.idxImages(3, 4, 5);
        for (Path f : new Path[]{DatasetFixtures.write(tmp.resolve("plain.png"), idx),
                DatasetFixtures.write(tmp.resolve("packed"), DatasetFixtures.gzip(idx))}) {
            ImageFile img = ImageFile.read(f, 1, 4, 5);
            assertEquals(ImageFileFormat.IDX, img.format());
            assertEquals(3, img.count());
            assertArrayEquals(Arrays.copyOfRange(idx, 16, idx.length), img.pixels());
        }
        Path f = tmp.resolve("plain.png");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ImageFile.read(f, 1, 28, 28));
        assertOneLineNaming(e, f, "1x4x5", "1x28x28");
    }

    @Test
    void cifarBatchesOfEitherRecordSizeWithLabelsIgnored(@TempDir Path tmp) throws IOException {
        Path ten = DatasetFixtures.write(tmp.resolve("test_batch.bin"), DatasetFixtures.cifarRecords(0, 2, r -> r % 10));
        ImageFile img = ImageFile.read(ten, 3, 32, 32);
        assertEquals(ImageFileFormat.CIFAR, img.format());
        assertEquals(2, img.count());
        assertEquals(DatasetFixtures.cifarPixel(1, 2, 3, 4), img.pixels()[3072 + 2 * 1024 + 3 * 32 + 4] & 0xFF);

        Path hundred = DatasetFixtures.write(tmp.resolve("test.bin"),
                DatasetFixtures.cifarRecords(0, 3, r -> r % 20, r -> 99 - r));
        img = ImageFile.read(hundred, 3, 32, 32);
        assertEquals(3, img.count());
        assertEquals(DatasetFixtures.cifarPixel(2, 0, 0, 0), img.pixels()[2 * 3072] & 0xFF);

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ImageFile.read(ten, 1, 28, 28));
        assertOneLineNaming(e, ten, "3x32x32", "1x28x28");
    }

    @Test
    void garbageMissingAndDamagedFilesAreOneLineErrorsNamingTheFile(@TempDir Path tmp) throws IOException {
        Path garbage = Files.writeString(tmp.resolve("notes.png"), "these are not pixels");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ImageFile.read(garbage, 1, 28, 28));
        assertOneLineNaming(e, garbage, "unknown image file format");

        Path missing = tmp.resolve("absent.png");
        e = assertThrows(DatasetMissingException.class, () -> ImageFile.read(missing, 1, 28, 28));
        assertOneLineNaming(e, missing, "not found");

        byte[] good = Files.readAllBytes(png(tmp.resolve("ok.png"), grey(28, 28)));
        Path cut = DatasetFixtures.write(tmp.resolve("cut.png"), Arrays.copyOf(good, 40));
        e = assertThrows(DatasetFormatException.class, () -> ImageFile.read(cut, 1, 28, 28));
        assertOneLineNaming(e, cut, "PNG");

        Path labels = DatasetFixtures.write(tmp.resolve("labels.idx"), DatasetFixtures.idxLabels(4));
        e = assertThrows(DatasetFormatException.class, () -> ImageFile.read(labels, 1, 28, 28));
        assertOneLineNaming(e, labels, "label file");
    }
}
