package io.friendliflink.policy;

/**
 * Spreads a per-minute budget evenly over its minute: permits flow at a sixtieth of the budget per second,
 * and at most one second's share goes at once.
 *
 * <p>Why a budget needs it: a {@link SlidingWindowBudget} alone lets a whole minute's permits go in the
 * first second. An endpoint that counts tokens only once they are generated then learns of an estimate
 * that was too low only after the minute is spent, and answers {@code 429} to the rest of it. Spread out,
 * the first answers arrive while most of the minute is still unspent, and the estimates are corrected in
 * time. The minute's budget stays charged in full; this pace is only a second constraint.
 *
 * <p>Contract (GCRA with weights): a reservation of {@code n} permits is charged {@code min(n, burst)},
 * where {@code burst} is one second's share; over any interval of length {@code d}, the charges granted
 * are at most {@code burst + d * permitsPerSecond}. A reservation never overtakes an earlier one. Time is
 * passed in, never read.
 *
 * <p>Not thread-safe: its owner serializes calls.
 */
public final class SteadyPace {
    private final long burst;
    private final double nanosPerPermit;
    private final long toleranceNanos;

    /** When the charges granted so far are paid off at the steady rate. */
    private long paidOffAt;
    private boolean started;

    /** The pace of a budget of {@code permitsPerMinute}. */
    public SteadyPace(long permitsPerMinute) {
        if (permitsPerMinute < 1) {
            throw new IllegalArgumentException("permitsPerMinute must be >= 1 but was " + permitsPerMinute);
        }
        this.burst = Math.max(1, permitsPerMinute / 60);
        this.nanosPerPermit = 60e9 / permitsPerMinute;
        this.toleranceNanos = (long) Math.ceil(burst * nanosPerPermit);
    }

    /** One second's share: the most a single reservation is charged. */
    public long burst() {
        return burst;
    }

    /** What {@link #reserve} would return, without reserving. */
    public long nanosUntilAvailable(long permits, long nowNanos) {
        return grantAt(permits, nowNanos) - nowNanos;
    }

    /**
     * Charges {@code min(permits, burst)} at the earliest time the pace allows, no earlier than
     * {@code nowNanos}.
     *
     * @return nanoseconds from {@code nowNanos} to the grant
     */
    public long reserve(long permits, long nowNanos) {
        long grant = grantAt(permits, nowNanos);
        // Compared by difference: System.nanoTime() may be negative, or wrap.
        long from = started && paidOffAt - grant > 0 ? paidOffAt : grant;
        paidOffAt = from + cost(permits);
        started = true;
        return grant - nowNanos;
    }

    /** Gives back the charge of a reservation whose request was never sent. */
    public void release(long permits) {
        paidOffAt -= cost(permits);
    }

    private long grantAt(long permits, long nowNanos) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1 but was " + permits);
        }
        if (!started) {
            return nowNanos;
        }
        long earliest = paidOffAt + cost(permits) - toleranceNanos;
        return earliest - nowNanos > 0 ? earliest : nowNanos;
    }

    private long cost(long permits) {
        return (long) Math.ceil(Math.min(permits, burst) * nanosPerPermit);
    }

    @Override
    public String toString() {
        return "SteadyPace{burst=" + burst + ", nanosPerPermit=" + nanosPerPermit + '}';
    }
}
