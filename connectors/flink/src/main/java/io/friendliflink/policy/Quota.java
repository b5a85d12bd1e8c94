package io.friendliflink.policy;

import java.time.Duration;

/**
 * A per-minute budget (of requests, or of tokens) as an endpoint counts it: never more than the limit in any
 * minute of sends, and spread over the minute so that the minute is not spent in its first second.
 *
 * <p>Contract: a {@link SlidingWindowBudget} of the limit checked over a minute plus {@link #SEND_MARGIN} (and
 * one slot of 100 ms), and a {@link SteadyPace} at a sixtieth of the limit per second. A caller that sends no
 * later than {@code SEND_MARGIN} after its grant therefore never puts more than the limit into any 60 s of
 * arrivals: a minute of arrivals holds only grants from a minute plus the margin. A caller that would send
 * later must {@link #release} and ask again; one that learns only afterwards that its request reached the
 * endpoint later (the first connection, a pause of either side) moves the grant there ({@link #moveGrant}). A
 * greedy caller gets 60 / 60.35 = 99.4% of the limit.
 *
 * <p>The limit may change while running ({@link #setLimit}); an unlimited quota only records what was charged,
 * so that a limit learned later starts from what the endpoint has already counted.
 *
 * <p>As a {@link SendBudget} it is the token budget: each request charged the tokens it is estimated to carry.
 *
 * <p>Not thread-safe: its owner serializes calls. Time is passed in, never read.
 */
public final class Quota implements SendBudget {
    /** How late a send may follow its grant and still be covered by the window the grant was checked over. */
    public static final Duration SEND_MARGIN = Duration.ofMillis(250);
    private static final Duration WINDOW = Duration.ofMinutes(1).plus(SEND_MARGIN);
    /** 100 ms slots: the check covers one slot more than its window, so slots are kept short. */
    private static final int SLOTS = 603;

    private final SlidingWindowBudget window;
    private SteadyPace pace;
    private long limit;

    private Quota(long limit) {
        this.window = new SlidingWindowBudget(
                BudgetConfig.custom().permitsPerWindow(limit).window(WINDOW).slotsPerWindow(SLOTS).build());
        this.limit = limit;
        this.pace = limit == Long.MAX_VALUE ? null : new SteadyPace(limit);
    }

    /** At most {@code permits} in any minute. */
    public static Quota perMinute(long permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1 but was " + permits);
        }
        return new Quota(permits);
    }

    /** No limit yet: grants at once and records them, until {@link #setLimit}. */
    public static Quota unlimited() {
        return new Quota(Long.MAX_VALUE);
    }

    public boolean isLimited() {
        return pace != null;
    }

    /** The limit per minute; {@link Long#MAX_VALUE} while unlimited. */
    public long limit() {
        return limit;
    }

    /**
     * Sets the limit for the grants to come; the pace starts afresh at the new rate, and the window keeps what
     * it holds, so a lower limit admits nothing more until enough of it has left the window.
     */
    public void setLimit(long permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1 but was " + permits);
        }
        window.setPermitsPerWindow(permits);
        pace = new SteadyPace(permits);
        limit = permits;
    }

    /** What one reservation may ask for: the whole limit at most. */
    public long cap(long permits) {
        return Math.max(1, Math.min(permits, limit));
    }

    /** Nanoseconds from {@code atNanos} until {@code permits} fit (0: now); changes nothing. */
    @Override
    public long nanosUntilAvailable(long permits, long atNanos) {
        long wait = window.nanosUntilAvailable(permits, atNanos);
        return pace == null ? wait : Math.max(wait, pace.nanosUntilAvailable(permits, atNanos));
    }

    /** Charges {@code permits} at {@code atNanos}, a time {@link #nanosUntilAvailable} allowed. */
    @Override
    public void reserve(long permits, long atNanos) {
        long late = window.reserve(permits, atNanos);
        if (pace != null) {
            late = Math.max(late, pace.reserve(permits, atNanos));
        }
        if (late != 0) {
            throw new IllegalStateException("reserved at " + atNanos + " but the quota allows it only " + late
                    + " ns later; ask nanosUntilAvailable first");
        }
    }

    /** Counts {@code permits} the endpoint says it has counted besides ours (another client of the same key). */
    public void charge(long permits, long atNanos) {
        window.charge(permits, atNanos);
        if (pace != null) {
            pace.reserve(permits, atNanos);
        }
    }

    /**
     * A grant of {@code permits} at {@code grantedAtNanos} reached the endpoint at {@code sentAtNanos}: it is
     * counted there instead. Only the windows that hold the later time and not the grant gain it, and those end
     * a minute later, so the grants still to come make room for it; no window ever ends up over the limit.
     */
    public void moveGrant(long permits, long grantedAtNanos, long sentAtNanos, long nowNanos) {
        window.reconcile(permits, 0, grantedAtNanos, nowNanos);
        window.charge(permits, sentAtNanos);
    }

    /** Corrects a grant to what the endpoint counted (tokens reported, or 0 for a request it did not count). */
    public void reconcile(long reserved, long actual, long grantedAtNanos, long nowNanos) {
        window.reconcile(reserved, actual, grantedAtNanos, nowNanos);
    }

    /** Returns a grant that was not sent. */
    @Override
    public void release(long reserved, long grantedAtNanos, long nowNanos) {
        window.release(reserved, grantedAtNanos, nowNanos);
        if (pace != null) {
            pace.release(reserved);
        }
    }

    /** Arrivals are what the endpoint counts against a limit; an unlimited quota only records. */
    @Override
    public boolean countsArrivals() {
        return isLimited();
    }

    /** What the window ending at {@code nowNanos} holds: for requests, what the endpoint has counted of ours. */
    public long inWindow(long nowNanos) {
        return window.permitsInWindow(nowNanos);
    }

    @Override
    public String toString() {
        return "Quota{limit=" + (pace == null ? "none" : limit + "/min") + '}';
    }
}
