package io.friendliflink.policy;

/**
 * An in-flight cap that adapts like {@link AimdRateLimit}: a {@code 429} multiplies the cap by
 * {@code backoffRatio}, and successes while at least half the cap is in use add one per cap's worth of
 * successes; it never leaves {@code [minLimit, maxLimit]}.
 *
 * <p>Thread-safe (synchronized). Every {@link #tryAcquire()} that returned {@code true} is ended by exactly
 * one of {@link #onSuccess()}, {@link #onRateLimited()} or {@link #onIgnore()}.
 *
 * <pre>{@code
 * AimdConcurrencyLimit inFlight = new AimdConcurrencyLimit(20, 1, 500, 0.7);
 * if (inFlight.tryAcquire()) { send(); } else { wait for a completion; }
 * }</pre>
 */
public final class AimdConcurrencyLimit {

    private final int minLimit;
    private final int maxLimit;
    private final double backoffRatio;

    private double limit;
    private int inFlight;

    public AimdConcurrencyLimit(int initialLimit, int minLimit, int maxLimit, double backoffRatio) {
        if (minLimit < 1) {
            throw new IllegalArgumentException("minLimit must be >= 1 but was " + minLimit);
        }
        if (maxLimit < minLimit) {
            throw new IllegalArgumentException("maxLimit (" + maxLimit + ") must be >= minLimit (" + minLimit + ")");
        }
        if (initialLimit < minLimit || initialLimit > maxLimit) {
            throw new IllegalArgumentException("initialLimit must be in [" + minLimit + ", " + maxLimit
                    + "] but was " + initialLimit);
        }
        if (!(backoffRatio >= 0.1 && backoffRatio < 1)) {
            throw new IllegalArgumentException("backoffRatio must be in [0.1, 1) but was " + backoffRatio);
        }
        this.minLimit = minLimit;
        this.maxLimit = maxLimit;
        this.backoffRatio = backoffRatio;
        this.limit = initialLimit;
    }

    /** Takes an in-flight slot if one is free. */
    public synchronized boolean tryAcquire() {
        if (inFlight >= limit()) {
            return false;
        }
        inFlight++;
        return true;
    }

    public synchronized void onSuccess() {
        // Judge use before releasing: the request itself was in flight.
        if (inFlight * 2 >= limit()) {
            limit = Math.min(maxLimit, limit + 1 / limit);
        }
        release();
    }

    public synchronized void onRateLimited() {
        limit = Math.max(minLimit, limit * backoffRatio);
        release();
    }

    /** Ends an attempt whose outcome says nothing about capacity (a client error, a transport failure). */
    public synchronized void onIgnore() {
        release();
    }

    public synchronized int limit() {
        return (int) limit;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    private void release() {
        if (inFlight == 0) {
            throw new IllegalStateException("released more slots than were acquired");
        }
        inFlight--;
    }

    @Override
    public synchronized String toString() {
        return "AimdConcurrencyLimit{limit=" + limit() + ", inFlight=" + inFlight + ", minLimit=" + minLimit
                + ", maxLimit=" + maxLimit + ", backoffRatio=" + backoffRatio + '}';
    }
}
