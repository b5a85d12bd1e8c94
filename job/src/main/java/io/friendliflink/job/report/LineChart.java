package io.friendliflink.job.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Values over the run's time as an SVG line chart: one line per series, a dot per interval carrying its numbers
 * ({@code data-t}, {@code data-value}, and {@code data-count} when the value is a count per second) and a
 * tooltip; an interval without a value (no answer to take a percentile of) breaks the line.
 */
final class LineChart {
    static final int WIDTH = 760;
    static final int HEIGHT = 240;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;

    /** One dot: at {@code t} seconds, {@code value} ({@code NaN}: none), from {@code count} events if a rate. */
    record Point(double t, double value, Long count) {}

    record Series(String name, String color, List<Point> points) {}

    private final String id;
    private final String unit;
    private final double seconds;
    private final List<Series> series = new ArrayList<>();

    /**
     * @param id the SVG element's id
     * @param unit what the values are, shown above the y axis
     * @param seconds the run's length: the x axis
     */
    LineChart(String id, String unit, double seconds) {
        this.id = id;
        this.unit = unit;
        this.seconds = seconds;
    }

    LineChart add(String name, String color, List<Point> points) {
        series.add(new Series(name, color, List.copyOf(points)));
        return this;
    }

    String render() {
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double largest = series.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::value)
                .filter(v -> !Double.isNaN(v)).max().orElse(0);
        Scale x = Scale.of(seconds, 8, plotWidth);
        Scale y = Scale.of(largest, 4, plotHeight);
        Svg svg = new Svg().open("svg", "id", id, "class", "chart", "xmlns", "http://www.w3.org/2000/svg",
                "width", WIDTH, "height", HEIGHT, "viewBox", "0 0 " + WIDTH + " " + HEIGHT, "role", "img");
        for (int i = 0; i <= y.tickCount(); i++) {
            double value = i * y.step();
            double py = TOP + plotHeight - y.toPixels(value);
            svg.empty("line", "class", "grid", "x1", LEFT, "x2", WIDTH - RIGHT, "y1", py, "y2", py);
            svg.text("text", Svg.number(value), "class", "tick", "x", LEFT - 6, "y", py + 4, "text-anchor", "end");
        }
        for (int i = 0; i <= x.tickCount(); i++) {
            double value = i * x.step();
            double px = LEFT + x.toPixels(value);
            svg.empty("line", "class", "axis", "x1", px, "x2", px, "y1", TOP + plotHeight, "y2", TOP + plotHeight + 4);
            svg.text("text", Svg.number(value), "class", "tick", "x", px, "y", TOP + plotHeight + 16,
                    "text-anchor", "middle");
        }
        svg.empty("line", "class", "axis", "x1", LEFT, "x2", WIDTH - RIGHT, "y1", TOP + plotHeight,
                "y2", TOP + plotHeight);
        svg.text("text", "seconds since the start", "class", "label", "x", LEFT + plotWidth / 2, "y", HEIGHT - 6,
                "text-anchor", "middle");
        svg.text("text", unit, "class", "label", "x", LEFT, "y", TOP - 14, "text-anchor", "start");
        double legendX = WIDTH - RIGHT;
        for (int s = series.size() - 1; s >= 0; s--) {
            Series one = series.get(s);
            double width = 24 + 7 * one.name().length();
            legendX -= width;
            svg.empty("rect", "x", legendX, "y", TOP - 24, "width", 12, "height", 12, "fill", one.color());
            svg.text("text", one.name(), "class", "legend", "x", legendX + 16, "y", TOP - 14);
        }
        for (Series one : series) {
            svg.open("g", "class", "series", "data-series", one.name());
            StringBuilder path = new StringBuilder();
            boolean drawing = false;
            for (Point p : one.points()) {
                if (Double.isNaN(p.value())) {
                    drawing = false;
                    continue;
                }
                path.append(drawing ? " L" : " M").append(Svg.number(LEFT + x.toPixels(p.t()))).append(' ')
                        .append(Svg.number(TOP + plotHeight - y.toPixels(p.value())));
                drawing = true;
            }
            svg.empty("path", "d", path.toString().trim(), "fill", "none", "stroke", one.color(), "stroke-width", 2);
            for (Point p : one.points()) {
                if (Double.isNaN(p.value())) {
                    continue;
                }
                svg.open("circle", "class", "point", "cx", LEFT + x.toPixels(p.t()),
                        "cy", TOP + plotHeight - y.toPixels(p.value()), "r", 3, "fill", one.color(),
                        "data-t", String.valueOf(p.t()), "data-value", String.valueOf(p.value()),
                        "data-count", p.count());
                svg.text("title", one.name() + " at " + Svg.number(p.t()) + " s: " + Svg.number(p.value())
                        + (p.count() == null ? "" : " (" + p.count() + ")"));
                svg.close("circle");
            }
            svg.close("g");
        }
        return svg.close("svg").toString();
    }
}
