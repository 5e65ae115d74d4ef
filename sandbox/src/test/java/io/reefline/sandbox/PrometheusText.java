package io.reefline.sandbox;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for the tests: every line is a HELP or TYPE
 * comment, or a sample {@code name[{labels}] value [timestamp]}; a TYPE comes before the samples of its family and at
 * most once; a summary's samples are its {@code _sum}, {@code _count} and quantiles. Anything else fails.
 */
final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME.pattern()
            + ")(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})?" + " ([^ ]+)( -?\\d+)?");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) (" + NAME.pattern() + ") (.*)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusText() {}

    /** The samples by name (labels left out: the sandbox's have none), checking the whole text. */
    static Map<String, Double> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("the text must end with a line feed");
        }
        Map<String, String> types = new HashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                Matcher comment = COMMENT.matcher(line);
                if (!comment.matches()) {
                    throw new AssertionError("not a HELP or TYPE line: " + line);
                }
                if (comment.group(1).equals("TYPE")) {
                    if (!TYPES.contains(comment.group(3))) {
                        throw new AssertionError("unknown type: " + line);
                    }
                    if (types.put(comment.group(2), comment.group(3)) != null) {
                        throw new AssertionError("a second TYPE for " + comment.group(2));
                    }
                    if (samples.keySet().stream()
                            .anyMatch(name -> family(name, comment.group(3)).equals(comment.group(2)))) {
                        throw new AssertionError("TYPE after the samples of " + comment.group(2));
                    }
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new AssertionError("not a sample line: '" + line + "'");
            }
            String name = sample.group(1);
            double value = value(sample.group(3), line);
            String declared = types.get(name);
            if (declared == null) {
                String base = name.replaceAll("_(sum|count|bucket)$", "");
                declared = types.get(base);
                if (declared == null || !(declared.equals("summary") || declared.equals("histogram"))) {
                    throw new AssertionError("a sample without a TYPE: " + line);
                }
            }
            if (declared.equals("counter") && value < 0) {
                throw new AssertionError("a negative counter: " + line);
            }
            if (samples.put(name, value) != null) {
                throw new AssertionError("a second sample of " + name);
            }
        }
        return samples;
    }

    private static String family(String sample, String type) {
        return type.equals("summary") || type.equals("histogram")
                ? sample.replaceAll("_(sum|count|bucket)$", "")
                : sample;
    }

    private static double value(String text, String line) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!text.matches("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw new AssertionError("not a number: " + line);
                }
                return Double.parseDouble(text);
        }
    }
}
