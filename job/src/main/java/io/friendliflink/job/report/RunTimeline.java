package io.friendliflink.job.report;

import io.friendliflink.job.RunSummary;
import io.friendliflink.job.pipeline.RunCounters;
import io.friendliflink.policy.Pricing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's counters over time: samples of the accumulators the progress line reads, taken by the client while
 * the job runs, and the intervals between them that the report draws.
 *
 * <p>A sample equal to the one before is not kept (the task managers report with their heartbeats, so most
 * reads between two heartbeats see nothing new); an idle stretch is then one longer interval. At most
 * {@link #MAX_SAMPLES} are kept: when full, every other one is dropped, so a long run keeps its whole time at a
 * coarser step. Thread-safe: the progress thread adds, the run's thread reads at the end.
 *
 * <p>{@code
 * RunTimeline timeline = new RunTimeline(startedAt);
 * timeline.add(Instant.now(), jobClient.getAccumulators().get());   // every second
 * List<RunTimeline.Interval> intervals = timeline.intervals(120);
 * }
 */
public final class RunTimeline {
    static final int MAX_SAMPLES = 2048;

    /** The counters as read at one moment. */
    public record Sample(Instant at, Map<String, Long> counters) {}

    /**
     * What happened between two samples.
     *
     * @param startSeconds seconds from the run's start to the interval's start
     * @param seconds the interval's length
     * @param requests requests that ended (a result or an error row after sending)
     * @param tokens total tokens of the results
     * @param rateLimited responses answered {@code 429}
     * @param retries attempts sent again
     * @param latency the answers' latencies
     */
    public record Interval(double startSeconds, double seconds, long requests, long tokens, long rateLimited,
            long retries, LatencyHistogram latency) {
        public double endSeconds() {
            return startSeconds + seconds;
        }
    }

    private final Instant startedAt;
    private final List<Sample> samples = new ArrayList<>();

    /** Starts with the counters at zero at {@code startedAt}. */
    public RunTimeline(Instant startedAt) {
        this.startedAt = startedAt;
        samples.add(new Sample(startedAt, Map.of()));
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Adds the numeric accumulators read at {@code at}; other values are ignored. */
    public synchronized void add(Instant at, Map<String, ?> accumulators) {
        Map<String, Long> counters = new TreeMap<>();
        accumulators.forEach((name, value) -> {
            if (value instanceof Number n) {
                counters.put(name, n.longValue());
            }
        });
        Sample last = samples.get(samples.size() - 1);
        if (counters.equals(last.counters()) || at.isBefore(last.at())) {
            return;
        }
        if (samples.size() >= MAX_SAMPLES) {
            List<Sample> kept = new ArrayList<>();
            for (int i = 0; i < samples.size(); i += 2) {
                kept.add(samples.get(i));
            }
            samples.clear();
            samples.addAll(kept);
        }
        samples.add(new Sample(at, counters));
    }

    /**
     * Adds the final counters at the run's end, also when nothing changed since the last reading, so that the
     * timeline spans the whole run.
     */
    public synchronized void end(Instant at, Map<String, ?> accumulators) {
        Sample last = samples.get(samples.size() - 1);
        add(at, accumulators);
        if (samples.get(samples.size() - 1) == last && at.isAfter(last.at())) {
            samples.add(new Sample(at, last.counters()));
        }
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The last counters read, zero when none was. */
    public synchronized Map<String, Long> lastCounters() {
        return samples.get(samples.size() - 1).counters();
    }

    /**
     * The intervals between samples, at most {@code max} of them: with more samples, evenly spaced ones are
     * taken (the first and the last always), so the intervals still add up to the whole run.
     */
    public List<Interval> intervals(int max) {
        List<Sample> all = samples();
        List<Sample> picked = new ArrayList<>();
        int steps = all.size() - 1;
        if (steps <= max) {
            picked.addAll(all);
        } else {
            for (int i = 0; i <= max; i++) {
                picked.add(all.get((int) Math.round((double) i * steps / max)));
            }
        }
        List<Interval> intervals = new ArrayList<>();
        for (int i = 1; i < picked.size(); i++) {
            intervals.add(between(picked.get(i - 1), picked.get(i)));
        }
        return intervals;
    }

    private Interval between(Sample from, Sample to) {
        RunSummary a = new RunSummary(from.counters(), null, startedAt, from.at(), Pricing.NONE);
        RunSummary b = new RunSummary(to.counters(), null, startedAt, to.at(), Pricing.NONE);
        return new Interval(
                seconds(Duration.between(startedAt, from.at())),
                seconds(Duration.between(from.at(), to.at())),
                Math.max(0, b.succeeded() + b.failed() - a.succeeded() - a.failed()),
                Math.max(0, b.get(RunCounters.TOTAL_TOKENS)
                        - a.get(RunCounters.TOTAL_TOKENS)),
                Math.max(0, b.rateLimited() - a.rateLimited()),
                Math.max(0, b.retries() - a.retries()),
                LatencyHistogram.of(to.counters()).minus(LatencyHistogram.of(from.counters())));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
