package io.friendliflink.job.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Labelled values as horizontal SVG bars, each with its number written after it and, when given, an error bar
 * of plus or minus {@code error}. Each bar carries {@code data-label}, {@code data-value} and {@code data-error}.
 */
final class BarChart {
    private static final int WIDTH = 760;
    private static final int LABEL = 220;
    private static final int RIGHT = 90;
    private static final int ROW = 26;
    private static final int TOP = 10;
    private static final int BOTTOM = 30;

    /** One bar; {@code error} may be {@code null}; {@code text} is what is written after the bar. */
    record Bar(String label, double value, Double error, String text, String color) {}

    private final String id;
    private final Scale fixedScale;
    private final List<Bar> bars = new ArrayList<>();

    /** @param fixedScale the value axis, or {@code null} for one that fits the bars */
    BarChart(String id, Scale fixedScale) {
        this.id = id;
        this.fixedScale = fixedScale;
    }

    BarChart add(Bar bar) {
        bars.add(bar);
        return this;
    }

    String render() {
        double plotWidth = WIDTH - LABEL - RIGHT;
        int height = TOP + ROW * bars.size() + BOTTOM;
        double largest = bars.stream().mapToDouble(b -> b.value() + (b.error() == null ? 0 : b.error())).max()
                .orElse(0);
        Scale x = fixedScale != null ? new Scale(fixedScale.max(), fixedScale.step(), plotWidth)
                : Scale.of(largest, 5, plotWidth);
        double bottom = TOP + ROW * bars.size();
        Svg svg = new Svg().open("svg", "id", id, "class", "chart", "xmlns", "http://www.w3.org/2000/svg",
                "width", WIDTH, "height", height, "viewBox", "0 0 " + WIDTH + " " + height, "role", "img");
        for (int i = 0; i <= x.tickCount(); i++) {
            double value = i * x.step();
            double px = LABEL + x.toPixels(value);
            svg.empty("line", "class", "grid", "x1", px, "x2", px, "y1", TOP, "y2", bottom);
            svg.text("text", Svg.number(value), "class", "tick", "x", px, "y", bottom + 16, "text-anchor", "middle");
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double y = TOP + i * ROW;
            double end = LABEL + x.toPixels(bar.value());
            svg.open("g", "class", "bar", "data-label", bar.label(), "data-value", String.valueOf(bar.value()),
                    "data-error", bar.error() == null ? null : String.valueOf(bar.error()));
            svg.text("text", bar.label(), "class", "label", "x", LABEL - 8, "y", y + ROW / 2.0 + 4,
                    "text-anchor", "end");
            svg.open("rect", "x", LABEL, "y", y + 4, "width", Math.max(0.5, end - LABEL), "height", ROW - 8,
                    "fill", bar.color());
            svg.text("title", bar.label() + ": " + bar.text());
            svg.close("rect");
            double textX = end + 6;
            if (bar.error() != null) {
                double low = LABEL + x.toPixels(bar.value() - bar.error());
                double high = LABEL + x.toPixels(bar.value() + bar.error());
                double mid = y + ROW / 2.0;
                svg.open("g", "class", "error-bar", "stroke", "#222", "stroke-width", 1.5)
                        .empty("line", "x1", low, "x2", high, "y1", mid, "y2", mid)
                        .empty("line", "x1", low, "x2", low, "y1", mid - 6, "y2", mid + 6)
                        .empty("line", "x1", high, "x2", high, "y1", mid - 6, "y2", mid + 6)
                        .close("g");
                textX = Math.max(textX, high + 6);
            }
            svg.text("text", bar.text(), "class", "value", "x", textX, "y", y + ROW / 2.0 + 4);
            svg.close("g");
        }
        svg.empty("line", "class", "axis", "x1", LABEL, "x2", LABEL, "y1", TOP, "y2", bottom);
        return svg.close("svg").toString();
    }
}
