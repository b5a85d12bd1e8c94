package io.friendliflink.job.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.job.ExitStatus;
import io.friendliflink.job.RunSummary;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.policy.Pricing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
    private static final Instant START = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private static Map<String, Long> counters(long succeeded, long latencyMs) {
        Map<String, Long> c = new HashMap<>();
        c.put("succeeded", succeeded);
        c.put(LatencyHistogram.counterName(latencyMs), succeeded);
        return c;
    }

    @Test
    void theReportNeedsNothingFromTheNetworkAndRunsNoScript() throws Exception {
        RunTimeline timeline = new RunTimeline(START);
        timeline.add(START.plusSeconds(1), counters(5, 80));
        Map<String, Long> last = counters(5, 80);
        last.put("errors.server_error", 2L);
        last.put("failed", 2L);
        timeline.end(START.plusSeconds(2), last);
        RunSummary summary = new RunSummary(last, 7L, START, START.plusSeconds(2), Pricing.NONE);

        Path file = Path.of(new RunReport("<b>run</b> & co", summary, ExitStatus.FINISHED_WITH_ERRORS, null, timeline)
                .withEvaluation(FlinkFiles.local(dir.resolve("no-evaluation/report.json")))
                .write(FlinkFiles.local(dir)).toUri());

        String html = Files.readString(file);
        assertThat(file.getFileName().toString()).isEqualTo("_REPORT.html");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").toLowerCase())
                .doesNotContain("<script", "http:", "https:", "src=", "href=", "url(", "@import", "<link");
        Document dom = Jsoup.parse(html);
        assertThat(dom.selectFirst("h1").text()).isEqualTo("<b>run</b> & co");
        assertThat(dom.select("h1 b")).isEmpty();
        assertThat(dom.select("#totals tr[data-key=lines] td").text()).isEqualTo("7 of 7");
        assertThat(dom.select("#totals tr[data-key=latency_ms] td").text()).startsWith("p50 ");
        assertThat(dom.select("#chart-errors g.bar").eachAttr("data-label")).containsExactly("server_error");
        assertThat(dom.select("#chart-throughput circle.point").eachAttr("data-count")).containsExactly("5", "2");
        assertThat(dom.select("#chart-latency g[data-series=p50] circle.point")).hasSize(1);
        assertThat(dom.getElementById("chart-accuracy")).isNull();
    }

    @Test
    void aRunThatEndedBeforeAnyAnswerStillHasAReportSayingWhy() throws Exception {
        RunTimeline timeline = new RunTimeline(START);
        timeline.end(START.plusMillis(300), Map.of());
        RunSummary summary = new RunSummary(Map.of(), null, START, START.plusMillis(300), Pricing.NONE);

        String html = new RunReport("r", summary, ExitStatus.FAILED, "the endpoint refused the credentials", timeline)
                .html(FlinkFiles.local(dir));

        Document dom = Jsoup.parse(html);
        assertThat(dom.getElementById("status").text())
                .isEqualTo("FAILED (exit 1): the endpoint refused the credentials");
        assertThat(dom.getElementById("no-errors")).isNotNull();
        assertThat(dom.select("#totals tr[data-key=latency_ms]")).isEmpty();
        assertThat(dom.select("#chart-latency circle.point")).isEmpty();
        assertThat(dom.select("#chart-throughput circle.point").eachAttr("data-count")).containsExactly("0");
    }
}
