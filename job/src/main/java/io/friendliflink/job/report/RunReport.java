package io.friendliflink.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.job.ExitStatus;
import io.friendliflink.job.RunSummary;
import io.friendliflink.job.files.FlinkFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.apache.flink.core.fs.Path;

/**
 * {@code <output>/_REPORT.html}: the run to look at, in one file that needs nothing else to open (inline SVG and
 * CSS, no script, nothing fetched). Totals as in {@code _SUMMARY.json}; throughput, {@code 429}s, retries and
 * latency percentiles over the run's time from its {@link RunTimeline}; error rows by type; for an evaluation,
 * accuracy per subject with error bars.
 *
 * <p>{@code
 * new RunReport("my-run", summary, status, reason, timeline).withEvaluation(reportJson).write(output);
 * }
 */
public final class RunReport {
    public static final String FILE = "_REPORT.html";
    /** Intervals drawn at most: enough to see a run's phases, few enough to read each dot. */
    static final int MAX_INTERVALS = 120;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BLUE = "#1f77b4";
    private static final String ORANGE = "#ff7f0e";
    private static final String GREEN = "#2ca02c";
    private static final String RED = "#d62728";
    private static final String PURPLE = "#9467bd";

    private final String name;
    private final RunSummary summary;
    private final ExitStatus status;
    private final String reason;
    private final RunTimeline timeline;
    private JsonNode evaluation;

    /** @param reason why the run failed or stopped, or {@code null} */
    public RunReport(String name, RunSummary summary, ExitStatus status, String reason, RunTimeline timeline) {
        this.name = name;
        this.summary = summary;
        this.status = status;
        this.reason = reason;
        this.timeline = timeline;
    }

    /** Adds the accuracy per subject of the evaluation's {@code report.json}, if that file exists. */
    public RunReport withEvaluation(Path reportJson) throws IOException {
        if (FlinkFiles.isFile(reportJson)) {
            evaluation = JSON.readTree(FlinkFiles.readAllBytes(reportJson));
        }
        return this;
    }

    /** Writes {@code _REPORT.html} under {@code output}, atomically; returns its path. */
    public Path write(Path output) throws IOException {
        Path file = FlinkFiles.child(output, FILE);
        FlinkFiles.writeString(file, html(output));
        return file;
    }

    String html(Path output) {
        JsonNode totals = summary.toJson(status, reason, output);
        List<RunTimeline.Interval> intervals = timeline.intervals(MAX_INTERVALS);
        double seconds = summary.elapsed().toMillis() / 1000.0;
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(Svg.escape("Run report: " + name)).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n");
        html.append("<h1>").append(Svg.escape(name)).append("</h1>\n");
        html.append("<p id=\"status\" class=\"status ").append(status.name().toLowerCase(Locale.ROOT)).append("\">")
                .append(status.name()).append(" (exit ").append(status.code()).append(")")
                .append(reason == null ? "" : ": " + Svg.escape(reason)).append("</p>\n");
        html.append("<p class=\"when\">").append(summary.startedAt()).append(" to ").append(summary.now())
                .append(", ").append(Svg.number(seconds)).append(" s. Output: ")
                .append(Svg.escape(output.toString())).append("</p>\n");
        html.append(totalsTable(totals));

        html.append("<h2>Throughput</h2>\n");
        html.append(new LineChart("chart-throughput", "requests per second", seconds)
                .add("requests/s", BLUE, rates(intervals, RunTimeline.Interval::requests)).render());
        html.append(new LineChart("chart-tokens", "tokens per second", seconds)
                .add("tokens/s", PURPLE, rates(intervals, RunTimeline.Interval::tokens)).render());
        html.append("<h2>429s and retries</h2>\n");
        html.append(new LineChart("chart-429", "per second", seconds)
                .add("429s/s", RED, rates(intervals, RunTimeline.Interval::rateLimited))
                .add("retries/s", ORANGE, rates(intervals, RunTimeline.Interval::retries)).render());
        html.append("<h2>Latency</h2>\n<p class=\"note\">Of the answered requests (their final attempt), from "
                + "sending to the whole answer; percentiles per interval.</p>\n");
        html.append(new LineChart("chart-latency", "milliseconds", seconds)
                .add("p50", GREEN, percentiles(intervals, 0.50))
                .add("p90", ORANGE, percentiles(intervals, 0.90))
                .add("p99", RED, percentiles(intervals, 0.99)).render());
        html.append("<h2>Errors by type</h2>\n");
        Map<String, Long> errors = summary.errorsByType();
        if (errors.isEmpty()) {
            html.append("<p id=\"no-errors\">No error rows.</p>\n");
        } else {
            BarChart chart = new BarChart("chart-errors", null);
            errors.forEach((type, n) -> chart.add(new BarChart.Bar(type, n, null, Long.toString(n), RED)));
            html.append(chart.render());
        }
        if (evaluation != null) {
            html.append("<h2>Accuracy per subject</h2>\n<p class=\"note\">")
                    .append(Svg.escape(evaluation.path("task").asText()))
                    .append(", model ").append(Svg.escape(evaluation.path("model").asText()))
                    .append(": acc with error bars of one standard error; failed questions are left out.</p>\n");
            html.append(AccuracyChart.render(evaluation));
        }
        html.append("\n<p class=\"note\">The counters are read from the job while it runs, as the progress line "
                + "reads them; each dot is one interval between two readings.</p>\n</body></html>\n");
        return html.toString();
    }

    private String totalsTable(JsonNode totals) {
        Svg table = new Svg().open("table", "id", "totals");
        JsonNode lines = totals.path("lines");
        row(table, "lines", lines.has("total") ? lines.path("done").asLong() + " of " + lines.path("total").asLong()
                : Long.toString(lines.path("done").asLong()));
        row(table, "succeeded", lines.path("succeeded").asText());
        row(table, "without_result", lines.path("without_result").asText());
        row(table, "attempts", totals.path("attempts").asText());
        row(table, "retries", totals.path("retries").asText());
        row(table, "rate_limited_responses", totals.path("rate_limited_responses").asText());
        row(table, "tokens", totals.path("tokens").path("total").asText());
        row(table, "requests_per_second", totals.path("throughput").path("requests_per_second").asText());
        row(table, "tokens_per_second", totals.path("throughput").path("tokens_per_second").asText());
        LatencyHistogram all = LatencyHistogram.of(summary.counters());
        if (all.total() > 0) {
            row(table, "latency_ms", String.format(Locale.ROOT, "p50 %s, p90 %s, p99 %s",
                    Svg.number(all.percentile(0.5)), Svg.number(all.percentile(0.9)),
                    Svg.number(all.percentile(0.99))));
        }
        return table.close("table").raw("\n").toString();
    }

    private static void row(Svg table, String key, String value) {
        table.open("tr", "data-key", key).text("th", key.replace('_', ' ')).text("td", value).close("tr");
    }

    private static List<LineChart.Point> rates(List<RunTimeline.Interval> intervals,
            ToLongFunction<RunTimeline.Interval> count) {
        List<LineChart.Point> points = new ArrayList<>();
        for (RunTimeline.Interval i : intervals) {
            long n = count.applyAsLong(i);
            points.add(new LineChart.Point(i.endSeconds(), i.seconds() > 0 ? n / i.seconds() : 0, n));
        }
        return points;
    }

    private static List<LineChart.Point> percentiles(List<RunTimeline.Interval> intervals, double q) {
        return points(intervals, i -> i.latency().percentile(q), i -> i.latency().total());
    }

    private static List<LineChart.Point> points(List<RunTimeline.Interval> intervals,
            ToDoubleFunction<RunTimeline.Interval> value, ToLongFunction<RunTimeline.Interval> count) {
        List<LineChart.Point> points = new ArrayList<>();
        for (RunTimeline.Interval i : intervals) {
            points.add(new LineChart.Point(i.endSeconds(), value.applyAsDouble(i), count.applyAsLong(i)));
        }
        return points;
    }

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:24px;\
            color:#222;max-width:800px}
            h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:26px 0 6px}
            .status{display:inline-block;padding:3px 8px;border-radius:4px;font-weight:600;background:#e8e8e8}
            .status.finished{background:#d4f4d4}.status.finished_with_errors{background:#fff1c7}
            .status.failed{background:#fbd3d3}.status.cancelled{background:#e0e0f8}
            .when,.note{color:#555;font-size:13px;margin:4px 0}
            table{border-collapse:collapse;margin-top:10px;font-size:14px}
            th{text-align:left;font-weight:500;color:#555;padding:2px 16px 2px 0}td{padding:2px 0}
            svg.chart{display:block;margin:4px 0 10px}
            svg .grid{stroke:#e4e4e4}svg .axis{stroke:#888}
            svg text{font-size:11px;fill:#444}svg .legend,svg .value{font-size:12px;fill:#222}
            svg .label{font-size:12px;fill:#444}
            """;
}
