package io.reefline.platform.csv;

import java.util.List;
import java.util.stream.Collectors;

/**
 * RFC 4180 CSV for every export: a header line, then one line per row, lines ending in CRLF. A cell with a comma,
 * quote or line break is quoted. A cell a spreadsheet would read as a formula (starting with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return) gets a leading {@code '}, so text a user typed (a cord's reason,
 * a tenant name) can never run as a formula when the file is opened. Numbers are written as numbers: a negative
 * number stays a number.
 */
public final class Csv {

    public static final String MEDIA_TYPE = "text/csv";

    private Csv() {}

    /** The whole document. */
    public static String of(List<String> header, List<? extends List<?>> rows) {
        StringBuilder csv = new StringBuilder(line(header));
        rows.forEach(row -> csv.append(line(row)));
        return csv.toString();
    }

    /** One line with its CRLF. */
    public static String line(List<?> cells) {
        return cells.stream().map(Csv::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    /** One cell, neutralised and quoted as needed; null is an empty cell. */
    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!(value instanceof Number) && startsLikeAFormula(text)) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    private static boolean startsLikeAFormula(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }
}
