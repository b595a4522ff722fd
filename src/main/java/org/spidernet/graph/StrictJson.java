package org.spidernet.graph;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Strict field access for the architecture JSON formats: a missing field or one of the wrong type
 * is an {@link InvalidGenomeException} naming its JSON path, e.g. {@code cells[1].edges[2].from:
 * expected an integer, found "2"}. {@code path} is the parent's path with its trailing dot.
 */
public final class StrictJson {
    private StrictJson() {
    }

    public static JsonNode field(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            throw new InvalidGenomeException(path + name + ": missing");
        }
        return n;
    }

    public static int integer(JsonNode parent, String name, String path) {
        JsonNode n = field(parent, name, path);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidGenomeException(path + name + ": expected an integer, found " + n);
        }
        return n.intValue();
    }

    public static String text(JsonNode parent, String name, String path) {
        JsonNode n = field(parent, name, path);
        if (!n.isTextual()) {
            throw new InvalidGenomeException(path + name + ": expected a string, found " + n);
        }
        return n.asText();
    }

    public static JsonNode array(JsonNode parent, String name, String path) {
        JsonNode n = field(parent, name, path);
        if (!n.isArray()) {
            throw new InvalidGenomeException(path + name + ": expected an array, found " + n.getNodeType());
        }
        return n;
    }

    public static JsonNode object(JsonNode parent, String name, String path) {
        JsonNode n = field(parent, name, path);
        if (!n.isObject()) {
            throw new InvalidGenomeException(path + name + ": expected an object, found " + n.getNodeType());
        }
        return n;
    }

    /** A list element that must be an object ({@code path} names it, e.g. {@code cells[2]}). */
    public static JsonNode element(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw new InvalidGenomeException(path + ": must be an object");
        }
        return n;
    }

    /** The "input" object every architecture file starts with: image channels, height, width and classes. */
    public static InputSpec input(JsonNode root) {
        JsonNode in = object(root, "input", "");
        try {
            return new InputSpec(integer(in, "channels", "input."), integer(in, "height", "input."),
                    integer(in, "width", "input."), integer(in, "classes", "input."));
        } catch (InvalidGenomeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException("input: " + e.getMessage());
        }
    }

    /** Writes {@link #input}'s object. */
    public static void putInput(com.fasterxml.jackson.databind.node.ObjectNode root, InputSpec input) {
        com.fasterxml.jackson.databind.node.ObjectNode in = root.putObject("input");
        in.put("channels", input.channels());
        in.put("height", input.height());
        in.put("width", input.width());
        in.put("classes", input.classes());
    }

    private static final java.util.regex.Pattern SOURCE_LOCATION =
            java.util.regex.Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    /**
     * A Jackson parse error as one line: its own text (first line) and where. Jackson has no
     * location for some errors (a nesting-depth or length limit hit), so that part is optional.
     */
    public static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
        // Jackson quotes other locations inside its text as "[Source: REDACTED (...); line: 1, column: 1]"
        String text = SOURCE_LOCATION.matcher(String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse(""))
                .replaceAll("line $1, column $2");
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        return at == null ? text : text + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
