package org.spidernet.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** Every train-free metric by name, with the settings of its reference (SpiderNet's for ntk and lrc). */
public final class MetricRegistry {
    private static final Map<String, Supplier<TrainFreeMetric>> METRICS = new LinkedHashMap<>();

    static {
        METRICS.put(NtkConditionNumber.NAME, NtkConditionNumber::new);
        METRICS.put(NtkConditionNumber.CENTRED_NAME, NtkConditionNumber::centred);
        METRICS.put(LinearRegionCount.NAME, LinearRegionCount::new);
        METRICS.put(JacobianCovariance.NAME, JacobianCovariance::new);
        METRICS.put(HammingLogDet.NAME, HammingLogDet::new);
        METRICS.put(Synflow.NAME, Synflow::new);
        METRICS.put(Snip.NAME, Snip::new);
        METRICS.put(GradNorm.NAME, GradNorm::new);
        METRICS.put(ParameterCount.NAME, ParameterCount::new);
        METRICS.put(MacCount.NAME, MacCount::new);
    }

    private MetricRegistry() {
    }

    /** The registered names, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(METRICS.keySet());
    }

    /**
     * The metric with default settings for a name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known metrics when there is none by that name
     */
    public static TrainFreeMetric byName(String name) {
        Supplier<TrainFreeMetric> s = METRICS.get(name.toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("unknown metric '" + name + "' (known: " + String.join(", ", names())
                    + ")");
        }
        return s.get();
    }
}
