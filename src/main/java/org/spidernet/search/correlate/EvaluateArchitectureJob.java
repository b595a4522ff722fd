package org.spidernet.search.correlate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.data.DatasetSplit;
import org.spidernet.data.ImageDataset;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.DataRef;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobEnvironment;
import org.spidernet.jobs.JobKind;
import org.spidernet.train.TrainConfig;

/**
 * Job kind {@code evaluate-architecture}: one sampled architecture of a {@code correlate} study
 * scored and trained ({@link ArchitectureEvaluation#evaluate}) on the study's first training and
 * test images, cut from the referenced dataset as the study cuts them. Result: the architecture's
 * file ({@link ArchitectureFile#toTree}); failed scores and trainings are part of it, as in-process.
 */
public final class EvaluateArchitectureJob implements JobKind {
    public static final String NAME = "evaluate-architecture";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    /** {@code train}: the machine's training defaults the evaluation starts from; {@code backend}: where it runs. */
    public static Job job(int index, Genome genome, CorrelateSettings settings, TrainConfig train, BackendRef backend) {
        ObjectNode spec = MAPPER.createObjectNode();
        spec.put("index", index);
        spec.set("genome", GenomeJson.toTree(genome));
        spec.set("settings", MAPPER.valueToTree(settings));
        spec.set("train", MAPPER.valueToTree(train));
        spec.set("data", DataRef.whole(settings.dataset(), settings.data()).toTree());
        spec.set("backend", backend.toTree());
        return new Job(NAME, spec);
    }

    @Override
    public JsonNode run(ObjectNode spec, JobEnvironment env) {
        CorrelateSettings s;
        TrainConfig train;
        try {
            s = MAPPER.treeToValue(spec.get("settings"), CorrelateSettings.class);
            train = MAPPER.treeToValue(spec.get("train"), TrainConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("evaluate-architecture job: bad settings: " + e.getOriginalMessage(), e);
        }
        DatasetSplit study = env.data(DataRef.fromTree(spec.get("data"))).split().first(s.trainImages(), s.testImages());
        ImageDataset trainImages = study.train();
        ArchitectureEvaluation evaluation = new ArchitectureEvaluation(env.backend(BackendRef.fromTree(spec.get("backend"))), s,
                train, trainImages, trainImages.channelStats(), study.test());
        return ArchitectureFile.toTree(evaluation.evaluate(spec.get("index").asInt(), GenomeJson.fromTree(spec.get("genome"))));
    }
}
