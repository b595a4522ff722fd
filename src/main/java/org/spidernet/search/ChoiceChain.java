package org.spidernet.search;

import org.spidernet.graph.ir.AlphaGroup;

import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * A {@link SampledSpace} that is a finite chain of choices: {@code rows} positions of
 * {@code width} choices each (FaDE's region: a candidate cell per stage; AutoSpace's learned space:
 * a cell per layer). Random search draws each position's choice uniformly, in order, from the
 * seed; DARTS trains the supernet whose alpha group {@code alphaGroup} has a row per position.
 *
 * @param network  the network that takes choice {@code picks[r]} at row r
 * @param supernet the supernet mixing every choice under the given mixing
 */
public record ChoiceChain(String description, int rows, int width, String alphaGroup, Function<int[], SpaceNetwork> network,
                          Function<AlphaGroup.Mixing, SpaceNetwork> supernet) implements SampledSpace {
    public ChoiceChain {
        if (rows < 1 || width < 1) {
            throw new IllegalArgumentException("a chain of choices needs >= 1 row and >= 1 choice, got " + rows + " and " + width);
        }
    }

    @Override
    public SpaceNetwork sample(long seed) {
        Random r = new Random(seed);
        int[] picks = new int[rows];
        for (int i = 0; i < rows; i++) {
            picks[i] = r.nextInt(width);
        }
        return network.apply(picks);
    }

    @Override
    public Optional<ChoiceSupernet> supernet(AlphaGroup.Mixing mixing) {
        SpaceNetwork mixed = supernet.apply(mixing);
        return Optional.of(new ChoiceSupernet() {
            @Override
            public SpaceNetwork network() {
                return mixed;
            }

            @Override
            public String alphaGroup() {
                return alphaGroup;
            }

            @Override
            public SpaceNetwork pick(int[] picks) {
                return network.apply(picks);
            }
        });
    }
}
