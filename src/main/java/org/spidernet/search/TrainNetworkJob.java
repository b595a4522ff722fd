package org.spidernet.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.backend.Backend;
import org.spidernet.backend.DeviceOutOfMemoryException;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.exec.ExecutionPlan;
import org.spidernet.exec.PlanOptions;
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
import org.spidernet.train.TrainingListener;

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
                : ExecutionPlan.compile(ArchitectureSpaces.lower(network), tc.batch(), backend.bytesPerElement(),
                        PlanOptions.TRAINING);
        ObjectNode out = MAPPER.createObjectNode();
        long t0 = System.nanoTime();
        try {
            if (network.isGenome()) {
                Genome genome = network.genome();
                TrainedNetwork t = IterationTraining.genome(backend, plan, genome, tc, hold.validation(), 0,
                        net -> IterationTraining.fresh(net, tc, hold.train(), hold.train().channelStats()),
                        (net, trainer) -> new TrainingListener() {
                        }, 0);
                out.put("validation_accuracy", t.validationAccuracy());
                out.put("ops_deleted", t.opsDeleted());
                out.put("pruned", GenomeJson.write(t.pruned()));
                out.put("params", t.params());
                out.put("planned_peak_bytes", t.plannedPeakBytes());
                out.put("measured_peak_bytes", t.measuredPeakBytes());
            } else {
                TrainedSpaceNetwork t = IterationTraining.space(backend, plan, network, tc, hold.validation(), 0,
                        net -> IterationTraining.fresh(net, tc, hold.train(), hold.train().channelStats()),
                        (net, trainer) -> new TrainingListener() {
                        }, 0);
                out.put("validation_accuracy", t.validationAccuracy());
                out.put("params", t.params());
                out.put("planned_peak_bytes", t.plannedPeakBytes());
                out.put("measured_peak_bytes", t.measuredPeakBytes());
            }
            out.put("seconds", (System.nanoTime() - t0) / 1e9);
        } catch (DeviceOutOfMemoryException e) {
            throw new JobFailure(FailureKind.OUT_OF_MEMORY, "out of device memory training the " + network.space()
                    + " network (planned peak " + plan.memoryPlan().peakBytes() + " B at batch " + tc.batch() + "): "
                    + e.getMessage(), e);
        }
        return out;
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
