package io.friendliflink.operator;

import io.friendliflink.client.RateLimitHeaders;
import io.friendliflink.policy.AdaptiveRateLimiter;
import io.friendliflink.policy.AimdRateLimit;
import io.friendliflink.policy.AimdRateLimitConfig;
import io.friendliflink.policy.BudgetConfig;
import io.friendliflink.policy.BudgetShare;
import io.friendliflink.policy.SlidingWindowBudget;
import io.friendliflink.policy.SteadyPace;

/**
 * Decides when each request of one subtask may be sent: its share of the job's request and token budgets,
 * and the adaptive rate that reacts to {@code 429}s.
 *
 * <p>Each budget holds over every sliding minute and is also spread over its minute ({@link SteadyPace}): a
 * minute's tokens sent in its first second would reach an endpoint that counts tokens after generating them
 * before a single answer had corrected the estimates, and the overshoot would come back as {@code 429}s.
 *
 * <p>The send time is the earliest instant every policy allows at once (asked in turn until none moves it),
 * and all of them are charged at that same instant: a policy charged earlier than the real send would let
 * sends bunch up after a wait imposed by another. A reservation that would wait a second or more is not
 * made: the caller is told when to ask again. Holding token reservations far ahead would put them beyond the
 * reach of the corrections that reported usage makes, so a budget with generous estimates would never let
 * more through; and a {@code Retry-After} could not stop the sends booked behind it. Nothing here reads a
 * clock or sleeps: the caller passes the time and schedules a timer for the answer.
 *
 * <p>Thread-safe (synchronized; a reservation is short).
 *
 * <p>{@code
 * RequestPacer pacer = RequestPacer.forSubtask(settings, parallelism, subtask);
 * Grant g = pacer.reserve(tokenEstimate, now);  // reserved: send at g.atNanos(); else reserve again then
 * pacer.onResponse(status, g, headers, usageTokens, later);
 * }
 */
public final class RequestPacer {
    /**
     * How far ahead a send may be booked; a later one is asked for again then. Bookings far ahead would be
     * out of reach of what answers say meanwhile: token usage that frees budget, a {@code 429} or
     * {@code Retry-After} that should stop the sends booked behind it (at a probing rate of 76 a second and
     * 256 calls per subtask, 3.4 s of sends went out into an endpoint's spent minute).
     */
    private static final long HORIZON_NANOS = 1_000_000_000L;

    private final int parallelism;
    private final int subtask;
    private final boolean learnsLimits;
    private SlidingWindowBudget requests;
    private SteadyPace requestPace;
    private SlidingWindowBudget tokens;
    private SteadyPace tokenPace;
    private AdaptiveRateLimiter adaptive;
    private long tokenLimit;
    private final TokenEstimateScale tokenScale = new TokenEstimateScale();

    private RequestPacer(PacingSettings settings, int parallelism, int subtask) {
        this.parallelism = parallelism;
        this.subtask = subtask;
        this.learnsLimits = settings.adaptive();
        long rpm = share("requestsPerMinute", settings.requestsPerMinute(), parallelism, subtask);
        long tpm = share("tokensPerMinute", settings.tokensPerMinute(), parallelism, subtask);
        if (rpm > 0) {
            useRequestBudget(rpm);
        }
        if (tpm > 0) {
            useTokenBudget(tpm);
        }
        if (settings.adaptive()) {
            AimdRateLimitConfig config = rpm > 0
                    ? AimdRateLimitConfig.toldLimit(rpm / 60.0)
                    : AimdRateLimitConfig.probing(settings.initialRequestsPerSecond() / parallelism);
            adaptive = new AdaptiveRateLimiter(new AimdRateLimit(config), 1);
        }
    }

    /** The pacer of subtask {@code subtask} of {@code parallelism}: its share of each job-wide budget. */
    public static RequestPacer forSubtask(PacingSettings settings, int parallelism, int subtask) {
        return new RequestPacer(settings, parallelism, subtask);
    }

    /**
     * The shares sum to the job-wide budget. A budget smaller than the parallelism cannot be split so that
     * every subtask may send and the sum still holds, so it is refused instead of quietly exceeded.
     */
    private static long share(String name, long total, int parallelism, int subtask) {
        if (total > 0 && total < parallelism) {
            throw new IllegalArgumentException(name + " (" + total + ") is smaller than the parallelism ("
                    + parallelism + "): every subtask needs at least one per minute; lower the parallelism");
        }
        return BudgetShare.of(total, parallelism, subtask);
    }

    private void useRequestBudget(long perMinute) {
        requests = new SlidingWindowBudget(BudgetConfig.perMinute(perMinute));
        requestPace = new SteadyPace(perMinute);
    }

    private void useTokenBudget(long perMinute) {
        tokens = new SlidingWindowBudget(BudgetConfig.perMinute(perMinute));
        tokenPace = new SteadyPace(perMinute);
        tokenLimit = perMinute;
    }

    /**
     * Reserves the right to send one request whose tokens are estimated at {@code tokenEstimate}, or says
     * when to ask again.
     *
     * @return a reserved grant (send at {@link Grant#atNanos()}), or an unreserved one (call again at
     *     {@link Grant#atNanos()}; nothing was charged)
     */
    public synchronized Grant reserve(long tokenEstimate, long nowNanos) {
        // The estimate scaled to what the endpoint has been reporting (a chat template's tokens, a tokenizer's
        // own ratio); a single request larger than the whole budget could never be granted, so it takes the
        // window.
        long reservedTokens = tokens == null ? 0 : Math.max(1, Math.min(tokenScale.apply(tokenEstimate), tokenLimit));
        long at = nowNanos;
        while (true) { // ends: each policy allows any time far enough after its latest grant
            long next = at;
            if (adaptive != null) {
                next += adaptive.nanosUntilAvailable(next);
            }
            if (requests != null) {
                next += requests.nanosUntilAvailable(1, next);
                next += requestPace.nanosUntilAvailable(1, next);
            }
            if (tokens != null) {
                next += tokens.nanosUntilAvailable(reservedTokens, next);
                next += tokenPace.nanosUntilAvailable(reservedTokens, next);
            }
            if (next == at) {
                break;
            }
            at = next;
        }
        if (at - nowNanos >= HORIZON_NANOS) {
            // Ask again while half a horizon of sends is still booked ahead, so that timers firing late on a
            // busy machine do not let the schedule run dry; and after a second at the latest, since reported
            // usage may return tokens before then.
            return new Grant(false, Math.min(at - HORIZON_NANOS / 2, nowNanos + HORIZON_NANOS), false, 0,
                    tokenEstimate);
        }
        // Every policy allows `at`, so each of these grants exactly `at` (asserted by their contracts).
        if (adaptive != null) {
            adaptive.reserve(at);
        }
        if (requests != null) {
            requests.reserve(1, at);
            requestPace.reserve(1, at);
        }
        if (tokens != null) {
            tokens.reserve(reservedTokens, at);
            tokenPace.reserve(reservedTokens, at);
        }
        return new Grant(true, at, requests != null, reservedTokens, tokenEstimate);
    }

    /**
     * Feeds an answer back: the adaptive rate learns from its status and headers, and the token budget is
     * corrected to the tokens the endpoint reported ({@code usedTokens}, or 0 when the request was refused
     * and nothing was generated; negative when the usage is unknown and the estimate stands).
     *
     * <p>When adaptive, a limit the endpoint names in {@code X-RateLimit-Limit-Requests} or
     * {@code -Tokens} and the job was not told becomes this subtask's budget from then on, as if told: the
     * first limit named is kept, and read as per minute (the headers do not say; Friendli's limits are).
     */
    public synchronized void onResponse(int status, Grant grant, RateLimitHeaders headers, long usedTokens,
            long nowNanos) {
        if (!grant.reserved()) {
            throw new IllegalArgumentException("grant was not reserved: nothing was sent for it");
        }
        RateLimitHeaders named = headers == null ? RateLimitHeaders.NONE : headers;
        if (learnsLimits) {
            learnLimits(named, nowNanos);
        }
        if (adaptive != null) {
            adaptive.onResponse(status, grant.atNanos(), named, nowNanos);
        }
        if (requests != null && !grant.chargedRequest()) {
            // Sent before the budget was learned (the old rate had booked it ahead): the endpoint counted it.
            requests.reserve(1, nowNanos);
            requestPace.reserve(1, nowNanos);
        }
        if (usedTokens < 0) {
            return;
        }
        tokenScale.learn(grant.estimatedTokens(), usedTokens);
        if (tokens == null) {
            return;
        }
        if (grant.reservedTokens() > 0) {
            tokens.reconcile(grant.reservedTokens(), usedTokens, grant.atNanos(), nowNanos);
        } else if (usedTokens > 0) {
            // Sent before the budget was learned: the endpoint counts it now, so the budget does too.
            long charge = Math.min(usedTokens, tokenLimit);
            tokens.reserve(charge, nowNanos);
            tokenPace.reserve(charge, nowNanos);
        }
    }

    /**
     * Adopts the limits an endpoint names. The endpoint's window already holds what was sent before (this
     * job's requests in flight, other clients of the same key): the share of {@code limit - remaining} is
     * charged to the new budget now, so the first minute does not count it twice as free.
     */
    private void learnLimits(RateLimitHeaders headers, long nowNanos) {
        if (requests == null && isPositive(headers.limitRequests())) {
            long mine = BudgetShare.of(headers.limitRequests(), parallelism, subtask);
            if (mine > 0) {
                useRequestBudget(mine);
                chargeUsed(requests, requestPace, mine, headers.limitRequests(), headers.remainingRequests(), nowNanos);
                adaptive = new AdaptiveRateLimiter(new AimdRateLimit(AimdRateLimitConfig.toldLimit(mine / 60.0)), 1);
            }
        }
        if (tokens == null && isPositive(headers.limitTokens())) {
            long mine = BudgetShare.of(headers.limitTokens(), parallelism, subtask);
            if (mine > 0) {
                useTokenBudget(mine);
                chargeUsed(tokens, tokenPace, mine, headers.limitTokens(), headers.remainingTokens(), nowNanos);
            }
        }
    }

    private void chargeUsed(SlidingWindowBudget budget, SteadyPace pace, long share, long limit, Long remaining,
            long nowNanos) {
        if (remaining == null || remaining >= limit) {
            return;
        }
        long used = Math.min(share, BudgetShare.of(limit - Math.max(0, remaining), parallelism, subtask));
        if (used > 0) {
            budget.reserve(used, nowNanos);
            pace.reserve(used, nowNanos);
        }
    }

    private static boolean isPositive(Long value) {
        return value != null && value > 0;
    }

    /** Returns the tokens of a grant whose request was never sent. */
    public synchronized void release(Grant grant, long nowNanos) {
        if (!grant.reserved()) {
            throw new IllegalArgumentException("grant was not reserved: there is nothing to release");
        }
        if (tokens != null && grant.reservedTokens() > 0) {
            tokens.release(grant.reservedTokens(), grant.atNanos(), nowNanos);
            tokenPace.release(grant.reservedTokens());
        }
    }

    /** The current adaptive rate of this subtask in requests per second, or {@code NaN} when not adaptive. */
    public synchronized double currentRate() {
        return adaptive == null ? Double.NaN : adaptive.permitsPerSecond();
    }

    /**
     * A reservation, or when to ask for one again.
     *
     * @param reserved whether the policies were charged: send at {@code atNanos}; otherwise call
     *     {@link #reserve} again at {@code atNanos}
     * @param atNanos on the caller's clock
     * @param chargedRequest whether the request budget was charged (there was one)
     * @param reservedTokens what the token budget was charged (0: there was none), to correct with the
     *     reported usage
     * @param estimatedTokens the caller's estimate before it was scaled to what the endpoint reports
     */
    public record Grant(boolean reserved, long atNanos, boolean chargedRequest, long reservedTokens,
            long estimatedTokens) {}
}
