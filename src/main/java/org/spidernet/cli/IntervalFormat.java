package org.spidernet.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.spidernet.stats.Interval;

import java.util.Locale;

/**
 * A statistic with its confidence interval as the commands print and save it: NaN (too few
 * points, a constant score) is "n/a" in text, empty in CSV and null in JSON.
 */
final class IntervalFormat {
    private IntervalFormat() {
    }

    /** {@code 0.412 [0.201, 0.598]}, or "n/a" parts. */
    static String text(Interval i) {
        if (Double.isNaN(i.estimate())) {
            return "n/a";
        }
        if (Double.isNaN(i.low())) {
            return String.format(Locale.ROOT, "%.3f [n/a]", i.estimate());
        }
        return i.format("%.3f");
    }

    /** The estimate alone, {@code 0.412} or "n/a". */
    static String estimate(Interval i) {
        return Double.isNaN(i.estimate()) ? "n/a" : String.format(Locale.ROOT, "%.3f", i.estimate());
    }

    /** Three CSV cells: estimate, low, high. */
    static String csv(Interval i) {
        return cell(i.estimate()) + "," + cell(i.low()) + "," + cell(i.high());
    }

    static ObjectNode json(Interval i) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        put(o, "estimate", i.estimate());
        put(o, "low", i.low());
        put(o, "high", i.high());
        return o;
    }

    private static void put(ObjectNode o, String name, double v) {
        if (Double.isNaN(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
