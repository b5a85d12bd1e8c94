package io.friendliflink.policy;

import io.friendliflink.client.RateLimitHeaders;

/**
 * Tells a {@code 429} that shows a rate limit was hit from one that is noise (a gateway under load, a queue
 * that overflowed, a flaky replica), so that only the first lowers the rate.
 *
 * <p>Contract: a {@code 429} is {@link Verdict#LIMIT} when its headers say a quota is spent
 * ({@code X-RateLimit-Remaining-Requests} or {@code -Tokens} is 0), or when it completes a cluster: at least
 * {@value #CLUSTER} of the last {@value #WINDOW} answers were {@code 429}s (it included). Otherwise it is
 * {@link Verdict#NOISE}. Every other answer the endpoint gave is recorded with {@link #onOtherAnswer}.
 * {@code Retry-After} alone is no evidence: gateways send it with transient {@code 429}s too.
 *
 * <p>Why a cluster: a spent quota refuses nearly every request until it refills, so its {@code 429}s come in
 * runs; transient ones come alone. With 5% of answers {@code 429} at random, a {@code 429} completes a cluster
 * of 6 in 10 with probability C(9,5)·0.05⁵·0.95⁴ ≈ 3·10⁻⁵, about once in 600,000 requests.
 *
 * <p>Not thread-safe: its owner serializes calls.
 */
public final class LimitEvidence {
    static final int WINDOW = 10;
    static final int CLUSTER = 6;

    /** What one {@code 429} shows. */
    public enum Verdict {
        /** No sign of a limit: retry it, change nothing else. */
        NOISE,
        /** A limit was hit: the rate should come down to what the endpoint accepts. */
        LIMIT
    }

    private final boolean[] last = new boolean[WINDOW];
    private int next;
    private int refused;

    /** Records a {@code 429} and judges it. */
    public Verdict on429(RateLimitHeaders headers) {
        record(true);
        if (headers != null && (isZero(headers.remainingRequests()) || isZero(headers.remainingTokens()))) {
            return Verdict.LIMIT;
        }
        return refused >= CLUSTER ? Verdict.LIMIT : Verdict.NOISE;
    }

    /** Records an answer that was not a rate-limit {@code 429} (a success, an error status, a queue timeout). */
    public void onOtherAnswer() {
        record(false);
    }

    private void record(boolean was429) {
        if (last[next]) {
            refused--;
        }
        last[next] = was429;
        if (was429) {
            refused++;
        }
        next = (next + 1) % WINDOW;
    }

    private static boolean isZero(Long value) {
        return value != null && value == 0;
    }

    @Override
    public String toString() {
        return "LimitEvidence{429s in the last " + WINDOW + " answers=" + refused + '}';
    }
}
