package org.spidernet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.data.IdxReader;
import org.spidernet.data.ImageFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * The dataset and image files: IDX images and labels, plain and gzipped (the reader recognises
 * gzip by content, so the gzipped target compresses the fuzzer's bytes to reach the IDX parser
 * behind the decompressor), CIFAR binary batches and PNGs as {@code spidernet predict} reads them.
 */
class DatasetFileFuzzTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int CIFAR10_RECORD = 1 + 3 * 32 * 32;

    @TempDir
    Path tmp;

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void idx(byte[] bytes) {
        Path file = ParserContract.write(tmp, "train-images-idx3-ubyte", bytes);
        ParserContract.check(file, () -> IdxReader.readImages(file));
        ParserContract.check(file, () -> IdxReader.readLabels(file, 10));
    }

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void idxGzipped(byte[] bytes) {
        // the fuzzer's bytes, compressed, then (for the decompressor's faults) cut at a point the input chooses
        byte[] gz = gzip(bytes);
        int cut = bytes.length == 0 ? gz.length : Math.max(2, gz.length - (bytes[0] & 0x0F));
        Path file = ParserContract.write(tmp, "train-labels-idx1-ubyte.gz", Arrays.copyOf(gz, cut));
        ParserContract.check(file, () -> IdxReader.readImages(file));
        ParserContract.check(file, () -> IdxReader.readLabels(file, 10));
    }

    /** Whatever {@code predict} is given: the format is detected by content, and PNG, IDX and CIFAR each parsed. */
    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void imageFile(byte[] bytes) {
        Path file = ParserContract.write(tmp, "image.bin", bytes);
        ParserContract.check(file, () -> ImageFile.read(file, 1, 28, 28));
        ParserContract.check(file, () -> ImageFile.read(file, 3, 32, 32));
    }

    /** PNG decoding: the signature is given, so every input reaches ImageIO and our header check. */
    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void png(byte[] bytes) {
        byte[] png = Arrays.copyOf(PNG_SIGNATURE, PNG_SIGNATURE.length + bytes.length);
        System.arraycopy(bytes, 0, png, PNG_SIGNATURE.length, bytes.length);
        Path file = ParserContract.write(tmp, "digit.png", png);
        ParserContract.check(file, () -> ImageFile.read(file, 1, 28, 28));
        ParserContract.check(file, () -> ImageFile.read(file, 3, 4, 4));
    }

    /** CIFAR batches have no magic: the input is padded to whole CIFAR-10 records so the record parser is reached. */
    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void cifar(byte[] bytes) {
        int records = Math.max(1, (bytes.length + CIFAR10_RECORD - 1) / CIFAR10_RECORD);
        byte[] batch = Arrays.copyOf(bytes, Math.min(records, 4) * CIFAR10_RECORD);
        Path file = ParserContract.write(tmp, "data_batch_1.bin", batch);
        ParserContract.check(file, () -> ImageFile.read(file, 3, 32, 32));
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
