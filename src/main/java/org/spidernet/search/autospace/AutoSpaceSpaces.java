package org.spidernet.search.autospace;

import org.spidernet.graph.InputSpec;
import org.spidernet.graph.InvalidGenomeException;
import org.spidernet.search.ChoiceChain;
import org.spidernet.search.SampledSpace;
import org.spidernet.search.SampledSpaceProvider;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.SpaceFile;
import org.spidernet.search.SpaceNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * AutoSpace's spaces for {@code search --space}: {@code autospace}, the original space (any cell
 * at every layer of the CPU default target for the run's channels and reductions: the target a
 * default AutoSpace search on a CPU evolves cells for), and a learned
 * space's file ({@code learned-space.json}, a finite chain of choices: random search draws a cell
 * per layer, DARTS trains the mix).
 */
public final class AutoSpaceSpaces implements SampledSpaceProvider {
    public static final String ORIGINAL = "autospace";

    @Override
    public List<String> names() {
        return List.of(ORIGINAL);
    }

    @Override
    public Optional<SampledSpace> open(String spec, InputSpec input, SearchConfig cfg) {
        if (ORIGINAL.equals(spec)) {
            return Optional.of(original(TargetNetwork.of("auto", input, cfg.channels(), cfg.reductions(),
                    AutoSpaceSettings.CPU_LAYERS_PER_STAGE)));
        }
        Optional<SpaceFile> file = SpaceFile.of(spec).filter(f -> f.claims(AutoSpaceJson.SPACE_FORMAT));
        if (file.isEmpty()) {
            return Optional.empty();
        }
        LearnedSpace space;
        try {
            space = AutoSpaceJson.readSpace(file.get().text());
        } catch (InvalidGenomeException e) {
            throw new IllegalArgumentException(file.get().path() + ": not a valid AutoSpace learned space: " + e.getMessage(), e);
        }
        file.get().requireInput("learned space", space.choices().target().input(), input);
        return Optional.of(learned(space.choices(), file.get().path().toString()));
    }

    /** Any cell at every layer of {@code target}: what AutoSpace starts from. */
    static SampledSpace original(TargetNetwork target) {
        return new SampledSpace() {
            @Override
            public String description() {
                return "AutoSpace's original space (any cell at each of " + target.size() + " layers)";
            }

            @Override
            public SpaceNetwork sample(long seed) {
                Random r = new Random(seed);
                List<AutoCell> cells = new ArrayList<>();
                for (int l = 0; l < target.size(); l++) {
                    cells.add(RandomCells.draw(r));
                }
                return network(new AutoNetwork(target, cells));
            }
        };
    }

    /** One of {@code choices}' cells at every layer, from {@code source}. */
    static SampledSpace learned(CellChoices choices, String source) {
        return new ChoiceChain("learned AutoSpace space (" + choices.target().size() + " layers x " + choices.width()
                + " cells) from " + source, choices.target().size(), choices.width(), AutoMix.ALPHAS,
                picks -> network(choices.network(picks)),
                mixing -> new SpaceNetwork(AutoMixSpace.NAME, AutoSpaceJson.write(new AutoMix(choices, mixing))));
    }

    static SpaceNetwork network(AutoNetwork n) {
        return new SpaceNetwork(AutoSpaceSpace.NAME, AutoSpaceJson.write(n));
    }
}
