package org.spidernet.backend;

/** A provider that breaks the never-throws contract the way a plug-in with a missing library would. */
public final class BrokenLibraryProvider implements BackendProvider {
    @Override
    public String name() {
        return "broken";
    }

    @Override
    public int rank() {
        return 50;
    }

    @Override
    public Availability availability() {
        throw new NoClassDefFoundError("org/nd4j/linalg/factory/Nd4j");
    }

    @Override
    public Backend open() {
        throw new NoClassDefFoundError("org/nd4j/linalg/factory/Nd4j");
    }
}
