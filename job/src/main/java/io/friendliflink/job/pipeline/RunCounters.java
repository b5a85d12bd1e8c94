package io.friendliflink.job.pipeline;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * The run's counters, kept twice: as Flink accumulators (the client reads them for the progress line and
 * {@code _SUMMARY.json}) and as Flink metrics (for dashboards). Names are stable: they are the summary's keys.
 */
final class RunCounters {
    static final String LINES_REJECTED = "lines_rejected";
    static final String DUPLICATES = "duplicates";
    /** Lines whose custom_id an earlier run already completed (resume). */
    static final String SKIPPED_DONE = "skipped_done";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    static final String ATTEMPTS = "attempts";
    static final String PROMPT_TOKENS = "prompt_tokens";
    static final String COMPLETION_TOKENS = "completion_tokens";
    static final String TOTAL_TOKENS = "total_tokens";
    static final String CACHED_TOKENS = "cached_tokens";
    /** Prefix of the per-cause counters: {@code retries.rate_limited}, {@code errors.invalid_json}, ... */
    static final String RETRIES_PREFIX = "retries.";
    static final String ERRORS_PREFIX = "errors.";

    private final RuntimeContext context;
    private final Map<String, Pair> counters = new HashMap<>();

    RunCounters(RuntimeContext context) {
        this.context = context;
    }

    void add(String name, long amount) {
        counters.computeIfAbsent(name, this::register).add(amount);
    }

    private Pair register(String name) {
        LongCounter accumulator = new LongCounter();
        context.addAccumulator(name, accumulator);
        Counter metric = context.getMetricGroup().counter(name.replace('.', '_'));
        return new Pair(accumulator, metric);
    }

    private record Pair(LongCounter accumulator, Counter metric) {
        void add(long amount) {
            accumulator.add(amount);
            metric.inc(amount);
        }
    }
}
