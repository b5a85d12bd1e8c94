package io.friendliflink.policy;

import io.friendliflink.client.RateLimitHeaders;

/**
 * An algorithm that computes the rate an endpoint currently allows from what its responses say; the
 * {@link AdaptiveRateLimiter} enforces it.
 *
 * <p>Implementations never read a clock: every sample carries its times. They need not be thread-safe; the
 * limiter serializes calls.
 */
public interface RateLimit {

    /** The rate to send at now, in permits per second; always positive and finite. */
    double permitsPerSecond();

    /** No permit may be granted before this instant (the endpoint said to pause); {@link Long#MIN_VALUE} if none. */
    long resumeAtNanos();

    /**
     * A request sent at {@code sentAtNanos} succeeded.
     *
     * @param utilized whether the caller was using the rate when the sample arrived (sending at least about
     *     half of it); an algorithm must not raise a rate the caller is not using
     */
    void onSuccess(long sentAtNanos, boolean utilized, RateLimitHeaders headers, long nowNanos);

    /** A request sent at {@code sentAtNanos} was answered {@code 429}. */
    void onRateLimited(long sentAtNanos, RateLimitHeaders headers, long nowNanos);

    /** Any other response: only its rate-limit headers are news. */
    void onHeaders(RateLimitHeaders headers, long nowNanos);
}
