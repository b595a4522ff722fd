package org.spidernet.cli;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "did you mean ...?" for a misspelled option, command or named value (a strategy). picocli's own suggestions match an
 * option by its first two letters only, so a typo there ({@code --cahnnels}) would get none; here
 * every visible option (or subcommand) is ranked by edit distance instead.
 */
final class Suggestion {
    private Suggestion() {
    }

    /** The text appended to the error line: empty unless {@code ex} is an unknown option or command with a near match. */
    static String forUnmatched(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return "";
        }
        String arg = u.getUnmatched().get(0);
        CommandLine.Model.CommandSpec spec = u.getCommandLine().getCommandSpec();
        List<String> names = new ArrayList<>();
        if (arg.startsWith("-")) {
            arg = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            for (CommandLine.Model.OptionSpec o : spec.options()) {
                if (!o.hidden()) {
                    names.add(o.longestName());
                }
            }
        } else if (spec.subcommands().isEmpty()) {
            return "";
        } else {
            spec.subcommands().forEach((name, sub) -> {
                if (!sub.getCommandSpec().usageMessage().hidden()) {
                    names.add(name);
                }
            });
        }
        return among(arg, names);
    }

    /** The text appended to an error about {@code typed}: empty unless one of {@code names} is a near match. */
    static String among(String typed, Collection<String> names) {
        String lower = typed.toLowerCase(Locale.ROOT);
        // a near miss: at most a third of the name wrong (and at least 1 edit allowed, at most 3)
        int limit = Math.max(1, Math.min(3, lower.replace("-", "").length() / 3));
        return names.stream()
                .filter(n -> distance(lower, n.toLowerCase(Locale.ROOT)) <= limit)
                .min(Comparator.comparingInt((String n) -> distance(lower, n.toLowerCase(Locale.ROOT))).thenComparing(n -> n))
                .map(n -> "; did you mean " + n + "?")
                .orElse("");
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
