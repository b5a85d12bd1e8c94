package io.friendliflink.operator;

import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * How fast the whole job may call the endpoint.
 *
 * @param requestsPerMinute the job-wide request budget, or 0 for none
 * @param tokensPerMinute the job-wide token budget (prompt estimate plus {@code max_tokens}, corrected by
 *     the reported usage), or 0 for none
 * @param adaptive whether to find what the endpoint can do: a limit on requests in flight that follows its
 *     latency (its capacity), the limits its {@code X-RateLimit-*} headers name, and a request budget measured
 *     when its {@code 429}s show a limit (isolated {@code 429}s are only retried); a told budget is never exceeded
 * @param initialRequestsPerSecond when adaptive without a request budget: the job-wide rate a quota not known yet
 *     is approached from, doubling every 30 s of use until the endpoint shows its limit; 0 for none (an endpoint
 *     whose limit is capacity only, such as a dedicated one)
 * @param defaultMaxTokens the output estimate for a request without {@code max_tokens}
 */
@PublicEvolving
public record PacingSettings(
        long requestsPerMinute,
        long tokensPerMinute,
        boolean adaptive,
        double initialRequestsPerSecond,
        int defaultMaxTokens)
        implements Serializable {

    /** The first job-wide rate an adaptive run tries against a quota it does not know yet. */
    public static final double DEFAULT_INITIAL_REQUESTS_PER_SECOND = 50;
    /** The output estimate of a request without {@code max_tokens}. */
    public static final int DEFAULT_MAX_TOKENS = 256;

    public static final PacingSettings UNLIMITED =
            new PacingSettings(0, 0, false, DEFAULT_INITIAL_REQUESTS_PER_SECOND, DEFAULT_MAX_TOKENS);

    public PacingSettings {
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("requestsPerMinute must be >= 0 (0 for no budget), was " + requestsPerMinute);
        }
        if (tokensPerMinute < 0) {
            throw new IllegalArgumentException("tokensPerMinute must be >= 0 (0 for no budget), was " + tokensPerMinute);
        }
        if (!(initialRequestsPerSecond >= 0) || Double.isInfinite(initialRequestsPerSecond)) {
            throw new IllegalArgumentException("initialRequestsPerSecond must be >= 0 (0 for none) and finite, was "
                    + initialRequestsPerSecond);
        }
        if (defaultMaxTokens < 1) {
            throw new IllegalArgumentException("defaultMaxTokens must be >= 1, was " + defaultMaxTokens);
        }
    }
}
