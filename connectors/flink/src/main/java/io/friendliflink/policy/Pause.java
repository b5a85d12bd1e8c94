package io.friendliflink.policy;

import java.time.Duration;

/**
 * Holds every send until a time the endpoint named: a {@code Retry-After} on a {@code 429} that showed a
 * limit, or the reset of a quota whose {@code X-RateLimit-Remaining-*} is 0.
 *
 * <p>Contract: no grant before the latest end asked for; a pause is capped at {@code max} against a wrong or
 * hostile value, and a negative one (an HTTP date in the past) is none. Not thread-safe: its owner serializes
 * calls. Time is passed in, never read.
 */
public final class Pause implements SendBudget {
    public static final Duration DEFAULT_MAX = Duration.ofMinutes(2);

    private final long maxNanos;
    private boolean paused;
    private long until;

    public Pause(Duration max) {
        if (max.isNegative()) {
            throw new IllegalArgumentException("max must not be negative but was " + max);
        }
        this.maxNanos = max.toNanos();
    }

    /** Holds sends for {@code pause} from {@code nowNanos} (or longer, if already held longer). */
    public void pauseFor(Duration pause, long nowNanos) {
        if (pause.isNegative() || pause.isZero()) {
            return;
        }
        long end = nowNanos + (pause.compareTo(Duration.ofNanos(maxNanos)) > 0 ? maxNanos : pause.toNanos());
        if (!paused || end - until > 0) {
            until = end;
            paused = true;
        }
    }

    /** Nanoseconds from {@code atNanos} to the end of the pause; 0 when not paused then. */
    public long nanosUntilAvailable(long atNanos) {
        return paused && until - atNanos > 0 ? until - atNanos : 0;
    }

    @Override
    public long nanosUntilAvailable(long tokens, long atNanos) {
        return nanosUntilAvailable(atNanos);
    }

    /** A pause charges nothing: it only holds sends until its end. */
    @Override
    public void reserve(long tokens, long atNanos) {
    }

    @Override
    public String toString() {
        return paused ? "Pause{until=" + until + '}' : "Pause{none}";
    }
}
