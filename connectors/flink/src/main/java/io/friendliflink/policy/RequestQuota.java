package io.friendliflink.policy;

import java.time.Duration;

/**
 * The requests one subtask may send per minute, and how that number is found: told by the user, named by the
 * endpoint's {@code X-RateLimit-Limit-Requests}, or measured when the endpoint shows a limit it never named.
 *
 * <p>Contract:
 * <ul>
 *   <li>Every grant is charged to a {@link Quota} (told, named, or unlimited while unknown), so that the quota
 *       always knows what the endpoint has counted of ours in the last minute.
 *   <li>{@link #onLimit}, when a {@code 429} shows a limit ({@link LimitEvidence}), sets the limit to what the
 *       endpoint accepted of ours over the last minute: a sliding-minute quota refuses only when full, so what
 *       it holds then is its size (TCP BBR's idea: the bottleneck is what was delivered, not a guess cut by a
 *       ratio). Once per congestion: not again for a request sent before the last cut. A told or named limit
 *       that the endpoint accepted for at least 95% is kept: its {@code 429}s came from sends bunched at a
 *       window's edge, and the {@code Retry-After} pause is enough.
 *   <li>A measured limit mirrors the endpoint: a request it refused did not count there, so it is taken out
 *       ({@link #onRefused}); then a limit set too high shows at once as a cluster of refusals, not as a slow
 *       trickle that hides in the noise. A told or named limit counts every send, as the user asked.
 *   <li>Increase: a measured limit in full use (95%) with no limit shown for two minutes grows by 1% (at least
 *       one request), then by twice the last step each further minute of such use (at most a quarter), up to a
 *       told or named ceiling; a limit shown starts the steps over. Flink connector-base's
 *       {@code AIMDScalingStrategy} ({@code flink-connector-base/.../sink/writer/strategy/AIMDScalingStrategy.java}:
 *       additive increase, multiplicative decrease), with the decrease to the
 *       measured bottleneck and the increase growing so that a limit cut by an outage rather than a quota
 *       comes back within minutes, while a real quota is probed above only every two minutes.
 * </ul>
 *
 * <p>Not thread-safe: its owner serializes calls. Time is passed in, never read.
 */
public final class RequestQuota implements SendBudget {
    private static final double HELD = 0.95;
    private static final long FIRST_INCREASE_NANOS = Duration.ofMinutes(2).toNanos();
    private static final long NEXT_INCREASE_NANOS = Duration.ofMinutes(1).toNanos();
    private static final double FIRST_STEP = 0.01;
    private static final double MAX_STEP = 0.25;

    private final Quota quota;
    /** What the endpoint accepted of ours: every grant, less the requests it refused. */
    private final Quota accepted = Quota.unlimited();
    private long ceiling;
    private boolean measured;
    private boolean cut;
    private long lastCutAt;
    private long nextIncreaseAt;
    private double step = FIRST_STEP;

    private RequestQuota(Quota quota, long ceiling) {
        this.quota = quota;
        this.ceiling = ceiling;
    }

    /** The user told the limit: never more, whatever the endpoint says. */
    public static RequestQuota told(long perMinute) {
        return new RequestQuota(Quota.perMinute(perMinute), perMinute);
    }

    /** No limit known yet: grants at once and counts, until the endpoint names or shows one. */
    public static RequestQuota unknown() {
        return new RequestQuota(Quota.unlimited(), Long.MAX_VALUE);
    }

    /** Whether a limit applies (told, named or measured). */
    public boolean isKnown() {
        return quota.isLimited();
    }

    /** The current limit per minute, {@link Long#MAX_VALUE} while unknown. */
    public long perMinute() {
        return quota.limit();
    }

    /**
     * The endpoint named its limit (this subtask's share of it, {@code perMinute}) and how much of that share is
     * used ({@code usedShare}, from {@code limit - remaining}): it becomes the limit as if told, and what the
     * endpoint counts beyond our own sends (another client of the same key) is charged now. Ignored once a limit
     * was told or named.
     */
    public void name(long perMinute, long usedShare, long nowNanos) {
        if (ceiling != Long.MAX_VALUE) {
            return;
        }
        ceiling = perMinute;
        measured = false;
        quota.setLimit(perMinute);
        long others = Math.min(perMinute, usedShare) - accepted.inWindow(nowNanos);
        if (others > 0) {
            quota.charge(others, nowNanos);
        }
    }

    public long nanosUntilAvailable(long atNanos) {
        return quota.nanosUntilAvailable(1, atNanos);
    }

    public void reserve(long atNanos) {
        quota.reserve(1, atNanos);
        accepted.reserve(1, atNanos);
    }

    @Override
    public long nanosUntilAvailable(long tokens, long atNanos) {
        return nanosUntilAvailable(atNanos);
    }

    @Override
    public void reserve(long tokens, long atNanos) {
        reserve(atNanos);
    }

    @Override
    public void release(long tokens, long grantedAtNanos, long nowNanos) {
        release(grantedAtNanos, nowNanos);
    }

    /** Once a limit applies: the endpoint counts it over a minute of arrivals. */
    @Override
    public boolean countsArrivals() {
        return isKnown();
    }

    /** A grant that was not sent. */
    public void release(long grantedAtNanos, long nowNanos) {
        quota.release(1, grantedAtNanos, nowNanos);
        accepted.release(1, grantedAtNanos, nowNanos);
    }

    /** A request granted at {@code grantedAtNanos} reached the endpoint at {@code sentAtNanos}, later: counted there. */
    public void moveGrant(long grantedAtNanos, long sentAtNanos, long nowNanos) {
        quota.moveGrant(1, grantedAtNanos, sentAtNanos, nowNanos);
        accepted.moveGrant(1, grantedAtNanos, sentAtNanos, nowNanos);
    }

    /** A request granted at {@code grantedAtNanos} was refused with {@code 429}. */
    public void onRefused(long grantedAtNanos, long nowNanos) {
        accepted.reconcile(1, 0, grantedAtNanos, nowNanos);
        if (measured || !quota.isLimited()) {
            quota.reconcile(1, 0, grantedAtNanos, nowNanos);
        }
    }

    /**
     * A {@code 429} for a request granted at {@code grantedAtNanos} showed a limit.
     *
     * @return whether the limit changed
     */
    public boolean onLimit(long grantedAtNanos, long nowNanos) {
        if (cut && grantedAtNanos - lastCutAt < 0) {
            return false; // sent before the last cut: the same congestion
        }
        cut = true;
        lastCutAt = nowNanos;
        nextIncreaseAt = nowNanos + FIRST_INCREASE_NANOS;
        step = FIRST_STEP;
        long acceptedNow = accepted.inWindow(nowNanos);
        if (quota.isLimited() && !measured && acceptedNow >= HELD * quota.limit()) {
            return false;
        }
        long limit = Math.max(1, Math.min(ceiling, acceptedNow));
        measured = true; // from now on the quota mirrors the endpoint: what it refused does not count
        if (limit == quota.limit()) {
            return false;
        }
        quota.setLimit(limit);
        return true;
    }

    /** A request succeeded: a measured limit in full use and quiet long enough grows (see the class comment). */
    public void onSuccess(long nowNanos) {
        if (!measured || quota.limit() >= ceiling || nowNanos - nextIncreaseAt < 0
                || accepted.inWindow(nowNanos) < HELD * quota.limit()) {
            return;
        }
        nextIncreaseAt = nowNanos + NEXT_INCREASE_NANOS;
        quota.setLimit(Math.min(ceiling, quota.limit() + Math.max(1, (long) (quota.limit() * step))));
        step = Math.min(MAX_STEP, 2 * step);
    }

    @Override
    public String toString() {
        return "RequestQuota{" + (quota.isLimited() ? quota.limit() + "/min" : "unknown")
                + (measured ? " measured" : "") + (ceiling != Long.MAX_VALUE ? ", ceiling " + ceiling : "") + '}';
    }
}
