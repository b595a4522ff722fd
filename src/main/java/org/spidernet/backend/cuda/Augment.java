package org.spidernet.backend.cuda;

import static org.spidernet.backend.ShapeCheck.require;
import static org.spidernet.backend.ShapeCheck.str;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.spidernet.backend.AugmentOps;
import org.spidernet.backend.AugmentPlan;
import org.spidernet.backend.Tensor;

/**
 * The training batch's augmentation (crop, flip, Cutout, normalisation) on the device: the plan's
 * per-sample ints and the raw pixels travel in one host-to-device copy through a staging buffer,
 * so this op copies host memory and is refused inside a captured step.
 */
final class Augment implements AugmentOps {
    private final DeviceStream stream;
    private final TensorStorage storage;
    /** Stages the host arguments (never used inside a captured step). */
    private final Scratch staging;

    Augment(DeviceStream stream, TensorStorage storage, Scratch staging) {
        this.stream = stream;
        this.storage = storage;
        this.staging = staging;
    }

    @Override
    public void augment(byte[] raw, Tensor out, AugmentPlan plan) {
        String op = "augment";
        Objects.requireNonNull(raw, "augment: raw is null");
        Objects.requireNonNull(plan, "augment: plan is null");
        CudaTensor os = storage.tensor(out, op, "out");
        stream.notCapturing(op);
        int[] s = os.shape();
        plan.check(op, raw, s);
        int channels = plan.channels();
        require(channels <= CudaNative.AUGMENT_MAX_CHANNELS, op + ": out " + str(s) + " has " + channels
                + " channels, this backend normalises at most " + CudaNative.AUGMENT_MAX_CHANNELS);
        if (os.size() == 0) {
            return;
        }
        int samples = plan.samples();
        // one upload per batch: the plan's ints (little-endian, as the device reads them), then the pixels
        int paramBytes = samples * CudaNative.AUGMENT_SAMPLE_INTS * Integer.BYTES;
        long pixels = (long) samples * (os.size() / s[0]);
        require(paramBytes + pixels <= Integer.MAX_VALUE - 8, op + ": " + samples + " images of out " + str(s)
                + " are too many bytes for one host array");
        byte[] staged = new byte[(int) (paramBytes + pixels)];
        ByteBuffer params = ByteBuffer.wrap(staged).order(ByteOrder.LITTLE_ENDIAN);
        for (int n = 0; n < samples; n++) {
            params.putInt(plan.cropY(n)).putInt(plan.cropX(n)).putInt(plan.flip(n) ? 1 : 0)
                    .putInt(plan.cutoutY(n)).putInt(plan.cutoutX(n));
        }
        System.arraycopy(raw, 0, staged, paramBytes, (int) pixels);
        double[] mean = new double[channels];
        double[] scale = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = plan.mean(c);
            scale[c] = plan.scale(c);
        }
        long device = 0L;
        if (samples > 0) {
            // one stream orders this copy after the last reader of the staging buffer
            device = staging.pointer(staged.length);
            stream.check(CudaNative.copyToDevice(stream.handle(), device, staged, staged.length),
                    "snc_copy_to_device (augment plan and pixels)");
        }
        stream.check(CudaNative.augment(stream.handle(), device == 0L ? 0L : device + paramBytes, os.pointer(), s[0],
                s[1], s[2], s[3], samples, device, mean, scale, plan.padding(), plan.cutout()), "snc_augment");
    }
}
