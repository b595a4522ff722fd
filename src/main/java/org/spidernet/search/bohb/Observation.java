package org.spidernet.search.bohb;

/**
 * One evaluated configuration: where it was (unit coordinates) and the loss it reached, lower
 * better. A failed evaluation is not an observation: it is left out, not given a made-up loss.
 */
public record Observation(Point point, double loss) {

    public Observation {
        if (point == null) {
            throw new IllegalArgumentException("observation point must not be null");
        }
        if (!Double.isFinite(loss)) {
            throw new IllegalArgumentException("observation loss must be finite, got " + loss);
        }
    }
}
