package io.reefline.sidecar;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads the Prometheus text exposition format (version 0.0.4, which OpenMetrics text is close enough to for counters):
 * one sample per line, {@code name{label="value",...} value [timestamp]}, comments and {@code # HELP}/{@code # TYPE}
 * lines ignored. A metric's value here is the sum of its series over every label set, which is what a per-instance
 * request or error count is. NaN and infinite values are skipped (they carry no count); a line that cannot be read is
 * skipped too, so one odd line never costs the whole scrape.
 */
final class PrometheusText {

    private final Map<String, Double> sums;

    private PrometheusText(Map<String, Double> sums) {
        this.sums = sums;
    }

    static PrometheusText parse(String text) {
        Map<String, Double> sums = new HashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Sample sample = sample(line);
            if (sample != null && Double.isFinite(sample.value)) {
                sums.merge(sample.name, sample.value, Double::sum);
            }
        }
        return new PrometheusText(sums);
    }

    /** The sum of every finite series of {@code name}; empty when the text has none. */
    OptionalDouble sum(String name) {
        Double value = sums.get(name);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private record Sample(String name, double value) {}

    /** One sample line, or null when it is not one. */
    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && nameChar(line.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        String name = line.substring(0, i);
        if (i < line.length() && line.charAt(i) == '{') {
            i = afterLabels(line, i + 1);
            if (i < 0) {
                return null;
            }
        }
        String[] rest = line.substring(i).strip().split("[ \t]+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return null;
        }
        Double value = number(rest[0]);
        return value == null ? null : new Sample(name, value);
    }

    private static boolean nameChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || c == '_'
                || c == ':'
                || (!first && c >= '0' && c <= '9');
    }

    /** The index after the closing brace of a label set starting at {@code from}, or -1 when it is not closed. */
    private static int afterLabels(String line, int from) {
        boolean quoted = false;
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '}') {
                return i + 1;
            }
        }
        return -1;
    }

    /** A sample value: a Go float ({@code 1.5e+06}, {@code +Inf}, {@code NaN}); null when it is none. */
    private static Double number(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                // Java would also read "Infinity", hex and a trailing d/f: none of them is Prometheus.
                if (!text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    return null;
                }
                return Double.parseDouble(text);
        }
    }
}
