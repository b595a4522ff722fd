package org.spidernet.search.nago;

import org.spidernet.search.OptionValues;
import org.spidernet.search.SearchConfig;
import org.spidernet.search.StrategyOption;
import org.spidernet.search.bohb.Bracket;
import org.spidernet.search.bohb.Hyperband;
import org.spidernet.search.bohb.Rung;

import java.util.List;

/**
 * NAGO's search settings, read from a search configuration's options and checked once here. The
 * device defaults are the paper's (eta 2, 30 to 120 epochs, 3 networks per generator); the CPU
 * ones keep a two-bracket run near 20 minutes on 2 cores.
 *
 * @param eta       Hyperband's rate: each rung keeps 1/eta of its configurations on eta times the epochs
 * @param minEpochs epochs of the smallest budget
 * @param maxEpochs epochs of the largest budget
 * @param samples   networks drawn and trained per configuration and budget; their mean accuracy scores it
 * @param maxParams parameters a network may have: its width is the widest that stays within
 */
public record NagoSettings(int eta, int minEpochs, int maxEpochs, int samples, long maxParams) {
    public static final String STRATEGY = "nago";

    public static final List<StrategyOption> OPTIONS = List.of(
            new StrategyOption("eta", "Hyperband's rate: a rung keeps 1/eta of its configurations for eta times the epochs",
                    "2", "2"),
            new StrategyOption("min-epochs", "epochs of Hyperband's smallest budget", "1", "30"),
            new StrategyOption("max-epochs", "epochs of Hyperband's largest budget", "2", "120"),
            new StrategyOption("samples", "networks drawn from a generator per budget; their mean validation accuracy "
                    + "scores it", "2", "3"),
            new StrategyOption("max-params", "parameters a drawn network may have (its width is scaled to the widest within)",
                    "20000", "4000000"));

    public NagoSettings {
        OptionValues.require(eta >= 2, STRATEGY, "eta must be >= 2, got " + eta);
        OptionValues.require(minEpochs >= 1, STRATEGY, "min-epochs must be >= 1, got " + minEpochs);
        OptionValues.require(maxEpochs >= minEpochs, STRATEGY, "max-epochs must be >= min-epochs (" + minEpochs + "), got "
                + maxEpochs);
        OptionValues.require(samples >= 1, STRATEGY, "samples must be >= 1, got " + samples);
        OptionValues.require(maxParams >= 1, STRATEGY, "max-params must be >= 1, got " + maxParams);
    }

    public static NagoSettings of(SearchConfig cfg) {
        return new NagoSettings(OptionValues.integer(cfg, STRATEGY, "eta"), OptionValues.integer(cfg, STRATEGY, "min-epochs"),
                OptionValues.integer(cfg, STRATEGY, "max-epochs"), OptionValues.integer(cfg, STRATEGY, "samples"),
                (long) OptionValues.number(cfg, STRATEGY, "max-params"));
    }

    public Hyperband hyperband() {
        return new Hyperband(minEpochs, maxEpochs, eta);
    }

    /** The bracket of search iteration {@code iteration}: Hyperband's order s_max..0, cycling. */
    public Bracket bracket(int iteration) {
        List<Bracket> all = hyperband().brackets();
        return all.get(iteration % all.size());
    }

    /** Whole epochs of a rung's budget (Hyperband's budgets are whole when max / min is a power of eta). */
    public static int epochs(Rung rung) {
        return Math.max(1, (int) Math.round(rung.budget()));
    }

    /** Epochs all jobs of a bracket train: configurations x samples x epochs, summed over its rungs. */
    public long epochsOf(Bracket b) {
        long e = 0;
        for (Rung r : b.rungs()) {
            e += (long) r.configurations() * samples * epochs(r);
        }
        return e;
    }
}
