package io.friendliflink.operator;

import io.friendliflink.policy.BudgetConfig;
import io.friendliflink.policy.SlidingWindowBudget;
import java.time.Duration;

/**
 * A told per-minute budget that is also spread over its minute: at most a sixtieth of it (rounded up) in
 * any second.
 *
 * <p>A sliding minute alone lets a whole minute's budget go in its first second. The endpoint counts its
 * own minute, on its own clock, after each request's flight, and counts tokens as they really were, while
 * the job reserves an estimate that is corrected only when the answer reports usage: a minute of estimates
 * sent at once overruns it, and each {@code 429} then costs a retry and a backoff (measured with the
 * emulator: 120,000 tokens/min told, sent in bursts, 13% of the requests answered 429). Spread over the
 * seconds, the corrections arrive before the estimates add up and requests arrive as evenly as they left.
 * The long-run rate is the minute's: the second's share is rounded up.
 */
final class ToldBudget {
    private static final Duration SECOND = Duration.ofSeconds(1);
    /** 60 slots of a second: a greedy caller gets 60/61 of it, the same share as of the minute. */
    private static final int SLOTS_PER_SECOND = 60;

    private final SlidingWindowBudget minute;
    private final SlidingWindowBudget second;
    private final long maxPermits;

    private ToldBudget(SlidingWindowBudget minute, SlidingWindowBudget second) {
        this.minute = minute;
        this.second = second;
        long max = minute.config().permitsPerWindow();
        this.maxPermits = second == null ? max : Math.min(max, second.config().permitsPerWindow());
    }

    /** {@code permits} per minute, spread over the seconds. */
    static ToldBudget perMinute(long permits) {
        SlidingWindowBudget second = new SlidingWindowBudget(BudgetConfig.custom()
                .permitsPerWindow(-Math.floorDiv(-permits, 60))
                .window(SECOND)
                .slotsPerWindow(SLOTS_PER_SECOND)
                .build());
        return new ToldBudget(new SlidingWindowBudget(BudgetConfig.perMinute(permits)), second);
    }

    /** The minute budget alone, not spread. */
    static ToldBudget unspread(SlidingWindowBudget minute) {
        return new ToldBudget(minute, null);
    }

    /** The most permits one reservation may take (larger requests are reserved at this size). */
    long maxPermits() {
        return maxPermits;
    }

    /**
     * Reserves {@code permits} in both windows at the same, earliest time both allow.
     *
     * @return nanoseconds from {@code nowNanos} to the grant
     */
    synchronized long reserve(long permits, long nowNanos) {
        if (second == null) {
            return minute.reserve(permits, nowNanos);
        }
        // Past its latest grant a window that allows a time allows every later one, so two steps find the
        // earliest time both allow.
        long at = nowNanos + second.nanosUntilAvailable(permits, nowNanos);
        at += minute.nanosUntilAvailable(permits, at);
        at += second.reserve(permits, at);
        at += minute.reserve(permits, at);
        return at - nowNanos;
    }

    /** What {@link #reserve} would return, without reserving. */
    synchronized long nanosUntilAvailable(long permits, long nowNanos) {
        if (second == null) {
            return minute.nanosUntilAvailable(permits, nowNanos);
        }
        long at = nowNanos;
        while (true) { // ends: past its latest grant a window that allows a time allows every later one
            long next = at + second.nanosUntilAvailable(permits, at);
            next += minute.nanosUntilAvailable(permits, next);
            if (next == at) {
                return at - nowNanos;
            }
            at = next;
        }
    }

    /** The minute budget's slot: corrections of grants further ahead than this cannot help the next ones. */
    long minuteSlotNanos() {
        return minute.config().window().toNanos() / minute.config().slotsPerWindow();
    }

    /** Returns a whole reservation that was never sent. */
    synchronized void release(long reserved, long grantedAtNanos, long nowNanos) {
        reconcile(reserved, 0, grantedAtNanos, nowNanos);
    }

    /** Corrects a grant to the permits really used; {@code grantedAtNanos} is the time sent. */
    synchronized void reconcile(long reserved, long actual, long grantedAtNanos, long nowNanos) {
        minute.reconcile(reserved, actual, grantedAtNanos, nowNanos);
        if (second != null) {
            second.reconcile(reserved, actual, grantedAtNanos, nowNanos);
        }
    }
}
