package example;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spidernet.api.SearchSettings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny search through the library on a small generated dataset, saved, reloaded and re-tested. */
class FindNetworkTest {

    /** Writes an MNIST-format dataset of random 8x8 images whose label is the brightest quadrant. */
    private static Path dataset(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        write(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 96, r);
        write(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 24, r);
        return dir;
    }

    private static void write(Path dir, String images, String labels, int n, Random r) throws IOException {
        ByteBuffer img = ByteBuffer.allocate(16 + n * 64).putInt(0x803).putInt(n).putInt(8).putInt(8);
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(4);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int quadrant = (y / 4) * 2 + x / 4;
                    img.put((byte) (r.nextInt(100) + (quadrant == label ? 150 : 0)));
                }
            }
            lab.put((byte) label);
        }
        Files.write(dir.resolve(images), img.array());
        Files.write(dir.resolve(labels), lab.array());
    }

    @Test
    void aTinySearchFindsANetworkWhoseSavedModelRetestsTheSame(@TempDir Path tmp) throws IOException {
        Path data = dataset(tmp.resolve("data"), System.nanoTime());
        FindNetwork.Found f = FindNetwork.run(data, tmp.resolve("model"), new SearchSettings().strategy("random")
                .iterations(2).epochsPerIteration(1).finalEpochs(1).channels(2).reductions(1).batch(8).validation(16));
        assertTrue(f.searchAccuracy() >= 0 && f.searchAccuracy() <= 1, "accuracy " + f.searchAccuracy());
        assertEquals(f.searchAccuracy(), f.reloadedAccuracy(), 0.0, "the saved model re-tests to the search's figure");
        assertTrue(Files.isRegularFile(f.model().resolve("model.json")));
        assertTrue(Files.isRegularFile(f.model().resolve("weights.safetensors")));
    }
}
