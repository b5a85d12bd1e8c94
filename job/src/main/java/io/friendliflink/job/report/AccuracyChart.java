package io.friendliflink.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation's accuracy per subject with error bars of one standard error, then over all subjects, from the
 * {@code report.json} the evaluation wrote (its {@code acc} and {@code acc_stderr}, as the harness computes them).
 * A subject without a scored question has no bar.
 */
final class AccuracyChart {
    private static final String SUBJECT = "#1f77b4";
    private static final String OVERALL = "#2ca02c";

    private AccuracyChart() {}

    static String render(JsonNode report) {
        BarChart chart = new BarChart("chart-accuracy", Scale.fixed(1, 0.1, 0));
        Iterator<Map.Entry<String, JsonNode>> subjects = report.path("subjects").fields();
        while (subjects.hasNext()) {
            Map.Entry<String, JsonNode> subject = subjects.next();
            add(chart, subject.getKey(), subject.getValue(), SUBJECT);
        }
        add(chart, "all", report.path("overall"), OVERALL);
        return chart.render();
    }

    private static void add(BarChart chart, String name, JsonNode tally, String color) {
        JsonNode acc = tally.path("acc");
        if (!acc.isNumber()) {
            return;
        }
        JsonNode stderr = tally.path("acc_stderr");
        Double error = stderr.isNumber() ? stderr.asDouble() : null;
        String text = String.format(Locale.ROOT, "%.3f", acc.asDouble())
                + (error == null ? "" : String.format(Locale.ROOT, " ± %.3f", error))
                + " (n=" + tally.path("scored").asLong() + ")";
        chart.add(new BarChart.Bar(name, acc.asDouble(), error, text, color));
    }
}
