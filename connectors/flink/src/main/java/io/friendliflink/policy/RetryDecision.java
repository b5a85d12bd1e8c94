package io.friendliflink.policy;

import java.util.Objects;

/**
 * What to do after a failed attempt: retry after {@code delayNanos}, or give up.
 *
 * @param reason one line for logs, e.g. {@code "status 503: backoff 734 ms before attempt 3 of 8"}
 * @param category the failure's category, for counters
 */
public record RetryDecision(boolean retry, long delayNanos, String reason, FailureCategory category) {

    public RetryDecision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(category, "category");
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delayNanos must be >= 0 but was " + delayNanos);
        }
        if (!retry && delayNanos != 0) {
            throw new IllegalArgumentException("a decision to give up has no delay but had " + delayNanos);
        }
    }

    public static RetryDecision retryAfter(long delayNanos, FailureCategory category, String reason) {
        return new RetryDecision(true, delayNanos, reason, category);
    }

    public static RetryDecision giveUp(FailureCategory category, String reason) {
        return new RetryDecision(false, 0, reason, category);
    }
}
