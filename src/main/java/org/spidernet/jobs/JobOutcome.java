package org.spidernet.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a job gave: its result (the kind's JSON) or its typed failure with the message. Doubles
 * travel as JSON numbers, which Jackson writes in the shortest form that reads back to the same
 * double, so an outcome is bit-identical wherever the job ran.
 */
public record JobOutcome(JsonNode value, FailureKind failure, String message) {

    public JobOutcome {
        if ((value == null) == (failure == null)) {
            throw new IllegalArgumentException("a job outcome is a value or a failure");
        }
        value = value == null ? null : value.deepCopy();
    }

    public static JobOutcome of(JsonNode value) {
        return new JobOutcome(value, null, null);
    }

    public static JobOutcome failed(FailureKind kind, String message) {
        return new JobOutcome(null, kind, message == null ? "" : message);
    }

    public boolean ok() {
        return value != null;
    }

    @Override
    public JsonNode value() {
        if (value == null) {
            throw new IllegalStateException("the job failed (" + failure.jsonName() + "): " + message);
        }
        return value.deepCopy();
    }

    /** The wire form: {@code {"value": ...}} or {@code {"failure": KIND, "message": ...}}. */
    public String toJson() {
        ObjectNode root = Job.MAPPER.createObjectNode();
        if (value != null) {
            root.set("value", value);
        } else {
            root.put("failure", failure.jsonName());
            root.put("message", message);
        }
        try {
            return Job.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a job outcome", e);
        }
    }

    public static JobOutcome fromJson(String json) {
        JsonNode root;
        try {
            root = Job.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("job outcome: not JSON: " + e.getOriginalMessage());
        }
        if (root != null && root.has("value")) {
            return of(root.get("value"));
        }
        if (root != null && root.path("failure").isTextual()) {
            return failed(FailureKind.fromJson(root.get("failure").asText()), root.path("message").asText());
        }
        throw new IllegalArgumentException("job outcome: expected {\"value\": ...} or {\"failure\": KIND, \"message\": ...}");
    }
}
