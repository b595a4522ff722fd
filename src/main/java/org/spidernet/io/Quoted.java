package org.spidernet.io;

/**
 * A value read from outside data, as an error message quotes it: control characters (a line
 * break in a JSON string, a tab in a weights entry's name) are escaped, so the message stays one
 * line and shows what the file holds. Long values are cut, so a message stays readable.
 */
public final class Quoted {
    private static final int MAX_CHARS = 80;

    private Quoted() {
    }

    /** {@code value} with control characters as {@code \n}, {@code \t} or {@code \}{@code uXXXX}, at most 80 characters. */
    public static String of(String value) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length() && b.length() < MAX_CHARS; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                        ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.length() >= MAX_CHARS && value.length() > MAX_CHARS ? b + "..." : b.toString();
    }
}
