package org.spidernet.deploy.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.spidernet.deploy.ModelManifest;
import org.spidernet.deploy.SavedModel;
import org.spidernet.data.ChannelStats;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.Network;
import org.spidernet.graph.ir.Architecture;
import org.spidernet.io.AtomicFiles;
import org.spidernet.deploy.onnx.proto.GraphProto;
import org.spidernet.deploy.onnx.proto.ModelProto;
import org.spidernet.deploy.onnx.proto.OperatorSetIdProto;
import org.spidernet.deploy.onnx.proto.StringStringEntryProto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A trained network as an ONNX model ({@value #OPSET} of the default {@code ai.onnx} operator set,
 * IR version {@value #IR_VERSION}) that computes the engine's evaluation-mode prediction.
 *
 * <p>The model has one input, {@value #INPUT} (float32 {@code [batch, C, H, W]}, the batch
 * dimension symbolic, named {@value #BATCH}), and one output, {@value #OUTPUT} (float32
 * {@code [batch, classes]}): the logits of the architecture's last head; auxiliary heads are
 * dropped. Without normalisation the input is what the engine's forward pass takes, the
 * normalised tensor; {@link #withNormalisation} puts the engine's {@code (x - mean) / std} into
 * the graph, so the input becomes pixels scaled to [0, 1] ({@code pixel / 255}).
 *
 * <p>What is written is evaluation mode: BatchNormalization with the running statistics, every
 * gate folded (a closed or pruned op is not in the graph, nor are its weights), SOFTMAX mixing
 * as constant factors, GUMBEL mixing as the strongest op alone; then every node the prediction
 * no longer depends on is removed. Parameters are float32 initializers named as in the weights
 * map. A network that cannot be written (a missing or non-finite weight, mismatched statistics)
 * is refused with an {@link OnnxExportException} naming the node or entry.
 *
 * <p>Immutable; the {@code with...} methods return a changed copy. Typical use:
 * <pre>{@code
 * OnnxExport.of(architecture, weights).withNormalisation(stats).write(Path.of("net.onnx"));
 * }</pre>
 */
public final class OnnxExport {
    /** The ai.onnx operator set the model imports (Shape's start/end need 15; 17 is widely supported). */
    public static final long OPSET = 17;
    /** The IR version that goes with opset 17 (ONNX 1.12). */
    public static final long IR_VERSION = 8;
    /** Name of the model's image input. */
    public static final String INPUT = "image";
    /** Name of the model's logits output. */
    public static final String OUTPUT = "logits";
    /** The symbolic batch dimension of input and output. */
    public static final String BATCH = "batch";
    public static final String PRODUCER = "SpiderNet";

    private final Architecture architecture;
    private final Map<String, double[]> weights;
    private final ChannelStats normalisation;
    private final Set<Integer> prunedGates;
    private final boolean batchNorm;
    private final String producerVersion;
    private final Map<String, String> metadata;

    private OnnxExport(Architecture architecture, Map<String, double[]> weights, ChannelStats normalisation,
                       Set<Integer> prunedGates, boolean batchNorm, String producerVersion) {
        this(architecture, weights, normalisation, prunedGates, batchNorm, producerVersion, Map.of());
    }

    private OnnxExport(Architecture architecture, Map<String, double[]> weights, ChannelStats normalisation,
                       Set<Integer> prunedGates, boolean batchNorm, String producerVersion, Map<String, String> metadata) {
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        this.weights = Objects.requireNonNull(weights, "weights");
        this.normalisation = normalisation;
        this.prunedGates = Set.copyOf(prunedGates);
        this.batchNorm = batchNorm;
        this.producerVersion = Objects.requireNonNull(producerVersion, "producerVersion");
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * An export of {@code architecture} with {@code weights} in the form of
     * {@link Network#exportState()} (a weights file): parameters, running statistics,
     * {@code gate/<label>} and {@code alpha/<group>} entries. No normalisation, no pruned gates
     * beyond those whose weight is not positive, BatchNorm on.
     */
    public static OnnxExport of(Architecture architecture, Map<String, double[]> weights) {
        return new OnnxExport(architecture, weights, null, Set.of(), true, "unknown");
    }

    /**
     * An export of a bound network as it stands: its architecture, its state, its pruned gates
     * (which the weights map does not record) and its plan's BatchNorm setting.
     */
    public static OnnxExport of(Network network) {
        ExecutionPlan plan = network.plan();
        Set<Integer> pruned = plan.gates().stream().map(GateSpec::index).filter(network::isPruned)
                .collect(Collectors.toSet());
        return new OnnxExport(plan.architecture(), network.exportState(), null, pruned, plan.options().batchNorm(),
                "unknown");
    }

    /**
     * A saved model as a deployment needs it: the input pixels / 255 with the run's normalisation
     * in the graph, deleted ops left out (a saved model holds their gates shut), and the dataset,
     * space and class names (a JSON array) in the metadata.
     */
    public static OnnxExport of(SavedModel model) {
        ModelManifest m = model.manifest();
        String names;
        try {
            names = new ObjectMapper().writeValueAsString(m.classNames());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("class names cannot be written as JSON", e);
        }
        return of(model.architecture(), model.weights()).withNormalisation(m.normalization())
                .withMetadata("spidernet.dataset", m.dataset())
                .withMetadata("spidernet.space", m.space())
                .withMetadata("spidernet.class_names", names);
    }

    /** One more {@code metadata_props} entry. */
    public OnnxExport withMetadata(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(metadata);
        more.put(key, value);
        return new OnnxExport(architecture, weights, normalisation, prunedGates, batchNorm, producerVersion, more);
    }

    /**
     * Normalises in the graph: the input becomes pixels / 255 and the first nodes compute
     * {@code (x - mean) / std} per channel (a channel with std 0 is only centred, as in the
     * engine). Null removes the normalisation again.
     */
    public OnnxExport withNormalisation(ChannelStats stats) {
        return new OnnxExport(architecture, weights, stats, prunedGates, batchNorm, producerVersion, metadata);
    }

    /** Treats these gates (indices into the architecture's gates) as pruned: their ops are closed whatever their weight. */
    public OnnxExport withPrunedGates(Set<Integer> gates) {
        for (int g : gates) {
            if (g < 0 || g >= architecture.gates().size()) {
                throw new OnnxExportException("pruned gate " + g + " does not exist (the architecture has "
                        + architecture.gates().size() + ")");
            }
        }
        return new OnnxExport(architecture, weights, normalisation, gates, batchNorm, producerVersion, metadata);
    }

    /** Exports every BatchNorm as the identity, like a plan compiled with {@code PlanOptions.withoutBatchNorm()}. */
    public OnnxExport withoutBatchNorm() {
        return new OnnxExport(architecture, weights, normalisation, prunedGates, false, producerVersion, metadata);
    }

    /** The engine's version, recorded as the model's producer_version. */
    public OnnxExport withProducerVersion(String version) {
        return new OnnxExport(architecture, weights, normalisation, prunedGates, batchNorm, version, metadata);
    }

    /** The ONNX model; an {@link OnnxExportException} for a network it cannot express. */
    public ModelProto model() {
        GraphProto graph = OnnxGraphBuilder.build(architecture, new ExportWeights(weights), normalisation, prunedGates,
                batchNorm);
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(PRODUCER)
                .setProducerVersion(producerVersion)
                .setDocString("SpiderNet network, evaluation mode: " + INPUT + " [" + BATCH + ", C, H, W] -> " + OUTPUT
                        + " [" + BATCH + ", classes] of the last head")
                .setGraph(graph);
        metadata(m, "spidernet.classes", Integer.toString(architecture.classes()));
        metadata(m, "spidernet.heads_dropped", Integer.toString(architecture.heads().size() - 1));
        metadata(m, "spidernet.batch_norm", batchNorm ? "eval" : "off");
        metadata(m, "spidernet.pruned_gates", new TreeSet<>(prunedGates).toString());
        if (normalisation == null) {
            metadata(m, "spidernet.input", "normalised: (pixel / 255 - mean) / std, computed by the caller");
        } else {
            metadata(m, "spidernet.input", "pixel / 255 in [0, 1]; the graph computes (x - mean) / std "
                    + "(std 0: centred only)");
            metadata(m, "spidernet.normalisation.mean", Arrays.toString(normalisation.mean()));
            metadata(m, "spidernet.normalisation.std", Arrays.toString(normalisation.std()));
        }
        metadata.forEach((k, v) -> metadata(m, k, v));
        return m.build();
    }

    /** The serialized model. */
    public byte[] toBytes() {
        return model().toByteArray();
    }

    /** Writes the model to {@code file} atomically (the model is built first, so a refusal writes nothing). */
    public void write(Path file) throws IOException {
        byte[] bytes = toBytes();
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    private static void metadata(ModelProto.Builder m, String key, String value) {
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
    }
}
