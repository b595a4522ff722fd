package org.spidernet.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The candidate operations an edge can carry, by their names in the genome JSON.
 * {@link #ZERO} is not a candidate: it is what an edge whose ops were all pruned computes,
 * and the name a genome may use to say so explicitly.
 */
public enum OpType {
    IDENTITY("identity"),
    MAX_POOL_3X3("max_pool_3x3"),
    AVG_POOL_3X3("avg_pool_3x3"),
    SEP_CONV_3X3("sep_conv_3x3"),
    SEP_CONV_5X5("sep_conv_5x5"),
    DIL_CONV_3X3("dil_conv_3x3"),
    DIL_CONV_5X5("dil_conv_5x5"),
    ZERO("zero");

    /** The seven ops a new edge starts with, in canonical order. */
    public static final List<OpType> CANDIDATES = List.of(IDENTITY, MAX_POOL_3X3, AVG_POOL_3X3,
            SEP_CONV_3X3, SEP_CONV_5X5, DIL_CONV_3X3, DIL_CONV_5X5);

    private final String jsonName;

    OpType(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** Kernel size of the op's depthwise convolutions, or 0 for ops without one. */
    public int kernel() {
        return switch (this) {
            case SEP_CONV_3X3, DIL_CONV_3X3 -> 3;
            case SEP_CONV_5X5, DIL_CONV_5X5 -> 5;
            default -> 0;
        };
    }

    /** Dilation of the op's depthwise convolutions (2 for dil convs, else 1). */
    public int dilation() {
        return this == DIL_CONV_3X3 || this == DIL_CONV_5X5 ? 2 : 1;
    }

    public boolean isSeparableConv() {
        return this == SEP_CONV_3X3 || this == SEP_CONV_5X5;
    }

    /** Parses a genome op name; the error lists the known names. */
    public static OpType fromName(String name) {
        for (OpType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        List<String> known = new ArrayList<>();
        for (OpType t : values()) {
            known.add(t.jsonName);
        }
        throw new IllegalArgumentException("unknown op '" + org.spidernet.io.Quoted.of(name) + "' (known: " + String.join(", ", known) + ")");
    }

    @Override
    public String toString() {
        return jsonName.toLowerCase(Locale.ROOT);
    }
}
