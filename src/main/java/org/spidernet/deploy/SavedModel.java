package org.spidernet.deploy;

import org.spidernet.backend.Backend;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.io.AtomicFiles;
import org.spidernet.io.SafeTensorsFile;
import org.spidernet.io.TextFiles;
import org.spidernet.io.WeightsFile;
import org.spidernet.search.ArchitectureSpace;
import org.spidernet.search.ArchitectureSpaces;
import org.spidernet.search.SpaceNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained network as a finished run directory holds it: its {@link ModelManifest}, its
 * architecture in its space's JSON and its weights (parameters, BN running statistics, gates,
 * architecture weights). Loading checks that the three agree, so every failure names the file.
 */
public record SavedModel(Path directory, ModelManifest manifest, SpaceNetwork network, Architecture architecture,
                         Map<String, double[]> weights) {

    /** The standard-format copy of the weights, beside {@code weights.bin}. */
    public static final String SAFETENSORS = "weights.safetensors";

    /**
     * Saves a trained network into run directory {@code dir}: its architecture in its space's
     * file, the state {@code weights} holds for it (extra entries such as momentum are left
     * out) as {@code weights.bin} and {@value #SAFETENSORS}, and {@code model.json} last, so a
     * directory with a manifest holds a complete model.
     */
    public static void save(Path dir, ModelManifest manifest, String architectureJson, Map<String, double[]> weights)
            throws IOException {
        Architecture arch = ArchitectureSpaces.require(manifest.space()).lower(architectureJson);
        Map<String, int[]> shapes = ExecutionPlan.compile(arch, 1, Double.BYTES, PlanOptions.TRAINING).stateShapes();
        Map<String, double[]> state = new LinkedHashMap<>();
        for (String name : shapes.keySet()) {
            double[] v = weights.get(name);
            if (v == null) {
                throw new IllegalArgumentException("weights: entry '" + name + "' missing");
            }
            state.put(name, v);
        }
        AtomicFiles.writeString(dir.resolve(manifest.architectureFile()), architectureJson);
        WeightsFile.write(dir.resolve(manifest.weightsFile()), state);
        SafeTensorsFile.write(dir.resolve(SAFETENSORS), shapes, state, Map.of("format", "pt", "producer", "spidernet",
                "space", manifest.space()));
        manifest.write(dir);
    }

    /** Loads the model of a finished train or search run. */
    public static SavedModel load(Path dir) throws IOException {
        ModelManifest m = ModelManifest.read(dir);
        Path archFile = dir.resolve(m.architectureFile());
        if (!Files.isRegularFile(archFile)) {
            throw new IOException(archFile + ": architecture file not found");
        }
        ArchitectureSpace space;
        try {
            space = ArchitectureSpaces.require(m.space());
        } catch (IllegalArgumentException e) {
            throw new IOException(dir.resolve(ModelManifest.FILE) + ": " + e.getMessage(), e);
        }
        String json = TextFiles.readUtf8(archFile, "architecture file");
        Architecture arch;
        try {
            arch = space.lower(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(archFile + ": " + e.getMessage(), e);
        }
        if (arch.input().channels() != m.input().channels() || arch.input().height() != m.input().height()
                || arch.input().width() != m.input().width() || arch.classes() != m.input().classes()) {
            throw new IOException(archFile + ": the network takes " + arch.input() + " and predicts " + arch.classes()
                    + " classes, but " + ModelManifest.FILE + " says " + m.input());
        }
        Map<String, double[]> w = WeightsFile.read(dir.resolve(m.weightsFile()));
        return new SavedModel(dir, m, new SpaceNetwork(m.space(), json), arch, w);
    }

    /**
     * The network compiled for {@code batch} images at a time on {@code backend}, holding these
     * weights; the caller closes it. Weights that do not fit the architecture are an
     * {@link IllegalArgumentException} naming the entry.
     */
    public Network open(Backend backend, int batch) {
        ExecutionPlan plan = ExecutionPlan.compile(architecture, batch, backend.bytesPerElement(), PlanOptions.TRAINING);
        Network net = Network.bind(plan, backend);
        try {
            net.importState(weights);
        } catch (IllegalArgumentException e) {
            net.close();
            throw new IllegalArgumentException(directory.resolve(manifest.weightsFile()) + ": " + e.getMessage(), e);
        }
        return net;
    }
}
