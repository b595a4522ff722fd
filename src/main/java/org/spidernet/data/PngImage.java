package org.spidernet.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one PNG into the 8-bit CHW pixels a network of a given input shape takes. The rules:
 * <ul>
 * <li>Samples are read as stored, without colour-space conversion (Java's {@code getRGB} would
 *     gamma-convert a grey image); 16-bit samples are scaled to 8 bits, {@code round(v * 255 / 65535)}.
 *     Palette images take their palette's colours.</li>
 * <li>Transparency is composited over black, {@code round(v * alpha / 255)}: black is the
 *     background of the MNIST family, and a transparent pixel has no colour of its own.</li>
 * <li>A colour image for a one-channel network becomes grey by the ITU-R BT.601 luma,
 *     {@code round(0.299 R + 0.587 G + 0.114 B)}, which leaves a grey image saved as RGB
 *     unchanged. A grey image for a colour network is refused rather than invented.</li>
 * <li>Images are never resized: another width or height is an error naming both shapes.</li>
 * </ul>
 */
final class PngImage {
    private PngImage() {
    }

    /** The image as {@code channels x height x width} bytes, CHW; every refusal is a one-line error naming the file. */
    static byte[] read(Path file, int channels, int height, int width) throws IOException {
        requireDeclaredSize(file, height, width);
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetFormatException(file, "not a readable PNG (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new DatasetFormatException(file, "not a readable PNG (no image decoded)");
        }
        ColorModel cm = img.getColorModel();
        boolean palette = cm instanceof IndexColorModel;
        int stored = palette ? 3 : cm.getNumColorComponents();
        String kind = (stored == 1 ? "grey" : "RGB") + (palette ? " palette" : "") + (cm.hasAlpha() ? " with alpha" : "");
        boolean fits = img.getHeight() == height && img.getWidth() == width
                && (channels == stored || (channels == 1 && stored == 3));
        if (!fits) {
            throw new DatasetFormatException(file, "PNG image is " + stored + "x" + img.getHeight() + "x" + img.getWidth()
                    + " (" + kind + "), the model takes " + channels + "x" + height + "x" + width
                    + " (channels x height x width; images are never resized, grey is never made colour)");
        }
        int plane = height * width;
        byte[] out = new byte[channels * plane];
        int[] rgb = new int[3];
        Raster raster = img.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int alpha;
                if (palette) {
                    int argb = img.getRGB(x, y); // palette entries are 8-bit sRGB already: no conversion happens
                    rgb[0] = (argb >> 16) & 0xFF;
                    rgb[1] = (argb >> 8) & 0xFF;
                    rgb[2] = argb & 0xFF;
                    alpha = argb >>> 24;
                } else {
                    for (int b = 0; b < stored; b++) {
                        rgb[b] = to8Bits(raster.getSample(x, y, b), cm.getComponentSize(b));
                    }
                    alpha = cm.hasAlpha() ? to8Bits(raster.getSample(x, y, stored), cm.getComponentSize(stored)) : 255;
                }
                if (alpha != 255) {
                    for (int b = 0; b < stored; b++) {
                        rgb[b] = (int) Math.round(rgb[b] * alpha / 255.0);
                    }
                }
                int p = y * width + x;
                if (channels == stored) {
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + p] = (byte) rgb[c];
                    }
                } else {
                    out[p] = (byte) luma(rgb[0], rgb[1], rgb[2]);
                }
            }
        }
        return out;
    }

    /**
     * Refuses a PNG whose header (IHDR, always the first chunk) declares far more pixels than the
     * model takes before ImageIO decodes it: a corrupt or hostile header can declare 2^31 x 2^31
     * pixels, and the decoder would try to allocate the raster (OutOfMemoryError) before any size
     * check of ours. A size near the model's is decoded, so its refusal names both shapes and the
     * colour kind.
     */
    private static void requireDeclaredSize(Path file, int height, int width) throws IOException {
        byte[] head;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            head = in.readNBytes(24);
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head);
        boolean ihdr = head.length == 24 && b.getInt(12) == 0x49484452; // "IHDR"
        if (!ihdr) {
            throw new DatasetFormatException(file, "not a readable PNG (no IHDR header chunk after the signature)");
        }
        long w = b.getInt(16) & 0xFFFFFFFFL;
        long h = b.getInt(20) & 0xFFFFFFFFL;
        if (w * h > 4L * height * width + 4096) {
            throw new DatasetFormatException(file, "PNG image is " + h + "x" + w + " pixels (height x width), the model takes "
                    + height + "x" + width + " (images are never resized)");
        }
    }

    /** ITU-R BT.601 luma of an 8-bit RGB pixel, rounded; r = g = b gives that value back. */
    static int luma(int r, int g, int b) {
        return (int) Math.min(255, Math.round(0.299 * r + 0.587 * g + 0.114 * b));
    }

    private static int to8Bits(int sample, int bits) {
        return bits == 8 ? sample : (int) Math.round(sample * 255.0 / ((1 << bits) - 1));
    }
}
