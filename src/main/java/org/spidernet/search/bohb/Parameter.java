package org.spidernet.search.bohb;

/**
 * One searched quantity with closed bounds, continuous or integer. The samplers see only its unit
 * coordinate u in [0, 1]; this record maps u to a value and back.
 *
 * <p>An integer parameter splits [0, 1] into upper - lower + 1 equal bins, one per value, so that
 * uniform sampling of u draws every integer equally often (rounding lower + u (upper - lower)
 * would give the two end values half a share each).
 */
public record Parameter(String name, double lower, double upper, boolean integer) {

    public Parameter {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("parameter name must be non-blank, got '" + name + "'");
        }
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || !(lower < upper)) {
            throw new IllegalArgumentException("parameter '" + name + "': bounds must be finite with lower < upper, got ["
                    + lower + ", " + upper + "]");
        }
        if (integer && (lower != Math.rint(lower) || upper != Math.rint(upper))) {
            throw new IllegalArgumentException("parameter '" + name + "': integer bounds must be whole numbers, got ["
                    + lower + ", " + upper + "]");
        }
    }

    public static Parameter continuous(String name, double lower, double upper) {
        return new Parameter(name, lower, upper, false);
    }

    public static Parameter integer(String name, long lower, long upper) {
        return new Parameter(name, lower, upper, true);
    }

    /** The value at unit coordinate u; an integer parameter returns a whole number. */
    public double value(double u) {
        if (!(u >= 0 && u <= 1)) {
            throw new IllegalArgumentException("parameter '" + name + "': unit coordinate must lie in [0, 1], got " + u);
        }
        if (!integer) {
            // lower + u (upper - lower) can round past upper at u = 1; clamp keeps the bound exact.
            return Math.min(upper, lower + u * (upper - lower));
        }
        double bins = upper - lower + 1;
        return lower + Math.min(Math.floor(u * bins), bins - 1);
    }

    /**
     * The unit coordinate of a value inside the bounds; for an integer, the centre of its bin, so
     * that value(unit(v)) == v.
     */
    public double unit(double value) {
        if (!(value >= lower && value <= upper)) {
            throw new IllegalArgumentException("parameter '" + name + "': value must lie in [" + lower + ", " + upper
                    + "], got " + value);
        }
        if (!integer) {
            return (value - lower) / (upper - lower);
        }
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException("parameter '" + name + "': integer value expected, got " + value);
        }
        return (value - lower + 0.5) / (upper - lower + 1);
    }
}
