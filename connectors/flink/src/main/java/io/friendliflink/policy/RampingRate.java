package io.friendliflink.policy;

import java.time.Duration;

/**
 * The rate an endpoint that may have an unknown per-minute quota is approached at: start low, and double every
 * {@code doubling} of use, until the endpoint shows a limit (and a learned {@link Quota} takes over) or
 * something else (capacity, the input) holds the rate back.
 *
 * <p>Why a ramp and not a burst: a sliding-minute quota shows an overshoot only once it is full, and whatever
 * was sent in the meantime keeps it full for up to a minute. Growing by a factor per period of time (TCP's slow
 * start, timed instead of per round trip) bounds that overshoot; the default period of 30 s reaches a quota
 * twice the start rate in about 25 s, and fills it no more than about twice over.
 *
 * <p>Contract: permits are spaced evenly at the current rate (GCRA, burst 1), in the order reserved. The rate
 * grows by {@code ln 2 / doubling} per success of a request sent while the caller kept up with the rate
 * (reserved again within one interval of the schedule's end), so a rate nobody uses never grows. Growing per
 * success rather than per second keeps a rate the endpoint does not answer from growing either.
 *
 * <p>Not thread-safe: its owner serializes calls. Time is passed in, never read.
 */
public final class RampingRate implements SendBudget {
    public static final Duration DEFAULT_DOUBLING = Duration.ofSeconds(30);

    private final double stepPerSuccess;
    private double perSecond;
    private boolean started;
    /** Whether the latest reservation came within one interval of the schedule's end (caller keeps up). */
    private boolean busy;
    /** GCRA theoretical arrival time: when the schedule of granted permits is paid off. */
    private long tat;

    public RampingRate(double initialPerSecond, Duration doubling) {
        if (!(initialPerSecond > 0) || Double.isInfinite(initialPerSecond)) {
            throw new IllegalArgumentException("initialPerSecond must be > 0 and finite but was " + initialPerSecond);
        }
        if (doubling.isNegative() || doubling.isZero()) {
            throw new IllegalArgumentException("doubling must be positive but was " + doubling);
        }
        this.perSecond = initialPerSecond;
        // A used rate r gets about r successes per second; this step per success doubles it every period.
        this.stepPerSuccess = Math.log(2) / (doubling.toNanos() / 1e9);
    }

    public double perSecond() {
        return perSecond;
    }

    /** Nanoseconds from {@code atNanos} to the next permit; changes nothing. */
    public long nanosUntilAvailable(long atNanos) {
        return started && tat - atNanos > 0 ? tat - atNanos : 0;
    }

    /** Takes the next permit at {@code atNanos}, a time {@link #nanosUntilAvailable} allowed. */
    public void reserve(long atNanos) {
        long interval = intervalNanos();
        busy = started && tat + interval - atNanos >= 0;
        long from = started && tat - atNanos > 0 ? tat : atNanos;
        tat = from + interval;
        started = true;
    }

    @Override
    public long nanosUntilAvailable(long tokens, long atNanos) {
        return nanosUntilAvailable(atNanos);
    }

    @Override
    public void reserve(long tokens, long atNanos) {
        reserve(atNanos);
    }

    /** A request sent at the rate succeeded: the rate grows if the caller is using it. */
    public void onSuccess() {
        if (busy) {
            perSecond += stepPerSuccess;
        }
    }

    private long intervalNanos() {
        return Math.max(1, (long) Math.ceil(1e9 / perSecond));
    }

    @Override
    public String toString() {
        return "RampingRate{" + perSecond + "/s}";
    }
}
