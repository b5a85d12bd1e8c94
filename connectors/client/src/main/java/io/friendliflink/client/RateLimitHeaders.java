package io.friendliflink.client;

import java.time.Duration;

/**
 * The rate-limit facts an endpoint put in a response's headers; every field is {@code null} when absent.
 *
 * <p>Friendli documented {@code X-RateLimit-{Limit,Remaining,Reset}-{Requests,Tokens}} once; whether it
 * still sends them, or {@code Retry-After}, is unconfirmed, so callers use them when present and never
 * depend on them.
 *
 * @param retryAfter from {@code Retry-After} (seconds or an HTTP date) or {@code retry-after-ms}
 * @param resetRequests from {@code X-RateLimit-Reset-Requests} (seconds, or a duration such as
 *     {@code 1m30s} / {@code 250ms})
 */
public record RateLimitHeaders(
        Duration retryAfter,
        Long limitRequests,
        Long remainingRequests,
        Duration resetRequests,
        Long limitTokens,
        Long remainingTokens,
        Duration resetTokens) {

    public static final RateLimitHeaders NONE = new RateLimitHeaders(null, null, null, null, null, null, null);
}
