package org.spidernet.graph;

/** What the network consumes and predicts: image channels and size, number of classes. */
public record InputSpec(int channels, int height, int width, int classes) {

    public InputSpec {
        if (channels < 1 || height < 1 || width < 1 || classes < 2) {
            throw new IllegalArgumentException("bad input spec: channels=" + channels + " height=" + height
                    + " width=" + width + " classes=" + classes + " (need channels, height, width >= 1, classes >= 2)");
        }
    }

    public static final InputSpec FASHION_MNIST = new InputSpec(1, 28, 28, 10);
    public static final InputSpec CIFAR10 = new InputSpec(3, 32, 32, 10);
}
