package org.spidernet.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The {@link ArchitectureSpace} plug-ins on the class path, by name. */
public final class ArchitectureSpaces {
    private ArchitectureSpaces() {
    }

    public static List<ArchitectureSpace> all() {
        List<ArchitectureSpace> list = new ArrayList<>();
        ServiceLoader.load(ArchitectureSpace.class).forEach(list::add);
        return list;
    }

    public static Optional<ArchitectureSpace> find(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The space named {@code name}; an {@link IllegalArgumentException} listing the known ones otherwise. */
    public static ArchitectureSpace require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown architecture space '" + org.spidernet.io.Quoted.of(name)
                + "' (known: " + String.join(", ", all().stream().map(ArchitectureSpace::name).sorted().toList()) + ")"));
    }

    /**
     * The whole number the space of {@code n} describes it by under {@code figure} ("edges", "ops":
     * {@link ArchitectureSpace#describe}), for the iteration records; 0 where it gives none.
     */
    public static int count(SpaceNetwork n, String figure) {
        return require(n.space()).describe(n.json()).get(figure) instanceof Number v ? v.intValue() : 0;
    }

    /** The IR of a recorded network. */
    public static org.spidernet.graph.ir.Architecture lower(SpaceNetwork n) {
        return require(n.space()).lower(n.json());
    }
}
