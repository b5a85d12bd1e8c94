package io.friendliflink.policy;

/**
 * The tokens one subtask may send per minute: a {@link Quota} charged, for each request, the tokens it is
 * estimated to carry, and corrected to what the endpoint reports once it has answered.
 *
 * <p>Not thread-safe: its owner serializes calls. Time is passed in, never read.
 */
public final class TokenBudget implements SendBudget {
    private final Quota quota;

    private TokenBudget(Quota quota) {
        this.quota = quota;
    }

    /** At most {@code tokens} in any minute. */
    public static TokenBudget perMinute(long tokens) {
        return new TokenBudget(Quota.perMinute(tokens));
    }

    public long limit() {
        return quota.limit();
    }

    /** What one request may reserve: its estimate, but at least 1 and at most the whole budget. */
    public long cap(long estimate) {
        return quota.cap(estimate);
    }

    @Override
    public long nanosUntilAvailable(long tokens, long atNanos) {
        return quota.nanosUntilAvailable(tokens, atNanos);
    }

    @Override
    public void reserve(long tokens, long atNanos) {
        quota.reserve(tokens, atNanos);
    }

    @Override
    public void release(long tokens, long grantedAtNanos, long nowNanos) {
        quota.release(tokens, grantedAtNanos, nowNanos);
    }

    @Override
    public boolean countsArrivals() {
        return true;
    }

    /** Counts tokens the endpoint says were used besides what was reserved here (before this budget existed). */
    public void charge(long tokens, long atNanos) {
        quota.charge(tokens, atNanos);
    }

    /** Corrects a reservation to the tokens the endpoint reported. */
    public void reconcile(long reserved, long used, long grantedAtNanos, long nowNanos) {
        quota.reconcile(reserved, used, grantedAtNanos, nowNanos);
    }

    @Override
    public String toString() {
        return quota.toString();
    }
}
