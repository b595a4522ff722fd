package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spidernet.backend.Tensor;

/**
 * Channel concatenation on the reference: the forward pass against a hand-worked layout, the
 * backward pass against central finite differences ({@link GradientCheck}: fresh random inputs,
 * |analytic - numeric| &lt;= 1e-8 + 1e-6 max(|analytic|, |numeric|); the op is linear, so the
 * difference quotient is exact up to rounding), with and without an input that needs no gradient.
 */
class ReferenceConcatTest {
    private static final double EXACT = 0;
    private static final int N = 2;
    private static final int H = 3;
    private static final int W = 5;

    private final SeededRandom random = new SeededRandom();
    private ReferenceBackend backend;

    @BeforeEach
    void open() {
        backend = new ReferenceBackend();
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void blockJOfEachSampleIsInputJ() {
        // two samples, planes of 2 elements: a has 1 channel, b has 2
        Tensor a = tensor(new double[] {1, 2, 3, 4}, 2, 1, 1, 2);
        Tensor b = tensor(new double[] {10, 11, 12, 13, 20, 21, 22, 23}, 2, 2, 1, 2);
        Tensor y = backend.allocate(2, 3, 1, 2);
        backend.fill(y, 123.0);
        backend.concatChannels(List.of(a, b), y);
        assertArrayEquals(new double[] {1, 2, 10, 11, 12, 13, 3, 4, 20, 21, 22, 23}, backend.download(y), EXACT);
    }

    @Test
    void anInputMayAppearTwice() {
        Tensor a = tensor(new double[] {1, 2}, 1, 2, 1, 1);
        Tensor y = backend.allocate(1, 4, 1, 1);
        backend.concatChannels(List.of(a, a), y);
        assertArrayEquals(new double[] {1, 2, 1, 2}, backend.download(y), EXACT);
    }

    /** skipped: the index of the input whose gradient is null, -1 for none. */
    @ParameterizedTest(name = "input {0} needs no gradient")
    @ValueSource(ints = {-1, 0, 2})
    void backwardMatchesFiniteDifferences(int skipped) {
        int[] channels = {3, 1, 4};  // odd widths, so a wrong block offset cannot line up by chance
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> dxs = new ArrayList<>();
        for (int c : channels) {
            xs.add(tensor(random.uniform(N * c * H * W), N, c, H, W));
            dxs.add(backend.allocate(N, c, H, W));
        }
        Tensor y = backend.allocate(N, Arrays.stream(channels).sum(), H, W);
        Tensor r = tensor(random.uniform((int) y.size()), y.shape());
        List<Tensor> wanted = new ArrayList<>(dxs);
        if (skipped >= 0) {
            wanted.set(skipped, null);
        }
        GradientCheck check = GradientCheck.of(backend, random, "concatChannels");
        for (int j = 0; j < channels.length; j++) {
            if (j != skipped) {
                check.wrt("xs[" + j + "]", xs.get(j), dxs.get(j));
            }
        }
        check.run(() -> {
            backend.concatChannels(xs, y);
            return backend.dot(r, y);
        }, () -> backend.concatChannelsBackward(r, channels, wanted));
    }

    private Tensor tensor(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }
}
