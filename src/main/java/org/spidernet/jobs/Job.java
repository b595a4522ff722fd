package org.spidernet.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One independent unit of work, described by value: the name of its {@link JobKind} and the
 * kind's JSON description (genomes as genome JSON, seeds, settings, data and backend by
 * {@link DataRef} and {@link BackendRef}). What travels to an executor is {@link #toJson()}: a
 * job carries everything its result depends on, so it gives the same result wherever it runs.
 */
public record Job(String kind, ObjectNode spec) {
    static final ObjectMapper MAPPER = new ObjectMapper();

    public Job {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("a job needs its kind's name");
        }
        spec = spec.deepCopy();
    }

    @Override
    public ObjectNode spec() {
        return spec.deepCopy();
    }

    /** The wire form: {@code {"kind": ..., "spec": {...}}}. */
    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("kind", kind);
        root.set("spec", spec);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a " + kind + " job", e);
        }
    }

    public static Job fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("job: not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("kind").isTextual() || !root.path("spec").isObject()) {
            throw new IllegalArgumentException("job: expected {\"kind\": NAME, \"spec\": {...}}");
        }
        return new Job(root.get("kind").asText(), (ObjectNode) root.get("spec"));
    }
}
