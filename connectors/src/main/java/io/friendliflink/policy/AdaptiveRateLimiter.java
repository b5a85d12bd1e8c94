package io.friendliflink.policy;

import io.friendliflink.client.RateLimitHeaders;
import java.util.Objects;

/**
 * Enforces the rate a {@link RateLimit} computes: spaces permits evenly (GCRA), serves callers in the order
 * they reserved, and tells each how long to wait instead of blocking.
 *
 * <p>Contract: permits are granted at most {@code burst} at once and otherwise one per
 * {@code 1 / permitsPerSecond()}, never before the limit's {@link RateLimit#resumeAtNanos()}. A rate change
 * applies to reservations made after it. The limiter feeds outcomes back to the limit and tells it whether
 * the caller is using the rate (its latest reservation came at most one interval after the previous one was
 * due, so it sends at about half the rate or more), so an idle caller never makes the rate grow.
 *
 * <p>Thread-safe (synchronized; reservations and samples are short).
 *
 * <pre>{@code
 * AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(new AimdRateLimit(AimdRateLimitConfig.probing(1)), 1);
 * long sendAt = now + limiter.reserve(now);          // schedule a timer, do not sleep
 * ... on the response:
 * limiter.onResponse(result.status(), sendAt, result.rateLimit(), System.nanoTime());
 * }</pre>
 */
public final class AdaptiveRateLimiter {

    private final RateLimit limit;
    private final int burst;

    private boolean started;
    /** Whether the latest reservation came within one interval of the schedule's end (caller keeps up). */
    private boolean busy;
    /** GCRA theoretical arrival time: when the schedule of granted permits is paid off. */
    private long tat;

    public AdaptiveRateLimiter(RateLimit limit, int burst) {
        this.limit = Objects.requireNonNull(limit, "limit");
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1 but was " + burst);
        }
        this.burst = burst;
    }

    /**
     * Reserves one permit at the earliest time allowed, after every earlier reservation.
     *
     * @return nanoseconds from {@code nowNanos} to the grant: 0 means send now
     */
    public synchronized long reserve(long nowNanos) {
        long interval = intervalNanos();
        if (started) {
            busy = tat + interval - nowNanos >= 0;
        } else {
            tat = nowNanos;
            started = true;
        }
        long grant = grantAt(nowNanos, interval);
        tat = Math.max(tat, grant) + interval;
        return grant - nowNanos;
    }

    /** What {@link #reserve} would return, without reserving. */
    public synchronized long nanosUntilAvailable(long nowNanos) {
        return grantAt(nowNanos, intervalNanos()) - nowNanos;
    }

    /** The earliest a permit reserved now could go: within the burst of the schedule, and not before a pause ends. */
    private long grantAt(long nowNanos, long interval) {
        // Before the first reservation the schedule is empty (reserve starts it at nowNanos): nothing to wait for.
        long grant = started ? Math.max(nowNanos, tat - (burst - 1) * interval) : nowNanos;
        long resumeAt = limit.resumeAtNanos();
        if (resumeAt != Long.MIN_VALUE && resumeAt - grant > 0) {
            grant = resumeAt;
        }
        return grant;
    }

    /** Feeds one response back: {@code 429} backs off, 2xx may grow the rate, any status may carry headers. */
    public synchronized void onResponse(int status, long sentAtNanos, RateLimitHeaders headers, long nowNanos) {
        if (status == 429) {
            limit.onRateLimited(sentAtNanos, headers, nowNanos);
        } else if (status >= 200 && status < 300) {
            limit.onSuccess(sentAtNanos, busy, headers, nowNanos);
        } else {
            limit.onHeaders(headers, nowNanos);
        }
    }

    public synchronized double permitsPerSecond() {
        return limit.permitsPerSecond();
    }

    private long intervalNanos() {
        return Math.max(1, (long) Math.ceil(1e9 / limit.permitsPerSecond()));
    }

    @Override
    public synchronized String toString() {
        return "AdaptiveRateLimiter{burst=" + burst + ", " + limit + '}';
    }
}
