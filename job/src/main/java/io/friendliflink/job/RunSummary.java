package io.friendliflink.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.pipeline.RunCounters;
import io.friendliflink.policy.FailureCategory;
import io.friendliflink.policy.Pricing;
import io.friendliflink.policy.SpendCap;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.fs.Path;

/**
 * What a run did, from its counters: the progress line while it works and {@code _SUMMARY.json} at the end.
 *
 * @param counters the run's accumulators by name (see {@link RunCounters})
 * @param totalLines the number of input lines when known in advance (bounded file input), else {@code null}
 * @param pricing the prices the run's spending is counted at ({@link Pricing#NONE}: tokens only)
 */
public record RunSummary(Map<String, Long> counters, Long totalLines, Instant startedAt, Instant now,
        Pricing pricing) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String RATE_LIMITED = FailureCategory.RATE_LIMITED.counterName();

    /** Reads the numeric accumulators of a Flink job, ignoring any other kind. */
    public static RunSummary of(Map<String, Object> accumulators, Long totalLines, Instant startedAt, Instant now) {
        Map<String, Long> counters = new TreeMap<>();
        accumulators.forEach((name, value) -> {
            if (value instanceof Number n) {
                counters.put(name, n.longValue());
            }
        });
        return new RunSummary(counters, totalLines, startedAt, now, Pricing.NONE);
    }

    /** This summary with its spending counted at {@code prices}. */
    public RunSummary withPricing(Pricing prices) {
        return new RunSummary(counters, totalLines, startedAt, now, prices);
    }

    /** Tokens and cost by model and by kind of request. */
    Spending spending() {
        return Spending.of(counters, pricing);
    }

    public long get(String name) {
        return counters.getOrDefault(name, 0L);
    }

    public long succeeded() {
        return get(RunCounters.SUCCEEDED);
    }

    public long failed() {
        return get(RunCounters.FAILED);
    }

    public long rejected() {
        return get(RunCounters.LINES_REJECTED) + get(RunCounters.DUPLICATES);
    }

    /** Lines an earlier run on the same output already completed, skipped by resuming. */
    public long skippedDone() {
        return get(RunCounters.SKIPPED_DONE);
    }

    /** Lines with an error row from an earlier run that this run kept (resume.retry-errors), not sent again. */
    public long skippedFailed() {
        return get(RunCounters.SKIPPED_FAILED);
    }

    /** Lines that have ended: as a row (results, errors, lines never sent), or skipped as done by an earlier run. */
    public long done() {
        return succeeded() + failed() + rejected() + skippedDone() + skippedFailed();
    }

    /** Lines whose current row is an error: failed requests, bad lines and duplicates, of this run or kept. */
    public long failedLines() {
        return failed() + rejected() + skippedFailed();
    }

    /** {@link #failedLines()} of all lines ended. */
    public double failedShare() {
        long done = done();
        return done == 0 ? 0 : (double) failedLines() / done;
    }

    /** Lines not sent because the run's spending cap was reached ({@code budget_exhausted}). */
    public long budgetExhausted() {
        return get(RunCounters.ERRORS_PREFIX + SpendCap.ERROR_TYPE);
    }

    /**
     * {@link #failedShare()} leaving out the lines the spending cap kept from being sent: those say nothing about
     * the requests or the endpoint.
     */
    public double failedShareOfSent() {
        long done = done() - budgetExhausted();
        return done == 0 ? 0 : (double) (failedLines() - budgetExhausted()) / done;
    }

    /** This run's error rows by {@code error_type}. */
    public Map<String, Long> errorsByType() {
        Map<String, Long> byType = new TreeMap<>();
        counters.forEach((name, value) -> {
            if (name.startsWith(RunCounters.ERRORS_PREFIX) && value > 0) {
                byType.put(name.substring(RunCounters.ERRORS_PREFIX.length()), value);
            }
        });
        return byType;
    }

    /** Responses answered {@code 429}: those retried, and those that ended the request. */
    public long rateLimited() {
        return get(RunCounters.RETRIES_PREFIX + RATE_LIMITED) + get(RunCounters.ERRORS_PREFIX + RATE_LIMITED);
    }

    public long retries() {
        long total = 0;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            if (e.getKey().startsWith(RunCounters.RETRIES_PREFIX)) {
                total += e.getValue();
            }
        }
        return total;
    }

    public Duration elapsed() {
        return Duration.between(startedAt, now);
    }

    private double perSecond(long amount) {
        double seconds = Math.max(elapsed().toMillis(), 1) / 1000.0;
        return amount / seconds;
    }

    /** One line for a terminal: done/total, rates, 429s, retries, and the time left. */
    public String progressLine() {
        StringBuilder line = new StringBuilder("[progress] ");
        long done = done();
        line.append(done);
        if (totalLines != null && totalLines > 0) {
            line.append('/').append(totalLines)
                    .append(String.format(" (%.1f%%)", 100.0 * done / totalLines));
        }
        double rate = perSecond(done);
        line.append(String.format(" | %.1f req/s | %.0f tok/s | 429s %d | retries %d | errors %d",
                rate, perSecond(get(RunCounters.TOTAL_TOKENS)), rateLimited(), retries(), failed() + rejected()));
        line.append(" | tokens ").append(get(RunCounters.TOTAL_TOKENS));
        if (pricing.isSet()) {
            line.append(String.format(" | cost %.4f", spending().cost()));
        }
        if (totalLines != null && rate > 0 && done < totalLines) {
            long seconds = (long) Math.ceil((totalLines - done) / rate);
            line.append(String.format(" | ETA %d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60));
        }
        return line.toString();
    }

    /**
     * The {@code _SUMMARY.json} document.
     *
     * @param reason why the run failed or stopped, or {@code null}
     */
    public ObjectNode toJson(ExitStatus status, String reason, Path output) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", status.name());
        root.put("exit_code", status.code());
        if (reason != null) {
            root.put("reason", reason);
        }
        root.put("output", FlinkFiles.show(output));
        root.put("results", FlinkFiles.show(FlinkFiles.child(output, "results")));
        root.put("errors", FlinkFiles.show(FlinkFiles.child(output, "errors")));
        ObjectNode lines = root.putObject("lines");
        if (totalLines != null) {
            lines.put("total", totalLines);
        }
        lines.put("done", done());
        lines.put("succeeded", succeeded());
        lines.put("failed", failed());
        lines.put("rejected", get(RunCounters.LINES_REJECTED));
        lines.put("duplicates", get(RunCounters.DUPLICATES));
        lines.put("skipped_done", skippedDone());
        lines.put("skipped_failed", skippedFailed());
        lines.put("without_result", failedLines());
        root.put("attempts", get(RunCounters.ATTEMPTS));
        root.put("retries", retries());
        root.put("rate_limited_responses", rateLimited());
        root.set("retries_by_cause", prefixed(RunCounters.RETRIES_PREFIX));
        root.set("errors_by_type", prefixed(RunCounters.ERRORS_PREFIX));
        ObjectNode tokens = root.putObject("tokens");
        tokens.put("prompt", get(RunCounters.PROMPT_TOKENS));
        tokens.put("completion", get(RunCounters.COMPLETION_TOKENS));
        tokens.put("total", get(RunCounters.TOTAL_TOKENS));
        tokens.put("cached", get(RunCounters.CACHED_TOKENS));
        root.set("spending", spending().toJson());
        root.put("started_at", startedAt.toString());
        root.put("finished_at", now.toString());
        root.put("duration_seconds", elapsed().toMillis() / 1000.0);
        ObjectNode throughput = root.putObject("throughput");
        throughput.put("requests_per_second", round(perSecond(succeeded() + failed())));
        throughput.put("tokens_per_second", round(perSecond(get(RunCounters.TOTAL_TOKENS))));
        return root;
    }

    public void write(ExitStatus status, String reason, Path output) throws IOException {
        // A scheduler polling for the file never sees half of it.
        FlinkFiles.write(FlinkFiles.child(output, "_SUMMARY.json"),
                out -> JSON.writeValue(out, toJson(status, reason, output)));
    }

    private ObjectNode prefixed(String prefix) {
        ObjectNode node = JSON.createObjectNode();
        counters.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                node.put(name.substring(prefix.length()), value);
            }
        });
        return node;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
