package org.spidernet.backend;

/** A provider whose construction fails as if a class it links to were missing. */
public final class UnconstructibleProvider implements BackendProvider {
    public UnconstructibleProvider() {
        throw new NoClassDefFoundError("org/nd4j/linalg/api/ndarray/INDArray");
    }

    @Override
    public String name() {
        return "unconstructible";
    }

    @Override
    public int rank() {
        return 60;
    }

    @Override
    public Availability availability() {
        return Availability.usable("never reached");
    }

    @Override
    public Backend open() {
        throw new IllegalStateException("never reached");
    }
}
