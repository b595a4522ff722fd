package org.spidernet.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A run's data by reference ({@link org.spidernet.data.TrainingData#load}'s arguments): an
 * executor loads the same training, validation and test images from the dataset's directory,
 * which on a cluster must be at the same path on every machine (a shared file system, or a copy).
 *
 * @param dir the dataset's directory, absolute; null: the dataset's default place
 */
public record DataRef(String dataset, String dir, Integer limit, int validation, int batch) {

    /**
     * The whole dataset, for a job that cuts its own subsets from {@link org.spidernet.data.TrainingData#split()}
     * (a validation of 1 and a batch of 1 only satisfy the loader's checks).
     */
    public static DataRef whole(String dataset, String dir) {
        return new DataRef(dataset, dir, null, 1, 1);
    }

    public ObjectNode toTree() {
        ObjectNode o = Job.MAPPER.createObjectNode();
        o.put("dataset", dataset);
        if (dir != null) {
            o.put("dir", dir);
        }
        if (limit != null) {
            o.put("limit", limit);
        }
        o.put("validation", validation);
        o.put("batch", batch);
        return o;
    }

    public static DataRef fromTree(JsonNode o) {
        return new DataRef(o.path("dataset").asText(), o.hasNonNull("dir") ? o.get("dir").asText() : null,
                o.hasNonNull("limit") ? o.get("limit").asInt() : null, o.path("validation").asInt(), o.path("batch").asInt());
    }
}
