package org.spidernet.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal: the first column (row labels) left-aligned, every other
 * column right-aligned so that numbers line up on their last digit, two spaces between columns.
 */
final class TextTable {
    private static final String GAP = "  ";
    private final List<List<String>> rows = new ArrayList<>();
    private final int columns;

    TextTable(List<String> header) {
        this.columns = header.size();
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
                if (c == 0) {
                    line.append(cell).append(pad);
                } else {
                    line.append(GAP).append(pad).append(cell);
                }
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
        return s.toString();
    }
}
