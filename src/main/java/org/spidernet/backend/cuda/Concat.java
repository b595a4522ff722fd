package org.spidernet.backend.cuda;

import java.util.List;
import org.spidernet.backend.ConcatOps;
import org.spidernet.backend.ConcatShapes;
import org.spidernet.backend.Tensor;

/**
 * Channel concatenation, forward and backward: one launch of {@code concat.cu} per input block
 * (per non-null gradient backward), each with its arguments by value, so a captured step records
 * the launches as they are. A block with nothing to copy (no samples, no channels, an empty
 * plane) never reaches the kernels.
 */
final class Concat implements ConcatOps {
    private final DeviceStream stream;
    private final TensorStorage storage;

    Concat(DeviceStream stream, TensorStorage storage) {
        this.stream = stream;
        this.storage = storage;
    }

    @Override
    public void concatChannels(List<Tensor> xs, Tensor y) {
        String op = "concatChannels";
        ConcatShapes e = ConcatShapes.forward(op, xs, y);
        CudaTensor ys = storage.tensor(y, op, "y");
        CudaTensor[] parts = new CudaTensor[e.parts()];
        for (int j = 0; j < parts.length; j++) {
            parts[j] = storage.tensor(xs.get(j), op, "xs[" + j + "]");
        }
        for (int j = 0; j < parts.length; j++) {
            if (!e.empty() && e.channels(j) > 0) {
                stream.check(CudaNative.concatChannelsForward(stream.handle(), parts[j].pointer(), ys.pointer(),
                        e.batch(), e.channels(j), e.totalChannels(), e.offset(j), e.plane()),
                        "snc_concat_channels_forward");
            }
        }
    }

    @Override
    public void concatChannelsBackward(Tensor dy, int[] channels, List<Tensor> dxs) {
        String op = "concatChannelsBackward";
        ConcatShapes e = ConcatShapes.backward(op, dy, channels, dxs);
        CudaTensor dys = storage.tensor(dy, op, "dy");
        CudaTensor[] grads = new CudaTensor[e.parts()];
        for (int j = 0; j < grads.length; j++) {
            grads[j] = dxs.get(j) == null ? null : storage.tensor(dxs.get(j), op, "dxs[" + j + "]");
        }
        for (int j = 0; j < grads.length; j++) {
            if (grads[j] != null && !e.empty() && e.channels(j) > 0) {
                stream.check(CudaNative.concatChannelsBackward(stream.handle(), dys.pointer(), grads[j].pointer(),
                        e.batch(), e.channels(j), e.totalChannels(), e.offset(j), e.plane()),
                        "snc_concat_channels_backward");
            }
        }
    }
}
