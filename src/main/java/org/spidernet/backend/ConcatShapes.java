package org.spidernet.backend;

import static org.spidernet.backend.ShapeCheck.rank;
import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.str;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Extents of one channel concatenation: {@code batch} samples of the concatenated tensor
 * [N, C, H, W], cut along the channels into blocks of {@code channels[j]} channels, after the
 * parts and the whole were checked against each other: the one home of these rules for every
 * backend. Every tensor of the SPI is NCHW and dense, so block j of sample n is one contiguous run
 * of {@code channels[j] * plane} elements, starting {@code offset(j) * plane} elements into the
 * sample.
 */
public record ConcatShapes(int batch, int[] channels, int totalChannels, int height, int width) {

    public ConcatShapes {
        channels = channels.clone();
    }

    /** concatChannels' rules: at least one x, each [N, C_j, H, W] with y's N, H and W; y [N, sum C_j, H, W] is no x. */
    public static ConcatShapes forward(String op, List<Tensor> xs, Tensor y) {
        Objects.requireNonNull(xs, () -> op + ": xs is null");
        ShapeCheck.notNull(op, "y", y);
        require(!xs.isEmpty(), op + ": xs is empty; a concatenation needs at least one input");
        int[] channels = new int[xs.size()];
        for (int j = 0; j < channels.length; j++) {
            Tensor x = xs.get(j);
            ShapeCheck.notNull(op, "xs[" + j + "]", x);
            channels[j] = block(op, "xs[" + j + "]", x.shape(), "y", y.shape());
            ShapeCheck.distinct(op, "y", y, "xs[" + j + "]", x);
        }
        return of(op, "y", y.shape(), channels);
    }

    /**
     * concatChannelsBackward's rules: one width per gradient, every width at least 0; each non-null
     * dx [N, channels[j], H, W] with dy's N, H and W; the widths add up to dy's channels; no dx is
     * dy or another dx (each is written while dy is read).
     */
    public static ConcatShapes backward(String op, Tensor dy, int[] channels, List<Tensor> dxs) {
        ShapeCheck.notNull(op, "dy", dy);
        Objects.requireNonNull(channels, () -> op + ": channels is null");
        Objects.requireNonNull(dxs, () -> op + ": dxs is null");
        require(channels.length == dxs.size(), op + ": " + channels.length + " channel widths and " + dxs.size()
                + " dxs; one width per input");
        require(!dxs.isEmpty(), op + ": dxs is empty; a concatenation needs at least one input");
        Map<Tensor, String> written = new IdentityHashMap<>();
        for (int j = 0; j < channels.length; j++) {
            require(channels[j] >= 0, op + ": channels[" + j + "] is " + channels[j] + ", a width cannot be negative");
            Tensor dx = dxs.get(j);
            if (dx == null) {
                continue;
            }
            String name = "dxs[" + j + "]";
            int width = block(op, name, dx.shape(), "dy", dy.shape());
            require(width == channels[j], op + ": " + name + " " + str(dx.shape()) + " has " + width
                    + " channels, but channels[" + j + "] is " + channels[j]);
            ShapeCheck.distinct(op, name, dx, "dy", dy);
            String other = written.putIfAbsent(dx, name);
            require(other == null, op + ": " + name + " " + str(dx.shape()) + " must not be the same tensor as "
                    + other);
        }
        return of(op, "dy", dy.shape(), channels);
    }

    /** The widths of the blocks, read from tensors that must all be present. */
    static int[] channelsOf(String op, List<Tensor> dxs) {
        Objects.requireNonNull(dxs, () -> op + ": dxs is null");
        int[] channels = new int[dxs.size()];
        for (int j = 0; j < channels.length; j++) {
            Tensor dx = dxs.get(j);
            require(dx != null, op + ": dxs[" + j + "] is null, so its block's width is unknown; pass the widths "
                    + "(concatChannelsBackward(dy, channels, dxs)) to skip an input");
            rank(op, "dxs[" + j + "]", dx.shape(), 4);
            channels[j] = dx.shape()[1];
        }
        return channels;
    }

    /** A part's channels, after checking it is [N, C_j, H, W] with the whole's N, H and W. */
    private static int block(String op, String partName, int[] part, String wholeName, int[] whole) {
        rank(op, partName, part, 4);
        rank(op, wholeName, whole, 4);
        require(part[0] == whole[0] && part[2] == whole[2] && part[3] == whole[3], op + ": " + partName + " "
                + str(part) + " does not match " + wholeName + " " + str(whole) + " outside the channels");
        return part[1];
    }

    private static ConcatShapes of(String op, String wholeName, int[] whole, int[] channels) {
        long sum = 0;
        for (int c : channels) {
            sum += c;
        }
        require(sum == whole[1], op + ": " + wholeName + " " + str(whole) + " has " + whole[1]
                + " channels, the inputs' add up to " + sum);
        return new ConcatShapes(whole[0], channels, whole[1], whole[2], whole[3]);
    }

    /** The blocks' widths (a copy). */
    @Override
    public int[] channels() {
        return channels.clone();
    }

    /** Number of inputs. */
    public int parts() {
        return channels.length;
    }

    /** Channel where block j starts in the concatenated tensor. */
    public int offset(int j) {
        int offset = 0;
        for (int i = 0; i < j; i++) {
            offset += channels[i];
        }
        return offset;
    }

    /** Elements of one channel's H x W plane. */
    public int plane() {
        return height * width;
    }

    /** Block j's width in channels. */
    public int channels(int j) {
        return channels[j];
    }

    /** True when there is nothing to copy (no samples or an empty plane). */
    public boolean empty() {
        return batch == 0 || height == 0 || width == 0;
    }
}
