package org.spidernet.search.fade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.backend.Backend;
import org.spidernet.backend.DeviceOutOfMemoryException;
import org.spidernet.data.HoldoutSplit;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.DataRef;
import org.spidernet.jobs.FailureKind;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobEnvironment;
import org.spidernet.jobs.JobFailure;
import org.spidernet.jobs.JobKind;
import org.spidernet.jobs.JobOutcome;
import org.spidernet.jobs.RunJobs;
import org.spidernet.search.BilevelSettings;
import org.spidernet.train.TrainConfig;
import org.spidernet.train.TrainingListener;

/**
 * Job kind {@code train-region}: one FaDE region (its {@code region.json} form) trained by
 * {@link RegionTraining} with the run's training settings, memory budget and bilevel settings,
 * for the generation's epochs with the region's weight and arch seeds, on the referenced backend
 * and data, exactly as the search trains it in-process. Result: {@code {"logw": [...],
 * "figures": [...]}} as a FaDE snapshot holds a trained region ({@link FadeState#logWeights},
 * {@link FadeState#figures}). A device that cannot hold the supernet fails as
 * {@code out_of_memory}; a supernet refused before training (over the memory budget) as
 * {@code failed} with the refusal's text.
 */
public final class TrainRegionJob implements JobKind {
    public static final String NAME = "train-region";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    /** What region {@code region} of a search trains with, as {@code training} (in-process) would. */
    static Job job(FadeRegion region, RegionTraining training, BilevelSettings bilevel, int epochs, long weightSeed,
                   long archSeed, RunJobs jobs) {
        ObjectNode spec = MAPPER.createObjectNode();
        spec.put("region", FadeJson.write(region));
        spec.set("train", MAPPER.valueToTree(training.base()));
        spec.put("budget", training.budget());
        spec.set("bilevel", MAPPER.valueToTree(bilevel));
        spec.put("epochs", epochs);
        spec.put("weight_seed", weightSeed);
        spec.put("arch_seed", archSeed);
        spec.set("data", jobs.data().toTree());
        spec.set("backend", jobs.backend().toTree());
        return new Job(NAME, spec);
    }

    @Override
    public JsonNode run(ObjectNode spec, JobEnvironment env) throws JobFailure {
        FadeRegion region = FadeJson.readRegion(spec.get("region").asText());
        TrainConfig tc = read(spec, "train", TrainConfig.class);
        BilevelSettings bilevel = read(spec, "bilevel", BilevelSettings.class);
        Backend backend = env.backend(BackendRef.fromTree(spec.get("backend")));
        // what the search's context gives its in-process training (SearchContext#trainingData, #channelStats, #validationData)
        HoldoutSplit hold = env.data(DataRef.fromTree(spec.get("data"))).hold();
        RegionTraining training = new RegionTraining(backend, hold.train(), hold.train().channelStats(), hold.validation(), tc,
                spec.get("budget").asLong());
        RegionTraining.Trained t;
        try {
            t = training.train(region, bilevel, spec.get("epochs").asInt(), spec.get("weight_seed").asLong(),
                    spec.get("arch_seed").asLong(), n -> new TrainingListener() {
                    });
        } catch (DeviceOutOfMemoryException e) {
            throw new JobFailure(FailureKind.OUT_OF_MEMORY, "out of device memory training a FaDE region: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // the supernet over the memory budget: the search refuses it with this text, as in-process
            throw new JobFailure(FailureKind.FAILED, e.getMessage(), e);
        }
        return result(t);
    }

    /** A trained region as the job's result. */
    static JsonNode result(RegionTraining.Trained t) {
        ObjectNode out = MAPPER.createObjectNode();
        ArrayNode logw = out.putArray("logw");
        for (double v : FadeState.logWeights(t)) {
            logw.add(v);
        }
        ArrayNode figures = out.putArray("figures");
        for (double v : FadeState.figures(t)) {
            figures.add(v);
        }
        return out;
    }

    /**
     * {@code region} trained as the job's outcome {@code o} says: the same numbers as in-process to
     * the bit. A refusal is the {@link IllegalArgumentException} the in-process search throws, an
     * out-of-memory an {@link IllegalStateException}.
     */
    static RegionTraining.Trained trained(FadeRegion region, JobOutcome o) {
        if (!o.ok()) {
            if (o.failure() == FailureKind.OUT_OF_MEMORY) {
                throw new IllegalStateException(o.message() + "; give the search a larger device, a smaller batch (--batch) "
                        + "or fewer channels (--channels)");
            }
            throw new IllegalArgumentException(o.message());
        }
        JsonNode r = o.value();
        return FadeState.trained(region, doubles(r.get("logw")), doubles(r.get("figures")));
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static <T> T read(ObjectNode spec, String field, Class<T> type) {
        try {
            return MAPPER.treeToValue(spec.get(field), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("train-region job: bad " + field + " settings: " + e.getOriginalMessage(), e);
        }
    }
}
