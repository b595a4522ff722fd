package org.spidernet.backend.reference;

import org.spidernet.backend.Backend;
import org.spidernet.backend.OpFamilyBackend;
import org.spidernet.backend.TensorLedger;

/**
 * The float64, plain-Java backend: the oracle every other backend is tested against. Clarity
 * beats speed.
 *
 * <p>Its {@link OpFamilyBackend} dispatches each op to its family ({@link ReferenceElementwise},
 * {@link ReferenceSamplePairs}, {@link ReferenceAugment}, {@link ReferenceConvolution},
 * {@link ReferenceBatchNorm}, {@link ReferencePooling}, {@link ReferenceConcat}, {@link ReferenceLinear},
 * {@link ReferenceLoss}, {@link ReferenceSgd}), which validates the arguments with the rules
 * every backend shares ({@link org.spidernet.backend.ShapeCheck}, {@link org.spidernet.backend.ConvExtents},
 * {@link org.spidernet.backend.PoolExtents}, ...) and then runs a naive float64 loop nest from the
 * package's kernel classes ({@link Convolution}, {@link BatchNorm}, {@link Pooling}, {@link Concat},
 * {@link Linear}, {@link SoftmaxCrossEntropy}, {@link SgdMomentum}, {@link Elementwise}, {@link SamplePairs},
 * {@link Augment}); the tensors live in its {@link Storage}.
 *
 * <p>Beyond the {@link Backend} contract this backend is strict on purpose, so that engine bugs
 * surface here first: a tensor from another backend is an {@link IllegalArgumentException}; a
 * closed tensor (or any use after {@link #close()}) is an {@link IllegalStateException}; and
 * apart from the elementwise ops (fill, copy, axpy, scaleAddPerSample, relu, reluBackward,
 * sgdMomentum) an output tensor must not be the same tensor as one of the op's inputs.
 *
 * <p>Not thread-safe: one backend instance belongs to one thread at a time.
 */
public final class ReferenceBackend extends OpFamilyBackend {
    private final Storage storage;

    /** A backend limited only by the Java heap. */
    public ReferenceBackend() {
        this(TensorLedger.UNLIMITED);
    }

    /**
     * A backend emulating a device of {@code capacityBytes}: an allocation that would take its
     * tensors past it throws {@link org.spidernet.backend.DeviceOutOfMemoryException}.
     */
    public ReferenceBackend(long capacityBytes) {
        this(new Storage(capacityBytes));
    }

    private ReferenceBackend(Storage storage) {
        this(storage, new ReferenceElementwise(storage));
    }

    private ReferenceBackend(Storage storage, ReferenceElementwise elementwise) {
        super(storage, elementwise, elementwise, new ReferenceAugment(storage), new ReferenceSamplePairs(storage),
                new ReferenceConvolution(storage), new ReferenceBatchNorm(storage), new ReferencePooling(storage),
                new ReferenceConcat(storage), new ReferenceLinear(storage), new ReferenceLoss(storage), new ReferenceSgd(storage));
        this.storage = storage;
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int bytesPerElement() {
        return Storage.BYTES_PER_ELEMENT;
    }

    /** Invalidates every live tensor and releases its bytes; later use of the backend throws. */
    @Override
    public void close() {
        storage.close();
    }
}
