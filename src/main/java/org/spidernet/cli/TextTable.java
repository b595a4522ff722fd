package org.spidernet.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal: the first column (row labels) left-aligned, every other
 * column right-aligned so that numbers line up on their last digit, two spaces between columns.
 * A table of words (names, descriptions) may left-align more of its leading columns.
 */
final class TextTable {
    private static final String GAP = "  ";
    private final List<List<String>> rows = new ArrayList<>();
    private final int columns;
    private final int leftAligned;

    TextTable(List<String> header) {
        this(header, 1);
    }

    /** A table whose first {@code leftAligned} columns are left-aligned. */
    TextTable(List<String> header, int leftAligned) {
        this.columns = header.size();
        this.leftAligned = leftAligned;
        rows.add(List.copyOf(header));
    }

    void addRow(List<String> cells) {
        if (cells.size() != columns) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, table has " + columns + " columns");
        }
        rows.add(List.copyOf(cells));
    }

    /** The table, header first, one line per row, each ending in a newline and without trailing spaces. */
    String render() {
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                String gap = c == 0 ? "" : GAP;
                if (c < leftAligned) {
                    line.append(gap).append(cell).append(pad);
                } else {
                    line.append(gap).append(pad).append(cell);
                }
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
        return s.toString();
    }
}
