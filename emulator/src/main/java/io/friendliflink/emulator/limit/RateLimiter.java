package io.friendliflink.emulator.limit;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Enforces requests per minute and tokens per minute over a sliding 60 s window.
 *
 * <p>A request is admitted while fewer than {@code requestsPerMinute} requests were admitted in the last
 * minute and fewer than {@code tokensPerMinute} tokens were used. The tokens of a request are its prompt
 * plus the tokens actually generated, recorded by {@link #recordTokens} once it is generated; nothing is
 * reserved up front (so one admitted request may overshoot the token budget, and the next one waits).
 * A rejected request counts for nothing. Time comes from the injected clock only.
 */
public final class RateLimiter {
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int BUCKETS = 600;

    private final long requestsPerMinute;
    private final long tokensPerMinute;
    private final LongSupplier nanoClock;
    private final SlidingWindow requests;
    private final SlidingWindow tokens;

    /**
     * @param requestsPerMinute {@code 0} for no request limit
     * @param tokensPerMinute {@code 0} for no token limit
     * @param nanoClock monotonic nanoseconds, {@code System::nanoTime} in production
     */
    public RateLimiter(long requestsPerMinute, long tokensPerMinute, LongSupplier nanoClock) {
        this(requestsPerMinute, tokensPerMinute, WINDOW_NANOS, nanoClock);
    }

    /**
     * Limits that count over a window other than a minute (tests that watch a limit refill in seconds);
     * the two limits are then per {@code windowNanos}.
     */
    public RateLimiter(long requestsPerMinute, long tokensPerMinute, long windowNanos, LongSupplier nanoClock) {
        if (windowNanos < BUCKETS) {
            throw new IllegalArgumentException("windowNanos must be at least " + BUCKETS + ", was " + windowNanos);
        }
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("requestsPerMinute must be >= 0, was " + requestsPerMinute);
        }
        if (tokensPerMinute < 0) {
            throw new IllegalArgumentException("tokensPerMinute must be >= 0, was " + tokensPerMinute);
        }
        this.requestsPerMinute = requestsPerMinute;
        this.tokensPerMinute = tokensPerMinute;
        this.nanoClock = nanoClock;
        this.requests = new SlidingWindow(windowNanos, BUCKETS);
        this.tokens = new SlidingWindow(windowNanos, BUCKETS);
    }

    /** Whether any limit is configured; without one the server skips the limiter and its headers. */
    public boolean isActive() {
        return requestsPerMinute > 0 || tokensPerMinute > 0;
    }

    /** Admits and counts one request, or says which budget is spent. */
    public synchronized Admission tryAdmit() {
        long now = nanoClock.getAsLong();
        if (requestsPerMinute > 0 && requests.sum(now) >= requestsPerMinute) {
            return new Admission(Admission.Outcome.REQUESTS_EXHAUSTED, snapshot(now),
                    requests.nanosUntilOldestExpires(now));
        }
        if (tokensPerMinute > 0 && tokens.sum(now) >= tokensPerMinute) {
            return new Admission(Admission.Outcome.TOKENS_EXHAUSTED, snapshot(now),
                    tokens.nanosUntilOldestExpires(now));
        }
        requests.add(now, 1);
        return new Admission(Admission.Outcome.ADMITTED, snapshot(now), 0);
    }

    /** Counts the prompt and generated tokens of an admitted request. */
    public synchronized void recordTokens(long count) {
        if (count > 0) {
            tokens.add(nanoClock.getAsLong(), count);
        }
    }

    public synchronized RateLimitSnapshot snapshot() {
        return snapshot(nanoClock.getAsLong());
    }

    private RateLimitSnapshot snapshot(long now) {
        long usedRequests = requests.sum(now);
        long usedTokens = tokens.sum(now);
        return new RateLimitSnapshot(
                requestsPerMinute,
                Math.max(0, requestsPerMinute - usedRequests),
                requests.nanosUntilOldestExpires(now),
                tokensPerMinute,
                Math.max(0, tokensPerMinute - usedTokens),
                tokens.nanosUntilOldestExpires(now));
    }

    /**
     * The limiter's answer to one request.
     *
     * @param retryAfterNanos for a rejection, how long until the spent budget frees up
     */
    public record Admission(Outcome outcome, RateLimitSnapshot snapshot, long retryAfterNanos) {
        public enum Outcome {
            ADMITTED,
            REQUESTS_EXHAUSTED,
            TOKENS_EXHAUSTED
        }

        public boolean admitted() {
            return outcome == Outcome.ADMITTED;
        }
    }
}
