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
public final class RunCounters {
    public static final String LINES_REJECTED = "lines_rejected";
    public static final String DUPLICATES = "duplicates";
    /** Lines whose custom_id has a result from an earlier run (resume). */
    public static final String SKIPPED_DONE = "skipped_done";
    /** Lines with an error row from an earlier run that a rerun does not send again (resume.retry-errors). */
    public static final String SKIPPED_FAILED = "skipped_failed";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String ATTEMPTS = "attempts";
    public static final String PROMPT_TOKENS = "prompt_tokens";
    public static final String COMPLETION_TOKENS = "completion_tokens";
    public static final String TOTAL_TOKENS = "total_tokens";
    public static final String CACHED_TOKENS = "cached_tokens";
    /** Prefix of the per-cause counters: {@code retries.rate_limited}, {@code errors.invalid_json}, ... */
    public static final String RETRIES_PREFIX = "retries.";
    public static final String ERRORS_PREFIX = "errors.";
    /** Prefix of the usage counters by kind and model: {@code usage.prompt.chat_completions/my-model}. */
    public static final String USAGE_PREFIX = "usage.";

    /** The name of a usage counter: prompt or completion tokens of {@code kind} requests to {@code model}. */
    public static String usageCounter(boolean completion, String kind, String model) {
        return USAGE_PREFIX + (completion ? "completion." : "prompt.") + kind + "/" + model;
    }

    /** A usage counter's parts; {@link #parse} reads them back from its name. */
    public record UsageKey(boolean completion, String kind, String model) {
        /** The parts of a {@link #usageCounter} name, or {@code null} for any other counter. */
        public static UsageKey parse(String name) {
            if (!name.startsWith(USAGE_PREFIX)) {
                return null;
            }
            String rest = name.substring(USAGE_PREFIX.length());
            int dot = rest.indexOf('.');
            int slash = rest.indexOf('/');
            if (dot < 0 || slash < dot) {
                return null;
            }
            String field = rest.substring(0, dot);
            if (!field.equals("prompt") && !field.equals("completion")) {
                return null;
            }
            // A model's name may hold dots and slashes; a kind's holds neither.
            return new UsageKey(field.equals("completion"), rest.substring(dot + 1, slash), rest.substring(slash + 1));
        }
    }

    private final RuntimeContext context;
    private final Map<String, Pair> counters = new HashMap<>();
    /** What this instance counted, restored counts included: what {@link CheckpointedCounters} saves. */
    private final Map<String, Long> totals = new HashMap<>();

    RunCounters(RuntimeContext context) {
        this.context = context;
    }

    void add(String name, long amount) {
        counters.computeIfAbsent(name, this::register).add(amount);
        totals.merge(name, amount, Long::sum);
    }

    Map<String, Long> totals() {
        return new HashMap<>(totals);
    }

    private Pair register(String name) {
        // Accumulators are per task: the operators of one chain (the results' and the errors' rows) share them.
        LongCounter accumulator = (LongCounter) context.<Long, Long>getAccumulator(name);
        if (accumulator == null) {
            accumulator = new LongCounter();
            context.addAccumulator(name, accumulator);
        }
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
