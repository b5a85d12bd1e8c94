package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code _REPORT.html} of real runs ({@code BulkInferenceJob} as {@code bin/run} calls it, on a local cluster,
 * against the embedded emulator) opened in headless Chromium: the DOM it renders holds charts whose numbers are
 * the run's own, and its screenshot (kept under {@code target/report-screenshots/}) shows them drawn.
 */
class ReportInChromiumTest {
    private static final Path SCREENSHOTS = Path.of("target", "report-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RED = 0xd62728;
    private static final int BLUE = 0x1f77b4;

    @TempDir
    static Path browserDir;
    static HeadlessChromium chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void installChromium() throws Exception {
        chromium = HeadlessChromium.ensure(browserDir);
    }

    @Test
    void aRequestsRunsReportShowsItsThroughput429sRetriesLatencyAndErrorsAsChromiumRendersThem() throws Exception {
        // 240 lines, 16 in flight at 300 ms each: a run of about 5 s, so that the counters, which a local cluster
        // reports once a second, give the charts several intervals on a quiet machine too.
        RequestMix mix = RequestMix.withBadLines(240);
        Path input = dir.resolve("requests.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("out");
        Run run = run("""
                input: {path: %s}
                endpoint: {type: emulator}
                emulator:
                  time-to-first-token: 300ms
                  time-per-output-token: 1ms
                  jitter: 0.5
                  faults: {"429": 0.15, "500": 0.05}
                calls: {capacity: 8, adaptive: false, max-attempts: 3, initial-backoff: 5ms, max-backoff: 20ms}
                output: {path: %s}
                run: {name: report-test, parallelism: 2, checkpoint-interval: 500ms, max-failed-share: 0.5}
                """.formatted(input, output));

        assertThat(run.exitCode).as(run.err).isEqualTo(3);
        Path report = output.resolve("_REPORT.html");
        assertThat(run.out).contains("  report:  " + report);
        JsonNode summary = JSON.readTree(output.resolve("_SUMMARY.json").toFile());
        long requests = summary.at("/lines/succeeded").asLong() + summary.at("/lines/failed").asLong();
        long rateLimited = summary.path("rate_limited_responses").asLong();
        long retries = summary.path("retries").asLong();
        assertThat(rateLimited).as("429s in the run").isPositive();

        Document dom = Jsoup.parse(chromium.dumpDom(report));

        assertThat(dom.title()).isEqualTo("Run report: report-test");
        assertThat(dom.getElementById("status").text()).startsWith("FINISHED_WITH_ERRORS (exit 3)");
        assertThat(total(dom, "succeeded")).isEqualTo(summary.at("/lines/succeeded").asText());
        assertThat(total(dom, "rate_limited_responses")).isEqualTo(Long.toString(rateLimited));
        assertThat(total(dom, "retries")).isEqualTo(Long.toString(retries));
        assertThat(total(dom, "tokens")).isEqualTo(summary.at("/tokens/total").asText());

        Elements throughput = points(dom, "chart-throughput", "requests/s");
        assertThat(throughput.size()).as("intervals drawn").isGreaterThanOrEqualTo(3);
        assertThat(sumOfCounts(throughput)).isEqualTo(requests);
        assertThat(sumOfCounts(points(dom, "chart-tokens", "tokens/s")))
                .isEqualTo(summary.at("/tokens/total").asLong());
        assertThat(sumOfCounts(points(dom, "chart-429", "429s/s"))).isEqualTo(rateLimited);
        assertThat(sumOfCounts(points(dom, "chart-429", "retries/s"))).isEqualTo(retries);
        double seconds = summary.path("duration_seconds").asDouble();
        assertThat(Double.parseDouble(throughput.last().attr("data-t"))).isCloseTo(seconds, within(0.05));
        for (Element dot : throughput) {
            double t = Double.parseDouble(dot.attr("data-t"));
            assertThat(t).isBetween(0.0, seconds + 0.05);
        }

        Elements p50 = points(dom, "chart-latency", "p50");
        Elements p90 = points(dom, "chart-latency", "p90");
        Elements p99 = points(dom, "chart-latency", "p99");
        assertThat(sumOfCounts(p50)).as("answers in the latency chart")
                .isEqualTo(summary.at("/lines/succeeded").asLong());
        assertThat(p90).hasSameSizeAs(p50);
        assertThat(p99).hasSameSizeAs(p50);
        for (int i = 0; i < p50.size(); i++) {
            double median = value(p50.get(i));
            // time to first token 40 ms +-50%, plus a few tokens: no answer is faster than 20 ms.
            assertThat(median).isBetween(20.0, 5_000.0);
            assertThat(value(p90.get(i))).isGreaterThanOrEqualTo(median);
            assertThat(value(p99.get(i))).isGreaterThanOrEqualTo(value(p90.get(i)));
        }
        assertThat(dom.select("#chart-latency path").eachAttr("d")).allSatisfy(d -> assertThat(d).startsWith("M"));

        Map<String, Long> errorBars = new TreeMap<>();
        for (Element bar : dom.select("#chart-errors g.bar")) {
            errorBars.put(bar.attr("data-label"), (long) value(bar));
        }
        Map<String, Long> errorsByType = new TreeMap<>();
        summary.path("errors_by_type").fields()
                .forEachRemaining(e -> errorsByType.put(e.getKey(), e.getValue().asLong()));
        assertThat(errorBars).isEqualTo(errorsByType).containsKeys("invalid_json", "duplicate_custom_id");

        Path png = SCREENSHOTS.resolve("requests-run.png");
        chromium.screenshot(report, png, 900, 2200);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(pixelsOf(image, RED)).as("red pixels: 429 line, p99 line, error bars").isGreaterThan(2_000);
        assertThat(pixelsOf(image, BLUE)).as("blue pixels: the throughput line").isGreaterThan(300);
    }

    private static String total(Document dom, String key) {
        return dom.select("#totals tr[data-key=" + key + "] td").text();
    }

    private static Elements points(Document dom, String chart, String series) {
        return dom.select("#" + chart + " g.series[data-series=" + series + "] circle.point");
    }

    private static long sumOfCounts(Elements points) {
        return points.stream().mapToLong(p -> Long.parseLong(p.attr("data-count"))).sum();
    }

    private static double value(Element e) {
        return Double.parseDouble(e.attr("data-value"));
    }

    /** Pixels of about {@code rgb}: the inside of a shape drawn in that colour (its edges are blended). */
    private static long pixelsOf(BufferedImage image, int rgb) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (near(p >> 16, rgb >> 16) && near(p >> 8, rgb >> 8) && near(p, rgb)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean near(int a, int b) {
        return Math.abs((a & 0xff) - (b & 0xff)) <= 6;
    }

    private record Run(int exitCode, String out, String err) {}

    private Run run(String yaml) throws Exception {
        Path config = Files.createTempFile(dir, "job", ".yaml");
        Files.writeString(config, yaml);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BulkInferenceJob.run(new String[] {"--config", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .code();
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
