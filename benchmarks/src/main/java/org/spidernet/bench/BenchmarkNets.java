package org.spidernet.bench;

import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.graph.InputSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The networks the benchmarks run: SpiderNet's initial net, or a grown one, both on
 * Fashion-MNIST-shaped input (1 x 28 x 28, 10 classes) at a chosen C. The grown net is a fixture
 * the engine wrote ({@code grown-genome.json}: the initial net after 6 seeded random edge splits,
 * {@code spidernet twin --grow 6 --seed 1}), checked in so the benchmark cannot drift when the
 * random choice of splits changes.
 */
final class BenchmarkNets {
    static final String GROWN_RESOURCE = "grown-genome.json";

    private BenchmarkNets() {
    }

    static Genome genome(String net, int channels, int reductions) {
        return switch (net) {
            case "initial" -> Genome.initial(InputSpec.FASHION_MNIST, channels, reductions);
            case "grown" -> {
                Genome g = grown();
                if (g.reductions() != reductions) {
                    throw new IllegalArgumentException("the grown fixture has R=" + g.reductions() + ", asked for R=" + reductions);
                }
                yield new Genome(g.input(), channels, g.reductions(), g.cells());
            }
            default -> throw new IllegalArgumentException("unknown net '" + net + "' (known: initial, grown)");
        };
    }

    static Genome grown() {
        try (InputStream in = BenchmarkNets.class.getResourceAsStream(GROWN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + GROWN_RESOURCE + " missing from the benchmark jar");
            }
            return GenomeJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
