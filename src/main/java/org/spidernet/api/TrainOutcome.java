package org.spidernet.api;

import org.spidernet.deploy.ModelManifest;
import org.spidernet.deploy.SavedModel;
import org.spidernet.search.SpaceNetwork;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.Evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A trained network: its weights, per-epoch metrics, test figures and what saving it needs. */
public record TrainOutcome(SpaceNetwork network, Map<String, double[]> weights, List<EpochMetrics> history,
                           Evaluation test, ModelManifest manifest) {

    /** Saves the network with its weights as a model directory ({@link SavedModel#load} reads it). */
    public void save(Path dir) throws IOException {
        SavedModel.save(dir, manifest, network.json(), weights);
    }
}
