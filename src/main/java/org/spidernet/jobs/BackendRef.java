package org.spidernet.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The backend a job runs on, by provider name (resolved: {@code cpu}, {@code cuda}, ...), and the
 * emulated device capacity of the run (null: the device's own memory), so an executor opens the
 * same kind of backend the run uses.
 */
public record BackendRef(String name, Long deviceMemoryBytes) {
    public BackendRef {
        if (name == null || name.isBlank() || name.equals("auto")) {
            throw new IllegalArgumentException("a backend reference needs a resolved backend name, got " + name);
        }
    }

    public ObjectNode toTree() {
        ObjectNode o = Job.MAPPER.createObjectNode();
        o.put("name", name);
        if (deviceMemoryBytes != null) {
            o.put("device_memory_bytes", deviceMemoryBytes);
        }
        return o;
    }

    public static BackendRef fromTree(JsonNode o) {
        JsonNode cap = o.get("device_memory_bytes");
        return new BackendRef(o.path("name").asText(null), cap == null || cap.isNull() ? null : cap.asLong());
    }
}
