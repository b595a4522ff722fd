package org.spidernet.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.backend.Backend;
import org.spidernet.backend.DeviceOutOfMemoryException;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.Network;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.DataRef;
import org.spidernet.jobs.FailureKind;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobEnvironment;
import org.spidernet.jobs.JobFailure;
import org.spidernet.jobs.JobKind;
import org.spidernet.jobs.RunJobs;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.Trainer;
import org.spidernet.train.TrainingListener;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Job kind {@code train-network}: a search iteration's network trained from scratch for the
 * iteration's epochs with its training settings (seed included), exactly as the run trains it
 * ({@link IterationTraining}); a SpiderNet genome with pruning, a network of another space as it is.
 * Result: the validation accuracy, parameters, planned and measured peak, the seconds it took
 * (recorded, never compared), and for a genome the ops deleted and the pruned genome. A device that cannot hold the network fails as
 * {@code out_of_memory}.
 */
public final class TrainNetworkJob implements JobKind {
    public static final String NAME = "train-network";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    public static Job job(SpaceNetwork network, TrainConfig tc, RunJobs jobs) {
        ObjectNode spec = MAPPER.createObjectNode();
        spec.put("space", network.space());
        spec.put("network", network.json());
        spec.set("train", MAPPER.valueToTree(tc));
        spec.set("data", jobs.data().toTree());
        spec.set("backend", jobs.backend().toTree());
        return new Job(NAME, spec);
    }

    @Override
    public JsonNode run(ObjectNode spec, JobEnvironment env) throws JobFailure {
        SpaceNetwork network = new SpaceNetwork(spec.get("space").asText(), spec.get("network").asText());
        TrainConfig tc;
        try {
            tc = MAPPER.treeToValue(spec.get("train"), TrainConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("train-network job: bad training settings: " + e.getOriginalMessage(), e);
        }
        Backend backend = env.backend(BackendRef.fromTree(spec.get("backend")));
        HoldoutSplit hold = env.data(DataRef.fromTree(spec.get("data"))).hold();
        ExecutionPlan plan = network.isGenome()
                ? ExecutionPlan.compile(network.genome(), tc.batch(), backend.bytesPerElement())
                : IterationTraining.plan(network, tc.batch(), backend.bytesPerElement());
        ObjectNode out = MAPPER.createObjectNode();
        long t0 = System.nanoTime();
        Function<Network, Trainer> fresh = net -> IterationTraining.fresh(net, tc, hold.train(), hold.train().channelStats());
        BiFunction<Network, Trainer, TrainingListener> quiet = (net, trainer) -> new TrainingListener() {
        };
        try {
            if (network.isGenome()) {
                TrainedNetwork t = IterationTraining.genome(backend, plan, network.genome(), tc, hold.validation(), 0, fresh,
                        quiet, 0);
                out.put("ops_deleted", t.opsDeleted());
                out.put("pruned", GenomeJson.write(t.pruned()));
                figures(out, t.validationAccuracy(), t.params(), t.plannedPeakBytes(), t.measuredPeakBytes());
            } else {
                TrainedSpaceNetwork t = IterationTraining.space(backend, plan, network, tc, hold.validation(), 0, fresh, quiet, 0);
                figures(out, t.validationAccuracy(), t.params(), t.plannedPeakBytes(), t.measuredPeakBytes());
            }
            out.put("seconds", (System.nanoTime() - t0) / 1e9);
        } catch (DeviceOutOfMemoryException e) {
            throw new JobFailure(FailureKind.OUT_OF_MEMORY, "out of device memory training the " + network.space()
                    + " network (planned peak " + plan.memoryPlan().peakBytes() + " B at batch " + tc.batch() + "): "
                    + e.getMessage(), e);
        }
        return out;
    }

    /** What every trained network's result holds. */
    private static void figures(ObjectNode out, double validationAccuracy, long params, long plannedPeak, long measuredPeak) {
        out.put("validation_accuracy", validationAccuracy);
        out.put("params", params);
        out.put("planned_peak_bytes", plannedPeak);
        out.put("measured_peak_bytes", measuredPeak);
    }

    /** A genome's result as the run records it, its iteration begun at {@code startNanos}. */
    public static TrainedNetwork trained(Genome genome, JsonNode r, long startNanos) {
        return new TrainedNetwork(genome, GenomeJson.read(r.get("pruned").asText()), r.get("validation_accuracy").asDouble(),
                r.get("ops_deleted").asInt(), r.get("params").asLong(), r.get("planned_peak_bytes").asLong(),
                r.get("measured_peak_bytes").asLong(), startNanos);
    }

    /** Another space's result as the run records it. */
    public static TrainedSpaceNetwork trained(SpaceNetwork network, JsonNode r, long startNanos) {
        return new TrainedSpaceNetwork(network, r.get("validation_accuracy").asDouble(), r.get("params").asLong(),
                r.get("planned_peak_bytes").asLong(), r.get("measured_peak_bytes").asLong(), startNanos);
    }
}
