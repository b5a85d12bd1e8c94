package io.friendliflink.operator;

import io.friendliflink.client.RateLimitHeaders;
import io.friendliflink.policy.AdaptiveRateLimiter;
import io.friendliflink.policy.AimdRateLimit;
import io.friendliflink.policy.AimdRateLimitConfig;
import io.friendliflink.policy.BudgetConfig;
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
    private final SlidingWindowBudget requests;
    private final SlidingWindowBudget tokens;
    private final AdaptiveRateLimiter adaptive;
    private final long tokenLimit;

    RequestPacer(SlidingWindowBudget requests, SlidingWindowBudget tokens, AdaptiveRateLimiter adaptive) {
        this.requests = requests;
        this.tokens = tokens;
        this.adaptive = adaptive;
        this.tokenLimit = tokens == null ? 0 : tokens.config().permitsPerWindow();
    }

    /** The pacer of subtask {@code subtask} of {@code parallelism}: its share of each job-wide budget. */
    public static RequestPacer forSubtask(PacingSettings settings, int parallelism, int subtask) {
        long rpm = share(settings.requestsPerMinute(), parallelism, subtask);
        long tpm = share(settings.tokensPerMinute(), parallelism, subtask);
        SlidingWindowBudget requests = rpm > 0 ? new SlidingWindowBudget(BudgetConfig.perMinute(rpm)) : null;
        SlidingWindowBudget tokens = tpm > 0 ? new SlidingWindowBudget(BudgetConfig.perMinute(tpm)) : null;
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
            // A single request larger than the whole budget could never be granted; let it take the window.
            reservedTokens = Math.max(1, Math.min(tokenEstimate, tokenLimit));
            at += tokens.reserve(reservedTokens, at);
        }
        return new Grant(at, reservedTokens);
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
     */
    public record Grant(long sendAtNanos, long reservedTokens) {}
}
