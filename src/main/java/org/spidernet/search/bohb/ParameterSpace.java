package org.spidernet.search.bohb;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The box searched by BOHB: an ordered list of named parameters, coordinate i of a {@link Point}
 * being parameter i. Maps points of [0, 1]^d to real values (integers rounded into their bins)
 * and back.
 */
public final class ParameterSpace {
    private final List<Parameter> parameters;
    private final Map<String, Integer> index;

    public ParameterSpace(List<Parameter> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException("parameters must contain at least one parameter");
        }
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (p == null) {
                throw new IllegalArgumentException("parameters: entry " + i + " is null");
            }
            if (idx.putIfAbsent(p.name(), i) != null) {
                throw new IllegalArgumentException("parameters: name '" + p.name() + "' appears twice");
            }
        }
        this.parameters = List.copyOf(parameters);
        this.index = Map.copyOf(idx);
    }

    public static ParameterSpace of(Parameter... parameters) {
        return new ParameterSpace(List.of(parameters));
    }

    public int dimension() {
        return parameters.size();
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public Parameter parameter(int i) {
        return parameters.get(i);
    }

    /** The coordinate of the named parameter. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("parameter name '" + name + "' is not in the space");
        }
        return i;
    }

    /** The real values at a point, in parameter order. */
    public double[] values(Point point) {
        checkDimension(point.dimension());
        double[] v = new double[dimension()];
        for (int i = 0; i < v.length; i++) {
            v[i] = parameters.get(i).value(point.coordinate(i));
        }
        return v;
    }

    /** The real values at a point by name, in parameter order. */
    public Map<String, Double> named(Point point) {
        double[] v = values(point);
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            m.put(parameters.get(i).name(), v[i]);
        }
        return m;
    }

    /** The point of real values given in parameter order; each must lie inside its bounds. */
    public Point point(double... values) {
        checkDimension(values.length);
        double[] u = new double[values.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = parameters.get(i).unit(values[i]);
        }
        return new Point(u);
    }

    private void checkDimension(int d) {
        if (d != dimension()) {
            throw new IllegalArgumentException("point has " + d + " coordinates, the space has " + dimension()
                    + " parameters");
        }
    }
}
