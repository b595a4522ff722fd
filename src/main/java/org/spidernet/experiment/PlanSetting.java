package org.spidernet.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import org.spidernet.api.SearchSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A common search setting a plan may give under {@code "search"}: its key (the {@code search}
 * command's flag without the dashes), the JSON type it takes and the {@link SearchSettings}
 * setter it goes to. Ranges are {@link SearchSettings#resolve}'s to check, as for the flags.
 */
enum PlanSetting {
    REDUCTIONS("reductions", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.reductions(v.intValue());
        }
    },
    CHANNELS("channels", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.channels(v.intValue());
        }
    },
    ITERATIONS("iterations", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.iterations(v.intValue());
        }
    },
    EPOCHS_PER_ITERATION("epochs-per-iteration", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.epochsPerIteration(v.intValue());
        }
    },
    FINAL_EPOCHS("final-epochs", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.finalEpochs(v.intValue());
        }
    },
    LIMIT_TRAIN("limit-train", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.limitTrain(v.intValue());
        }
    },
    VALIDATION("validation", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.validation(v.intValue());
        }
    },
    BATCH("batch", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.batch(v.intValue());
        }
    },
    LR("lr", Type.NUMBER) {
        void apply(SearchSettings s, JsonNode v) {
            s.learningRate(v.doubleValue());
        }
    },
    DROP_PATH("drop-path", Type.NUMBER) {
        void apply(SearchSettings s, JsonNode v) {
            s.dropPath(v.doubleValue());
        }
    },
    CROP("crop", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.crop(v.intValue());
        }
    },
    CUTOUT("cutout", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.cutout(v.intValue());
        }
    },
    LR_DECAY("lr-decay", Type.TEXT) {
        void apply(SearchSettings s, JsonNode v) {
            s.lrDecay(v.textValue());
        }
    },
    METRICS("metrics", Type.TEXT_LIST) {
        void apply(SearchSettings s, JsonNode v) {
            List<String> names = new ArrayList<>();
            v.forEach(n -> names.add(n.textValue()));
            s.metrics(names);
        }
    },
    CANDIDATES("candidates", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.candidates(v.intValue());
        }
    },
    INITS("inits", Type.INTEGER) {
        void apply(SearchSettings s, JsonNode v) {
            s.inits(v.intValue());
        }
    },
    BACKEND("backend", Type.TEXT) {
        void apply(SearchSettings s, JsonNode v) {
            s.backend(v.textValue());
        }
    },
    DEVICE_MEMORY("device-memory", Type.LONG) {
        void apply(SearchSettings s, JsonNode v) {
            s.deviceMemory(v.longValue());
        }
    };

    /** The JSON a setting takes. */
    enum Type {
        INTEGER("an integer"), LONG("an integer"), NUMBER("a number"), TEXT("a string"), TEXT_LIST("an array of strings");

        final String description;

        Type(String description) {
            this.description = description;
        }

        boolean accepts(JsonNode v) {
            return switch (this) {
                case INTEGER -> v.isIntegralNumber() && v.canConvertToInt();
                case LONG -> v.isIntegralNumber() && v.canConvertToLong();
                case NUMBER -> v.isNumber() && Double.isFinite(v.doubleValue());
                case TEXT -> v.isTextual();
                case TEXT_LIST -> {
                    if (!v.isArray()) {
                        yield false;
                    }
                    for (JsonNode e : v) {
                        if (!e.isTextual()) {
                            yield false;
                        }
                    }
                    yield true;
                }
            };
        }
    }

    final String key;
    final Type type;

    PlanSetting(String key, Type type) {
        this.key = key;
        this.type = type;
    }

    abstract void apply(SearchSettings settings, JsonNode value);

    static Optional<PlanSetting> byKey(String key) {
        for (PlanSetting s : values()) {
            if (s.key.equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    static List<String> keys() {
        List<String> out = new ArrayList<>();
        for (PlanSetting s : values()) {
            out.add(s.key);
        }
        return out;
    }
}
