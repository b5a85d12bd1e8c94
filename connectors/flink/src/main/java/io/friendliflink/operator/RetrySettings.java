package io.friendliflink.operator;

import io.friendliflink.policy.RetryPolicy;
import java.io.Serializable;
import java.time.Duration;

/**
 * The retry policy's configuration in a form that travels inside a Flink job graph.
 *
 * @param deadline from a request's first attempt; no retry is scheduled past it
 */
public record RetrySettings(
        int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff, Duration deadline)
        implements Serializable {

    public static final RetrySettings DEFAULTS = new RetrySettings(
            RetryPolicy.DEFAULT_MAX_ATTEMPTS,
            RetryPolicy.DEFAULT_INITIAL_BACKOFF,
            RetryPolicy.DEFAULT_MULTIPLIER,
            RetryPolicy.DEFAULT_MAX_BACKOFF,
            RetryPolicy.DEFAULT_DEADLINE);

    public RetrySettings {
        // Fail where the settings are made, with the policy's own messages.
        policy(maxAttempts, initialBackoff, multiplier, maxBackoff, deadline);
    }

    public RetryPolicy toPolicy() {
        return policy(maxAttempts, initialBackoff, multiplier, maxBackoff, deadline);
    }

    private static RetryPolicy policy(
            int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff, Duration deadline) {
        return RetryPolicy.custom()
                .maxAttempts(maxAttempts)
                .initialBackoff(initialBackoff)
                .multiplier(multiplier)
                .maxBackoff(maxBackoff)
                .deadline(deadline)
                .build();
    }
}
