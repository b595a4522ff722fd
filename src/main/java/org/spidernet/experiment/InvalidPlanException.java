package org.spidernet.experiment;

/**
 * A plan file that cannot be run; the message is one line naming the file, the field and the
 * fault. Control characters a plan's strings carry into it (a strategy name with a line break)
 * are written as Java-style u-escapes (backslash, u, four hex digits), so the message stays one line.
 */
public final class InvalidPlanException extends IllegalArgumentException {
    public InvalidPlanException(String message) {
        super(oneLine(message));
    }

    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
