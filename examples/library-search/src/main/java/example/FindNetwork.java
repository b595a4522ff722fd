package example;

import org.spidernet.api.SearchOutcome;
import org.spidernet.api.SearchSettings;
import org.spidernet.api.SpiderNetEngine;
import org.spidernet.data.DatasetRegistry;
import org.spidernet.deploy.SavedModel;
import org.spidernet.search.IterationRecord;
import org.spidernet.search.SearchRun;
import org.spidernet.deploy.EvaluationReport;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Searches a network with SpiderNet's engine as a library: a short random search on an
 * MNIST-format dataset, a listener printing each iteration, the found network saved as a model
 * directory, loaded back and re-tested.
 *
 * <p>Usage: {@code FindNetwork DATA_DIR [OUT_DIR]} (DATA_DIR holds the four IDX files of MNIST or
 * Fashion-MNIST).
 */
public final class FindNetwork {

    /** What a run found: the test accuracy the search reported and the one re-testing the saved model gave. */
    public record Found(double searchAccuracy, double reloadedAccuracy, Path model) {
    }

    public static Found run(Path data, Path out, SearchSettings settings) throws IOException {
        try (SpiderNetEngine engine = SpiderNetEngine.open("cpu")) {
            SearchOutcome outcome = engine.search(settings.dataset("fashion-mnist", data), new SearchRun.Observer() {
                @Override
                public void iterationFinished(IterationRecord r) {
                    System.out.printf("iteration %d: validation accuracy %.4f, %d params%n", r.iteration(),
                            r.validationAccuracy(), r.params());
                }
            });
            outcome.save(out);
            SavedModel model = SavedModel.load(out);
            EvaluationReport again = engine.evaluate(model, DatasetRegistry.load("fashion-mnist", data).test());
            return new Found(outcome.result().test().accuracy(), again.accuracy(), out);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: FindNetwork DATA_DIR [OUT_DIR]");
            System.exit(2);
        }
        Path out = Path.of(args.length > 1 ? args[1] : "found-network");
        Found f = run(Path.of(args[0]), out, new SearchSettings().strategy("random").iterations(2).limitTrain(2000)
                .validation(500).channels(4).finalEpochs(1));
        System.out.printf("test accuracy %.4f (re-tested from %s: %.4f)%n", f.searchAccuracy(), f.model(),
                f.reloadedAccuracy());
    }
}
