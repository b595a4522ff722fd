package org.spidernet.cli;

/**
 * One CSV field as RFC 4180 writes it: as it is, unless it holds a comma, a quote or a line
 * break, then in double quotes with inner quotes doubled. File names and class names are free text.
 */
final class CsvField {
    private CsvField() {
    }

    static String of(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
