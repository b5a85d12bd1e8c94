package io.friendliflink.emulator.limit;

/**
 * Sums amounts added over the last window of time, in fixed buckets, so memory stays bounded whatever the
 * request rate.
 *
 * <p>The window slides one bucket at a time: with a 60 s window in 600 buckets an amount counts for
 * between 59.9 and 60 s. Not thread-safe; {@link RateLimiter} guards it. Time comes in as arguments.
 */
final class SlidingWindow {
    private final long bucketNanos;
    private final long[] amounts;
    private final long[] bucketIndex;
    private long sum;
    private long lastIndex;
    private boolean started;

    SlidingWindow(long windowNanos, int buckets) {
        this.bucketNanos = windowNanos / buckets;
        this.amounts = new long[buckets];
        this.bucketIndex = new long[buckets];
        java.util.Arrays.fill(bucketIndex, Long.MIN_VALUE);
    }

    void add(long nowNanos, long amount) {
        long index = Math.floorDiv(nowNanos, bucketNanos);
        expire(index);
        int slot = slot(index);
        if (bucketIndex[slot] != index) {
            bucketIndex[slot] = index;
            sum -= amounts[slot]; // zero after expire(); kept right even if that ever changes
            amounts[slot] = 0;
        }
        amounts[slot] += amount;
        sum += amount;
    }

    long sum(long nowNanos) {
        expire(Math.floorDiv(nowNanos, bucketNanos));
        return sum;
    }

    /** How long until the oldest amount still counted leaves the window; {@code 0} when the window is empty. */
    long nanosUntilOldestExpires(long nowNanos) {
        long current = Math.floorDiv(nowNanos, bucketNanos);
        expire(current);
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < amounts.length; i++) {
            if (amounts[i] != 0 && bucketIndex[i] < oldest) {
                oldest = bucketIndex[i];
            }
        }
        if (oldest == Long.MAX_VALUE) {
            return 0;
        }
        long leavesAt = (oldest + amounts.length) * bucketNanos;
        return Math.max(0, leavesAt - nowNanos);
    }

    /** Drops the buckets that left the window since the last call: at most one pass over the ring. */
    private void expire(long currentIndex) {
        if (!started) {
            started = true;
            lastIndex = currentIndex;
            return;
        }
        if (currentIndex <= lastIndex) {
            return;
        }
        int n = amounts.length;
        if (currentIndex - lastIndex >= n) {
            // Every bucket is older than the window: clear them all (a loop over the skipped indices would
            // miss buckets older than the range it covers, and their amounts would stay in the sum for good).
            java.util.Arrays.fill(amounts, 0);
            sum = 0;
            lastIndex = currentIndex;
            return;
        }
        // Invariant: after expire(c), every bucket of index <= c - n is zero; so only these can still count.
        for (long idx = lastIndex - n + 1; idx <= currentIndex - n; idx++) {
            int s = slot(idx);
            if (bucketIndex[s] == idx && amounts[s] != 0) {
                sum -= amounts[s];
                amounts[s] = 0;
            }
        }
        lastIndex = currentIndex;
    }

    private int slot(long index) {
        return (int) Math.floorMod(index, (long) amounts.length);
    }
}
