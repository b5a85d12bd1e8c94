package io.friendliflink.policy;

import io.friendliflink.client.RateLimitHeaders;

/**
 * Tells a {@code 429} that shows a rate limit was hit from one that is noise (a gateway under load, a queue
 * that overflowed, a flaky replica), so that only the first lowers the rate.
 *
 * <p>Contract: a {@code 429} is {@link Verdict#LIMIT} when its headers say a quota is spent
 * ({@code X-RateLimit-Remaining-Requests} or {@code -Tokens} is 0), or when it completes a cluster: at least
 * {@value #CLUSTER} of the last {@value #WINDOW} requests sent were answered {@code 429} (it included; requests
 * still unanswered count as not refused). Otherwise it is {@link Verdict#NOISE}. {@code Retry-After} alone is
 * no evidence: gateways send it with transient {@code 429}s too.
 *
 * <p>Why a cluster, and why counted in the order of sending: a spent quota refuses nearly every request sent
 * until it refills, so its {@code 429}s come in runs of sends; transient ones come alone. Counted in the order
 * of answers instead, a burst of sends would look like a run, because a {@code 429} comes back at once while the
 * successes sent with it take a whole generation. With 5% of requests {@code 429} at random, a {@code 429}
 * completes a cluster of 6 in 10 with probability C(9,5)·0.05⁵·0.95⁴ ≈ 3·10⁻⁵, once in 600,000 requests.
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

    /** Whether each of the last sends was answered 429, by send number modulo the window. */
    private final boolean[] refusedSend = new boolean[WINDOW];
    private long sends;
    private int refused;

    /** A request is sent; returns its number, to give back with its {@code 429} if it gets one. */
    public long onSend() {
        int slot = (int) (sends % WINDOW);
        if (refusedSend[slot]) {
            refusedSend[slot] = false;
            refused--;
        }
        return sends++;
    }

    /** Records the {@code 429} of send {@code send} and judges it. */
    public Verdict on429(long send, RateLimitHeaders headers) {
        if (send >= sends - WINDOW && send < sends) {
            int slot = (int) (send % WINDOW);
            if (!refusedSend[slot]) {
                refusedSend[slot] = true;
                refused++;
            }
        }
        if (headers != null && (isZero(headers.remainingRequests()) || isZero(headers.remainingTokens()))) {
            return Verdict.LIMIT;
        }
        return refused >= CLUSTER ? Verdict.LIMIT : Verdict.NOISE;
    }

    private static boolean isZero(Long value) {
        return value != null && value == 0;
    }

    @Override
    public String toString() {
        return "LimitEvidence{429s in the last " + WINDOW + " sends=" + refused + '}';
    }
}
