package org.spidernet.search.autospace;

import org.spidernet.graph.GenomeRanges;
import org.spidernet.graph.InputSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed frame AutoSpace evolves cells for: a stem (conv 3x3 at {@code stemStride} to
 * {@code stemChannels}, BN), a chain of layers each holding one cell (or, in a supernet, K
 * mixed cells), and a classifier. Two presets: {@link #small} for 28x28 and 32x32 images
 * (stages of {@code layersPerStage} layers, each later stage halving the resolution and doubling
 * the width, as SpiderNet's reduction cells do) and {@link #mobile} for larger ones (MobileNetV2's
 * widths and strides relative to its first width).
 */
public record TargetNetwork(InputSpec input, int stemChannels, int stemStride, List<TargetLayer> layers) {
    /** Most layers a target may have. */
    public static final int MAX_LAYERS = 16;
    /** Inputs up to this side get the small preset under {@code target=auto}. */
    public static final int SMALL_INPUT_MAX = 32;
    public static final List<String> PRESETS = List.of("auto", "small", "mobile");
    // MobileNetV2's stage widths 16, 24, 32, 64, 96, 160, 320 as multiples of the first, and its strides
    private static final double[] MOBILE_WIDTH = {1, 1.5, 2, 4, 6, 10, 20};
    private static final int[] MOBILE_STRIDE = {1, 2, 2, 2, 1, 2, 1};

    public TargetNetwork {
        if (input == null) {
            throw new IllegalArgumentException("AutoSpace target: input missing");
        }
        layers = List.copyOf(layers);
        try {
            checkStem(stemChannels, stemStride);
            checkLayers(input, stemStride, layers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AutoSpace target: " + e.getMessage());
        }
    }

    /** The stem's rule: 1 to {@link GenomeRanges#MAX_CHANNELS} channels, stride 1 or 2 (the message has no prefix). */
    public static void checkStem(int channels, int stride) {
        if (channels < 1 || channels > GenomeRanges.MAX_CHANNELS || (stride != 1 && stride != 2)) {
            throw new IllegalArgumentException("the stem needs 1.." + GenomeRanges.MAX_CHANNELS + " channels and stride 1 or 2, got "
                    + channels + " and " + stride);
        }
    }

    /** The layer list's rule: 1 to {@value #MAX_LAYERS} layers whose strides, with the stem's, leave a pixel of the input. */
    public static void checkLayers(InputSpec input, int stemStride, List<TargetLayer> layers) {
        if (layers.isEmpty() || layers.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("needs 1 to " + MAX_LAYERS + " layers, got " + layers.size());
        }
        int side = Math.min(input.height(), input.width());
        int strides = stemStride;
        for (TargetLayer l : layers) {
            strides *= l.stride();
        }
        if (side / strides < 1) {
            throw new IllegalArgumentException("strides of " + strides + " in all leave nothing of a " + input.height() + "x"
                    + input.width() + " input");
        }
    }

    /**
     * {@code reductions + 1} stages of {@code layersPerStage} layers at C, 2C, 4C, ...; the first
     * layer of every stage but the first has stride 2.
     */
    public static TargetNetwork small(InputSpec input, int channels, int reductions, int layersPerStage) {
        if (layersPerStage < 1 || (reductions + 1) * layersPerStage > MAX_LAYERS) {
            throw new IllegalArgumentException("autospace option layers-per-stage must be in 1.." + (MAX_LAYERS / (reductions + 1))
                    + " for " + reductions + " reductions, got " + layersPerStage);
        }
        List<TargetLayer> list = new ArrayList<>();
        for (int s = 0; s <= reductions; s++) {
            for (int l = 0; l < layersPerStage; l++) {
                list.add(new TargetLayer(channels << s, s > 0 && l == 0 ? 2 : 1));
            }
        }
        return new TargetNetwork(input, channels, 1, list);
    }

    /** MobileNetV2's seven stages, one layer each, widths relative to {@code channels}, after a stride-2 stem. */
    public static TargetNetwork mobile(InputSpec input, int channels) {
        List<TargetLayer> list = new ArrayList<>();
        for (int i = 0; i < MOBILE_WIDTH.length; i++) {
            list.add(new TargetLayer(Math.max(1, (int) Math.round(channels * MOBILE_WIDTH[i])), MOBILE_STRIDE[i]));
        }
        return new TargetNetwork(input, channels, 2, list);
    }

    /** The preset named {@code preset} ({@link #PRESETS}; {@code auto}: small up to 32x32 inputs, else mobile). */
    public static TargetNetwork of(String preset, InputSpec input, int channels, int reductions, int layersPerStage) {
        boolean smallInput = Math.max(input.height(), input.width()) <= SMALL_INPUT_MAX;
        return switch (preset) {
            case "small" -> small(input, channels, reductions, layersPerStage);
            case "mobile" -> mobile(input, channels);
            case "auto" -> smallInput ? small(input, channels, reductions, layersPerStage) : mobile(input, channels);
            default -> throw new IllegalArgumentException("autospace option target must be one of " + PRESETS + ", got '"
                    + org.spidernet.io.Quoted.of(preset) + "'");
        };
    }

    public int size() {
        return layers.size();
    }

    public TargetLayer layer(int l) {
        return layers.get(l);
    }
}
