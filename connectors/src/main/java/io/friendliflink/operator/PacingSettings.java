package io.friendliflink.operator;

import java.io.Serializable;

/**
 * How fast the whole job may call the endpoint.
 *
 * @param requestsPerMinute the job-wide request budget, or 0 for none
 * @param tokensPerMinute the job-wide token budget (prompt estimate plus {@code max_tokens}, corrected by
 *     the reported usage), or 0 for none
 * @param adaptive whether to slow down on {@code 429} and speed up again (AIMD); with a request budget the
 *     rate starts at, and never exceeds, the budget; without one it starts at {@code initialRequestsPerSecond}
 *     and probes upwards
 * @param initialRequestsPerSecond the job-wide starting rate of adaptive probing without a request budget
 * @param defaultMaxTokens the output estimate for a request without {@code max_tokens}
 */
public record PacingSettings(
        long requestsPerMinute,
        long tokensPerMinute,
        boolean adaptive,
        double initialRequestsPerSecond,
        int defaultMaxTokens)
        implements Serializable {

    public static final PacingSettings UNLIMITED = new PacingSettings(0, 0, false, 10, 256);

    public PacingSettings {
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("requestsPerMinute must be >= 0 (0 for no budget), was " + requestsPerMinute);
        }
        if (tokensPerMinute < 0) {
            throw new IllegalArgumentException("tokensPerMinute must be >= 0 (0 for no budget), was " + tokensPerMinute);
        }
        if (!(initialRequestsPerSecond > 0)) {
            throw new IllegalArgumentException("initialRequestsPerSecond must be > 0, was " + initialRequestsPerSecond);
        }
        if (defaultMaxTokens < 1) {
            throw new IllegalArgumentException("defaultMaxTokens must be >= 1, was " + defaultMaxTokens);
        }
    }
}
