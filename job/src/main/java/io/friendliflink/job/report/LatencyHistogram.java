package io.friendliflink.job.report;

import java.util.Arrays;
import java.util.Map;

/**
 * Latencies counted in fixed buckets, so that the counts of two moments subtract into the histogram of the time
 * between them and percentiles can be read per interval of a run.
 *
 * <p>The job counts each answered request in the run counter {@link #counterName(long)} of its bucket; the
 * report reads those counters from the samples of the run's timeline. Bucket bounds go 1, 1.5, 2, 3, 5, 7 per
 * decade from 10 ms to 700 s (1, 2, 3, 5, 7 below 10 ms), so that a percentile interpolated within its bucket
 * is never far off.
 *
 * <p>{@code
 * LatencyHistogram interval = LatencyHistogram.of(countersLater).minus(LatencyHistogram.of(countersEarlier));
 * double p99 = interval.percentile(0.99);
 * }
 */
public final class LatencyHistogram {
    /** Prefix of the bucket counters: {@code latency_ms.150} counts answers of 100 to 150 ms. */
    public static final String PREFIX = "latency_ms.";
    private static final String OVERFLOW = "inf";
    private static final long[] BOUNDS = bounds();

    private final long[] counts;

    private LatencyHistogram(long[] counts) {
        this.counts = counts;
    }

    private static long[] bounds() {
        long[] steps = {10, 15, 20, 30, 50, 70};
        long[] bounds = new long[5 + 5 * steps.length];
        System.arraycopy(new long[] {1, 2, 3, 5, 7}, 0, bounds, 0, 5);
        int i = 5;
        for (long decade = 1; decade <= 10_000; decade *= 10) {
            for (long step : steps) {
                bounds[i++] = step * decade;
            }
        }
        return bounds;
    }

    /** The name of the counter of the bucket {@code latencyMs} falls in (upper bounds are inclusive). */
    public static String counterName(long latencyMs) {
        int bucket = bucketOf(latencyMs);
        return PREFIX + (bucket < BOUNDS.length ? Long.toString(BOUNDS[bucket]) : OVERFLOW);
    }

    private static int bucketOf(long latencyMs) {
        int found = Arrays.binarySearch(BOUNDS, Math.max(0, latencyMs));
        return found >= 0 ? found : -found - 1;
    }

    /** The histogram the bucket counters among {@code counters} hold; other counters are ignored. */
    public static LatencyHistogram of(Map<String, Long> counters) {
        long[] counts = new long[BOUNDS.length + 1];
        for (int i = 0; i < BOUNDS.length; i++) {
            counts[i] = counters.getOrDefault(PREFIX + BOUNDS[i], 0L);
        }
        counts[BOUNDS.length] = counters.getOrDefault(PREFIX + OVERFLOW, 0L);
        return new LatencyHistogram(counts);
    }

    /** What was counted since {@code earlier}; a bucket that went down (a restore) counts nothing. */
    public LatencyHistogram minus(LatencyHistogram earlier) {
        long[] diff = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            diff[i] = Math.max(0, counts[i] - earlier.counts[i]);
        }
        return new LatencyHistogram(diff);
    }

    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /**
     * The latency under which {@code q} of the answers fall, interpolated linearly within its bucket (the last
     * bucket, above 700 s, reads as its lower bound); {@code NaN} when nothing was counted.
     */
    public double percentile(double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("q must be within [0, 1], was " + q);
        }
        long total = total();
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && below + counts[i] >= rank) {
                double lower = i == 0 ? 0 : BOUNDS[i - 1];
                if (i == BOUNDS.length) {
                    return lower;
                }
                return lower + (BOUNDS[i] - lower) * Math.max(0, rank - below) / counts[i];
            }
            below += counts[i];
        }
        return BOUNDS[BOUNDS.length - 1];
    }
}
