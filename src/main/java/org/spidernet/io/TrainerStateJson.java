package org.spidernet.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.spidernet.train.EpochMetrics;
import org.spidernet.train.TrainerState;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TrainerState} in a checkpoint's {@code state.json} (under {@code trainer}): the
 * record's fields by name, metrics with NaN as Jackson writes it. Train and search checkpoints
 * share it, so a tool reading one (twin's pruned gates) reads both.
 */
public final class TrainerStateJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrainerStateJson() {
    }

    public static JsonNode toTree(TrainerState s) {
        return MAPPER.valueToTree(s);
    }

    /** Reads what {@link #toTree} wrote; a missing or mistyped field is an IllegalArgumentException naming it. */
    public static TrainerState fromTree(JsonNode t) {
        List<int[]> counts = new ArrayList<>();
        for (JsonNode row : field(t, "windowCounts")) {
            counts.add(MAPPER.convertValue(row, int[].class));
        }
        return new TrainerState(field(t, "epochsCompleted").asInt(), MAPPER.convertValue(field(t, "gateVelocity"), double[].class),
                counts, MAPPER.convertValue(field(t, "windowBatches"), new TypeReference<List<Integer>>() {
                }), MAPPER.convertValue(field(t, "pruned"), boolean[].class),
                MAPPER.convertValue(field(t, "history"), new TypeReference<List<EpochMetrics>>() {
                }));
    }

    private static JsonNode field(JsonNode t, String name) {
        JsonNode n = t.get(name);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("trainer state lacks '" + name + "'");
        }
        return n;
    }
}
