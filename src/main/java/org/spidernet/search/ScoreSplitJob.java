package org.spidernet.search;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.graph.EdgeSplit;
import org.spidernet.graph.Genome;
import org.spidernet.graph.GenomeJson;
import org.spidernet.jobs.BackendRef;
import org.spidernet.jobs.DataRef;
import org.spidernet.jobs.FailureKind;
import org.spidernet.jobs.Job;
import org.spidernet.jobs.JobEnvironment;
import org.spidernet.jobs.JobFailure;
import org.spidernet.jobs.JobKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Job kind {@code score-split}: one candidate split scored train-free ({@link MetricCandidateScorer})
 * on the genome it splits, with the seed, metrics, inits and scoring scale of the run, on the
 * training images of the referenced data. Result: {@code {"child": {...}, "parent": {...},
 * "deltas": {...}}} by metric name; a score that is not usable fails as {@code failed}, a device
 * that cannot hold the candidate as {@code out_of_memory}.
 */
public final class ScoreSplitJob implements JobKind {
    public static final String NAME = "score-split";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** By metric name, in the result's order. */
    private static final TypeReference<LinkedHashMap<String, Double>> METRIC_VALUES = new TypeReference<>() {
    };

    /** What every candidate of a run is scored with; a job adds the genome, the split and the seed. */
    public record Settings(List<String> metrics, int inits, ScoringScale scale, DataRef data, BackendRef backend) {
        public Settings {
            metrics = List.copyOf(metrics);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    public static Job job(Genome genome, EdgeSplit split, long seed, Settings s) {
        ObjectNode spec = MAPPER.createObjectNode();
        spec.set("genome", GenomeJson.toTree(genome));
        ObjectNode sp = spec.putObject("split");
        sp.put("cell", split.cell());
        sp.put("from", split.from());
        sp.put("to", split.to());
        spec.put("seed", seed);
        ArrayNode ms = spec.putArray("metrics");
        s.metrics().forEach(ms::add);
        spec.put("inits", s.inits());
        spec.set("scale", MAPPER.valueToTree(s.scale()));
        spec.set("data", s.data().toTree());
        spec.set("backend", s.backend().toTree());
        return new Job(NAME, spec);
    }

    @Override
    public JsonNode run(ObjectNode spec, JobEnvironment env) throws JobFailure {
        Genome genome = GenomeJson.fromTree(spec.get("genome"));
        JsonNode sp = spec.get("split");
        EdgeSplit split = new EdgeSplit(sp.get("cell").asInt(), sp.get("from").asInt(), sp.get("to").asInt());
        List<String> metrics = new ArrayList<>();
        spec.get("metrics").forEach(m -> metrics.add(m.asText()));
        ScoringScale scale = MAPPER.convertValue(spec.get("scale"), ScoringScale.class);
        MetricCandidateScorer scorer = new MetricCandidateScorer(env.backend(BackendRef.fromTree(spec.get("backend"))),
                env.data(DataRef.fromTree(spec.get("data"))).hold().train(), metrics, spec.get("inits").asInt(), scale);
        // the scorer's own outcome (scoreAll) tells an out-of-memory from another failure, as in-process
        CandidateScorer.Outcome o = scorer.scoreAll(genome, List.of(split), List.of(spec.get("seed").asLong())).get(0);
        if (o.scores() == null) {
            throw new JobFailure(o.failure() == CandidateDecision.OUT_OF_MEMORY ? FailureKind.OUT_OF_MEMORY : FailureKind.FAILED,
                    o.reason());
        }
        CandidateScorer.Scores s = o.scores();
        ObjectNode out = MAPPER.createObjectNode();
        out.set("child", MAPPER.valueToTree(s.child()));
        out.set("parent", MAPPER.valueToTree(s.parent()));
        out.set("deltas", MAPPER.valueToTree(s.deltas()));
        return out;
    }

    /** The scores of a successful job's result, in the result's metric order. */
    public static CandidateScorer.Scores scores(JsonNode result) {
        return new CandidateScorer.Scores(values(result.get("child")), values(result.get("parent")),
                values(result.get("deltas")));
    }

    private static Map<String, Double> values(JsonNode o) {
        return MAPPER.convertValue(o, METRIC_VALUES);
    }
}
