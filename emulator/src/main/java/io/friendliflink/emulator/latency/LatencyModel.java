package io.friendliflink.emulator.latency;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * When each output token of an answer is ready: time to first token, then time per output token.
 *
 * <p>Each delay is scaled by its own factor drawn uniformly from {@code [1 - jitter, 1 + jitter]} from the
 * request's random source, so a seeded run repeats its timings. A model with both delays zero is
 * {@linkplain #isZero() zero} and the server answers without scheduling anything.
 */
public final class LatencyModel {
    private final long ttftNanos;
    private final long tpotNanos;
    private final double jitter;

    public LatencyModel(Duration timeToFirstToken, Duration timePerOutputToken, double jitter) {
        if (timeToFirstToken.isNegative() || timePerOutputToken.isNegative()) {
            throw new IllegalArgumentException("latencies must not be negative: timeToFirstToken="
                    + timeToFirstToken + ", timePerOutputToken=" + timePerOutputToken);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1], was " + jitter);
        }
        this.ttftNanos = timeToFirstToken.toNanos();
        this.tpotNanos = timePerOutputToken.toNanos();
        this.jitter = jitter;
    }

    public boolean isZero() {
        return ttftNanos == 0 && tpotNanos == 0;
    }

    /**
     * The offsets from the start of generation at which steps {@code 0 .. steps-1} are ready: step 0 after
     * the time to first token, each further step one time-per-token later. Non-decreasing.
     */
    public long[] stepOffsetsNanos(int steps, SplittableRandom random) {
        long[] offsets = new long[steps];
        if (isZero()) {
            return offsets;
        }
        long at = 0;
        for (int i = 0; i < steps; i++) {
            at += jittered(i == 0 ? ttftNanos : tpotNanos, random);
            offsets[i] = at;
        }
        return offsets;
    }

    /** When a whole answer of {@code steps} tokens is ready: the last step's offset (the TTFT when none). */
    public long totalNanos(int steps, SplittableRandom random) {
        if (isZero()) {
            return 0;
        }
        long[] offsets = stepOffsetsNanos(Math.max(1, steps), random);
        return offsets[offsets.length - 1];
    }

    private long jittered(long nanos, SplittableRandom random) {
        if (jitter == 0 || nanos == 0) {
            return nanos;
        }
        double factor = 1 - jitter + 2 * jitter * random.nextDouble();
        return (long) (nanos * factor);
    }
}
