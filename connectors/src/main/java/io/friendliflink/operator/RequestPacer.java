package io.friendliflink.operator;

import io.friendliflink.client.RateLimitHeaders;
import io.friendliflink.policy.AdaptiveRateLimiter;
import io.friendliflink.policy.AimdRateLimit;
import io.friendliflink.policy.AimdRateLimitConfig;
import io.friendliflink.policy.BudgetShare;
import io.friendliflink.policy.SlidingWindowBudget;

/**
 * Decides when each request of one subtask may be sent: its share of the job's request and token budgets,
 * and the adaptive rate that reacts to {@code 429}s.
 *
 * <p>Every policy is asked in turn for the earliest time it allows, starting from the time the previous one
 * allowed, so the send time satisfies all of them. Nothing here reads a clock or sleeps: the caller passes
 * the time and schedules a timer for the answer.
 *
 * <p>{@code
 * RequestPacer pacer = RequestPacer.forSubtask(settings, parallelism, subtask);
 * Grant g = pacer.reserve(tokenEstimate, now);        // send at g.sendAtNanos()
 * pacer.onResponse(status, g, headers, usageTokens, later);
 * }
 */
public final class RequestPacer {
    private final ToldBudget requests;
    private final ToldBudget tokens;
    private final AdaptiveRateLimiter adaptive;
    private final long tokenLimit;
    private final TokenEstimateScale tokenScale = new TokenEstimateScale();

    /** With sliding-minute budgets that are not spread over their minute. */
    RequestPacer(SlidingWindowBudget requests, SlidingWindowBudget tokens, AdaptiveRateLimiter adaptive) {
        this(requests == null ? null : ToldBudget.unspread(requests), tokens == null ? null : ToldBudget.unspread(tokens),
                adaptive);
    }

    private RequestPacer(ToldBudget requests, ToldBudget tokens, AdaptiveRateLimiter adaptive) {
        this.requests = requests;
        this.tokens = tokens;
        this.adaptive = adaptive;
        this.tokenLimit = tokens == null ? 0 : tokens.maxPermits();
    }

    /**
     * The pacer of subtask {@code subtask} of {@code parallelism}: its share of each job-wide budget, each
     * spread over its minute (see {@link ToldBudget}).
     */
    public static RequestPacer forSubtask(PacingSettings settings, int parallelism, int subtask) {
        long rpm = share(settings.requestsPerMinute(), parallelism, subtask);
        long tpm = share(settings.tokensPerMinute(), parallelism, subtask);
        ToldBudget requests = rpm > 0 ? ToldBudget.perMinute(rpm) : null;
        ToldBudget tokens = tpm > 0 ? ToldBudget.perMinute(tpm) : null;
        AdaptiveRateLimiter adaptive = null;
        if (settings.adaptive()) {
            AimdRateLimitConfig config = rpm > 0
                    ? AimdRateLimitConfig.toldLimit(rpm / 60.0)
                    : AimdRateLimitConfig.probing(settings.initialRequestsPerSecond() / parallelism);
            adaptive = new AdaptiveRateLimiter(new AimdRateLimit(config), 1);
        }
        return new RequestPacer(requests, tokens, adaptive);
    }

    /** A budget smaller than the parallelism still gives every subtask at least one permit per window. */
    private static long share(long total, int parallelism, int subtask) {
        if (total == 0) {
            return 0;
        }
        return Math.max(1, BudgetShare.of(total, parallelism, subtask));
    }

    /**
     * Reserves the right to send one request whose tokens are estimated at {@code tokenEstimate}.
     *
     * @return when to send, and what was reserved (to correct or return later)
     */
    public Grant reserve(long tokenEstimate, long nowNanos) {
        long at = nowNanos;
        if (adaptive != null) {
            at += adaptive.reserve(at);
        }
        if (requests != null) {
            at += requests.reserve(1, at);
        }
        long reservedTokens = 0;
        if (tokens != null) {
            // A single request larger than the budget (or its second's share) could never be granted; let it
            // take the window.
            reservedTokens = Math.min(tokenScale.apply(tokenEstimate), tokenLimit);
            at += tokens.reserve(reservedTokens, at);
        }
        return new Grant(at, reservedTokens, tokenEstimate);
    }

    /**
     * Feeds an answer back: the adaptive rate learns from its status and headers, and the token budget is
     * corrected to the tokens the endpoint reported ({@code usedTokens}, or 0 when the request was refused
     * and nothing was generated; negative when the usage is unknown and the estimate stands).
     */
    public void onResponse(int status, Grant grant, RateLimitHeaders headers, long usedTokens, long nowNanos) {
        if (adaptive != null) {
            adaptive.onResponse(status, grant.sendAtNanos(), headers == null ? RateLimitHeaders.NONE : headers,
                    nowNanos);
        }
        if (tokens != null && usedTokens >= 0) {
            tokens.reconcile(grant.reservedTokens(), usedTokens, grant.sendAtNanos(), nowNanos);
            tokenScale.learn(grant.estimatedTokens(), usedTokens);
        }
    }

    /** The current adaptive rate of this subtask in requests per second, or {@code NaN} when not adaptive. */
    public double currentRate() {
        return adaptive == null ? Double.NaN : adaptive.permitsPerSecond();
    }

    /**
     * A reservation: the time to send and the tokens it holds.
     *
     * @param sendAtNanos the time, on the caller's clock, at which every policy allows sending
     * @param estimatedTokens the caller's estimate, before it was scaled to what the endpoint reports
     */
    public record Grant(long sendAtNanos, long reservedTokens, long estimatedTokens) {
        public Grant(long sendAtNanos, long reservedTokens) {
            this(sendAtNanos, reservedTokens, reservedTokens);
        }
    }
}
