package io.friendliflink.operator;

import io.friendliflink.api.response.Usage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The calling operator's metrics, in the group {@code friendli} of its operator, named as Flink names its own
 * ({@code numRecordsIn}: counters {@code num*}, camel case), so any user of the API sees them in the web UI and
 * every reporter. Failures and retries are also counted by cause, in a {@code cause} group whose value a reporter
 * turns into a label ({@code friendli.cause.rate_limited.numRetries}).
 */
final class CallMetrics {
    private static final int LATENCY_SAMPLES = 1024;

    private final MetricGroup group;
    private final Counter sent;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter retries;
    private final Counter rateLimited;
    private final Counter promptTokens;
    private final Counter completionTokens;
    private final Histogram latencyMs;
    private final Map<String, Counter> failedByCause = new ConcurrentHashMap<>();
    private final Map<String, Counter> retriesByCause = new ConcurrentHashMap<>();

    CallMetrics(MetricGroup operatorGroup, RequestPacer<?> pacer) {
        group = operatorGroup.addGroup("friendli");
        sent = group.counter("numRequestsSent");
        succeeded = group.counter("numSucceeded");
        failed = group.counter("numFailed");
        retries = group.counter("numRetries");
        rateLimited = group.counter("numRateLimited");
        promptTokens = group.counter("numPromptTokens");
        completionTokens = group.counter("numCompletionTokens");
        latencyMs = group.histogram("latencyMs", new DescriptiveStatisticsHistogram(LATENCY_SAMPLES));
        group.gauge("inFlight", (Gauge<Integer>) pacer::inFlight);
        group.gauge("waiting", (Gauge<Integer>) pacer::waiting);
        group.gauge("concurrencyLimit", (Gauge<Integer>) pacer::concurrencyLimit);
        group.gauge("requestsPerMinuteLimit", (Gauge<Long>) pacer::requestsPerMinute);
    }

    /** An attempt was written to the endpoint. */
    void onSent() {
        sent.inc();
    }

    /** An attempt was answered (any status), {@code latencyNanos} after it was sent. */
    void onAnswer(int status, long latencyNanos) {
        latencyMs.update(latencyNanos / 1_000_000);
        if (status == 429) {
            rateLimited.inc();
        }
    }

    void onRetry(String cause) {
        retries.inc();
        retriesByCause.computeIfAbsent(cause, c -> group.addGroup("cause", c).counter("numRetries")).inc();
    }

    void onSuccess(Usage usage) {
        succeeded.inc();
        if (usage != null) {
            promptTokens.inc(usage.promptTokens());
            completionTokens.inc(usage.completionTokens());
        }
    }

    void onFailure(String cause) {
        failed.inc();
        failedByCause.computeIfAbsent(cause, c -> group.addGroup("cause", c).counter("numFailed")).inc();
    }
}
