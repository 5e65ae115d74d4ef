package io.reefline.metrics.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A small server-rendered chart: bars or lines per month, an optional dashed goal line, each value written on the
 * chart so it reads without hovering. Plain SVG, so the page needs no script and no CDN.
 */
final class SvgChart {

    /** One series: its values per label (null: nothing measured), drawn as bars or as a line. */
    record Series(String name, String color, List<Double> values, boolean bars) {}

    private static final int WIDTH = 560;
    private static final int HEIGHT = 240;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 24;
    private static final int BOTTOM = 40;

    private final String id;
    private final String title;
    private final List<String> labels;
    private final List<Series> series = new ArrayList<>();
    private final DoubleFunction<String> format;
    private Double goal;
    private Double floor;

    SvgChart(String id, String title, List<String> labels, DoubleFunction<String> format) {
        this.id = id;
        this.title = title;
        this.labels = labels;
        this.format = format;
    }

    SvgChart series(Series added) {
        series.add(added);
        return this;
    }

    SvgChart goal(Double value) {
        this.goal = value;
        return this;
    }

    /** The lowest value of the axis, for values that all sit near the top (uptime); 0 otherwise. */
    SvgChart floor(double value) {
        this.floor = value;
        return this;
    }

    String render() {
        double max = goal == null ? 0 : goal;
        double min = floor == null ? 0 : floor;
        for (Series s : series) {
            for (Double v : s.values()) {
                if (v != null) {
                    max = Math.max(max, v);
                }
            }
        }
        if (max <= min) {
            max = min + 1;
        }
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = plotWidth / Math.max(1, labels.size());
        double top = max;
        double bottom = min;
        DoubleFunction<Double> y = v -> TOP + plotHeight * (1 - (Math.max(v, bottom) - bottom) / (top - bottom));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\""
                        + " xmlns=\"http://www.w3.org/2000/svg\">",
                id,
                WIDTH,
                HEIGHT,
                escape(title)));
        svg.append("<title>").append(escape(title)).append("</title>");
        svg.append(line(LEFT, TOP + plotHeight, WIDTH - RIGHT, TOP + plotHeight, "#d8e0e8", ""));
        svg.append(text(LEFT - 6, TOP + 4, format.apply(max), "end", "#5b6b7c"));
        svg.append(text(LEFT - 6, TOP + plotHeight, format.apply(min), "end", "#5b6b7c"));
        for (int i = 0; i < labels.size(); i++) {
            svg.append(text(LEFT + slot * (i + 0.5), HEIGHT - BOTTOM + 16, labels.get(i), "middle", "#5b6b7c"));
        }
        List<Series> barSeries = series.stream().filter(Series::bars).toList();
        double barWidth = slot * 0.7 / Math.max(1, barSeries.size());
        for (int b = 0; b < barSeries.size(); b++) {
            Series s = barSeries.get(b);
            for (int i = 0; i < labels.size() && i < s.values().size(); i++) {
                Double v = s.values().get(i);
                if (v == null) {
                    continue;
                }
                double x = LEFT + slot * i + slot * 0.15 + barWidth * b;
                double yTop = y.apply(v);
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                                + "<title>%s %s: %s</title></rect>",
                        x,
                        yTop,
                        barWidth - 1,
                        TOP + plotHeight - yTop,
                        s.color(),
                        escape(s.name()),
                        escape(labels.get(i)),
                        escape(format.apply(v))));
                svg.append(text(x + barWidth / 2, yTop - 3, format.apply(v), "middle", s.color()));
            }
        }
        for (Series s : series) {
            if (s.bars()) {
                continue;
            }
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < labels.size() && i < s.values().size(); i++) {
                Double v = s.values().get(i);
                if (v == null) {
                    continue;
                }
                double x = LEFT + slot * (i + 0.5);
                double py = y.apply(v);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, py));
                svg.append(String.format(
                        Locale.ROOT,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s %s: %s</title></circle>",
                        x,
                        py,
                        s.color(),
                        escape(s.name()),
                        escape(labels.get(i)),
                        escape(format.apply(v))));
                svg.append(text(x, py - 7, format.apply(v), "middle", s.color()));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline class=\"line\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>",
                    s.color(),
                    points.toString().strip()));
        }
        if (goal != null) {
            double gy = y.apply(goal);
            svg.append(line(LEFT, gy, WIDTH - RIGHT, gy, "#b42318", " stroke-dasharray=\"6 4\" class=\"goal\""));
            svg.append(text(WIDTH - RIGHT, gy - 4, "goal " + format.apply(goal), "end", "#b42318"));
        }
        double legendX = LEFT;
        for (Series s : series) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"6\" width=\"10\" height=\"10\" fill=\"%s\"/>",
                    legendX,
                    s.color()));
            svg.append(text(legendX + 14, 15, s.name(), "start", "#10243a"));
            legendX += 14 + 7 * s.name().length() + 16;
        }
        return svg.append("</svg>").toString();
    }

    static String days(double value) {
        return String.format(Locale.ROOT, "%.1f d", value);
    }

    /** Hours, or minutes below one hour: a detection within minutes does not read as {@code 0.1 h}. */
    static String hours(double value) {
        if (value > 0 && value < 1) {
            return String.format(Locale.ROOT, "%.0f min", value * 60);
        }
        return String.format(Locale.ROOT, "%.1f h", value);
    }

    static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f%%", value);
    }

    static String uptime(double value) {
        return String.format(Locale.ROOT, "%.3f%%", value);
    }

    private static String line(double x1, double y1, double x2, double y2, String color, String extra) {
        return String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>",
                x1,
                y1,
                x2,
                y2,
                color,
                extra);
    }

    private static String text(double x, double y, String value, String anchor, String color) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\" fill=\"%s\">%s</text>",
                x,
                y,
                anchor,
                color,
                escape(value));
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
