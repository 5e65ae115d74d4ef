package io.reefline.metrics.rest;

import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 CSV: a header line, then one line per row; fields with commas, quotes or line breaks are quoted. */
final class Csv {

    static final String MEDIA_TYPE = "text/csv";

    private Csv() {}

    static String of(List<String> header, List<List<Object>> rows) {
        StringBuilder csv =
                new StringBuilder(line(header.stream().map(h -> (Object) h).toList()));
        rows.forEach(row -> csv.append(line(row)));
        return csv.toString();
    }

    private static String line(List<Object> fields) {
        return fields.stream().map(Csv::field).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
