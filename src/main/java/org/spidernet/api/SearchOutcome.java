package org.spidernet.api;

import org.spidernet.deploy.ModelManifest;
import org.spidernet.deploy.SavedModel;
import org.spidernet.search.SearchRun;

import java.io.IOException;
import java.nio.file.Path;

/** A finished search: its result (found network, test figures, history) and what saving it needs. */
public record SearchOutcome(SearchRun.Result result, ModelManifest manifest) {

    /** Saves the found network with its trained weights as a model directory ({@link SavedModel#load} reads it). */
    public void save(Path dir) throws IOException {
        SavedModel.save(dir, manifest, result.network().json(), result.weights());
    }
}
