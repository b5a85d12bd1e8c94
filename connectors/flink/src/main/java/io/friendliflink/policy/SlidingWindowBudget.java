package io.friendliflink.policy;

import java.util.Objects;

/**
 * A budget of permits (requests, or tokens) that holds over every window of the configured length, not
 * just over fixed buckets.
 *
 * <p>Contract: let every reservation count at its grant time ({@code nowNanos + reserve(...)}), with the
 * amount it reserved corrected by {@link #reconcile}. Then, for any instant {@code a}, the permits granted in
 * {@code [a, a + window)} are at most {@code permitsPerWindow} — exactly, when corrections only lower amounts
 * (a request that used fewer tokens than estimated). A correction upwards (used more than estimated) is
 * charged to its grant's slot so that later grants make room for it, but grants already made cannot be
 * taken back; estimate generously (prompt estimate + {@code max_tokens}) to keep the guarantee exact.
 * A caller that sends later than its grant time shifts its permit later; the guarantee is on grant times.
 *
 * <p>How: time is cut into slots of {@code window / slotsPerWindow}. Any window of length {@code window}
 * touches at most {@code slotsPerWindow + 1} consecutive slots, so a grant is placed in the first slot
 * {@code j} at or after the latest grant whose last {@code slotsPerWindow + 1} slots, with it, stay within
 * the limit. Grants are first come, first served: a reservation never overtakes an earlier one, so a
 * caller can wait on a timer for its turn instead of polling.
 *
 * <p>Thread-safe; methods are short and synchronized. Time is passed in, never read.
 *
 * <pre>{@code
 * SlidingWindowBudget tokens = new SlidingWindowBudget(BudgetConfig.perMinute(1_000_000));
 * long estimate = promptTokensEstimate + maxTokens;
 * long wait = tokens.reserve(estimate, now);       // send at now + wait
 * ... when usage arrives:
 * tokens.reconcile(estimate, usage.totalTokens(), now + wait, later);
 * }</pre>
 */
public final class SlidingWindowBudget {

    private final BudgetConfig config;
    private long limit;
    private final int span; // slots a window can touch: slotsPerWindow + 1
    private final long slotNanos;

    /** Ring of permits per absolute slot; holds the slots {@code [baseSlot, baseSlot + counts.length)}. */
    private long[] counts;
    private long baseSlot;
    private long latestSlot;
    private long lastGrantSlot;

    public SlidingWindowBudget(BudgetConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.limit = config.permitsPerWindow();
        this.span = config.slotsPerWindow() + 1;
        long windowNanos = config.window().toNanos();
        // Rounding the slot up keeps "a window touches at most slotsPerWindow + 1 slots" true.
        this.slotNanos = -Math.floorDiv(-windowNanos, config.slotsPerWindow());
        this.counts = new long[Integer.highestOneBit(2 * span - 1) << 1];
        this.baseSlot = Long.MIN_VALUE;
        this.latestSlot = Long.MIN_VALUE;
        this.lastGrantSlot = Long.MIN_VALUE;
    }

    /**
     * Reserves {@code permits} at the earliest time the budget allows, no earlier than {@code nowNanos} and
     * after every earlier reservation.
     *
     * @param nowNanos the current time, or the earliest time the caller could send (a later time is fine)
     * @return nanoseconds from {@code nowNanos} to the grant: 0 means send now
     * @throws IllegalArgumentException when {@code permits} is not in {@code [1, permitsPerWindow]}
     */
    public synchronized long reserve(long permits, long nowNanos) {
        checkPermits(permits);
        long slot = firstSlotFor(permits, advance(nowNanos));
        add(slot, permits);
        lastGrantSlot = slot;
        return waitUntil(slot, nowNanos);
    }

    /** Grants {@code permits} only if that is possible right now, as {@link #reserve} returning 0 would. */
    public synchronized boolean tryAcquire(long permits, long nowNanos) {
        checkPermits(permits);
        long now = advance(nowNanos);
        if (lastGrantSlot > now || windowSum(now) + permits > limit) {
            return false;
        }
        add(now, permits);
        lastGrantSlot = now;
        return true;
    }

    /**
     * What {@link #reserve} would return, without reserving; changes nothing, so a caller may look at a
     * later time than now.
     */
    public synchronized long nanosUntilAvailable(long permits, long nowNanos) {
        checkPermits(permits);
        // No advance(): moving the ring to a later time would drop slots that refunds made now still need.
        long now = Math.max(Math.floorDiv(nowNanos, slotNanos), latestSlot);
        return waitUntil(firstSlotFor(permits, now), nowNanos);
    }

    /**
     * Corrects a grant once its real usage is known: the difference {@code actual - reserved} is refunded
     * (negative) or charged (positive) to the grant's slot. A grant older than a window no longer affects any
     * decision and is left as it was.
     *
     * @param grantedAtNanos the grant time, {@code nowNanos + reserve(...)} of that reservation
     */
    public synchronized void reconcile(long reserved, long actual, long grantedAtNanos, long nowNanos) {
        if (reserved < 0) {
            throw new IllegalArgumentException("reserved must be >= 0 but was " + reserved);
        }
        if (actual < 0) {
            throw new IllegalArgumentException("actual must be >= 0 but was " + actual);
        }
        advance(nowNanos);
        long slot = Math.floorDiv(grantedAtNanos, slotNanos);
        if (slot > lastGrantSlot) {
            throw new IllegalArgumentException("grantedAtNanos " + grantedAtNanos
                    + " is later than any grant made; pass the grant time of the reservation");
        }
        if (slot < baseSlot || actual == reserved) {
            return;
        }
        int i = index(slot);
        // Never below 0: a refund larger than the slot holds is a caller error and must not lend permits.
        counts[i] = Math.max(0, counts[i] + (actual - reserved));
    }

    /**
     * Counts {@code permits} at {@code atNanos} whatever the limit: permits the endpoint counts that no grant of
     * this budget made (another client of the same key), or a grant that reached the endpoint later than granted.
     * Later reservations make room for them. A time before the oldest slot kept is in no window that still
     * matters, and is not counted.
     */
    public synchronized void charge(long permits, long atNanos) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1 but was " + permits);
        }
        long slot = Math.floorDiv(atNanos, slotNanos);
        if (slot > latestSlot || baseSlot == Long.MIN_VALUE) {
            advance(atNanos);
        } else if (slot < baseSlot) {
            return;
        }
        add(slot, permits);
        lastGrantSlot = Math.max(lastGrantSlot, slot);
    }

    /**
     * Changes the limit for the reservations made from now on (a limit learned or corrected while running);
     * what was granted stays granted, so a lower limit holds once the grants above it have left the window.
     */
    public synchronized void setPermitsPerWindow(long permits) {
        if (permits <= 0) {
            throw new IllegalArgumentException("permitsPerWindow must be > 0 but was " + permits);
        }
        limit = permits;
    }

    public synchronized long permitsPerWindow() {
        return limit;
    }

    /**
     * The permits charged to the window that ends at {@code nowNanos} (slots touched by the last window, so
     * up to one slot more than a window); grants booked later than that are not counted. Changes nothing.
     */
    public synchronized long permitsInWindow(long nowNanos) {
        return windowSum(Math.floorDiv(nowNanos, slotNanos));
    }

    /** Returns a whole reservation that was never used (the request was not sent). */
    public void release(long reserved, long grantedAtNanos, long nowNanos) {
        reconcile(reserved, 0, grantedAtNanos, nowNanos);
    }

    private void checkPermits(long permits) {
        if (permits < 1 || permits > limit) {
            throw new IllegalArgumentException("permits must be in [1, " + limit + "] (permitsPerWindow) but was "
                    + permits);
        }
    }

    /** Moves the ring to the current slot, dropping slots no future window can touch; returns that slot. */
    private long advance(long nowNanos) {
        long now = Math.max(Math.floorDiv(nowNanos, slotNanos), latestSlot); // a clock never runs backwards here
        latestSlot = now;
        long newBase = now - span + 1;
        if (baseSlot == Long.MIN_VALUE) {
            baseSlot = newBase;
            return now;
        }
        if (newBase > baseSlot) {
            long dropped = Math.min(newBase - baseSlot, counts.length);
            for (long s = baseSlot; s < baseSlot + dropped; s++) {
                counts[index(s)] = 0;
            }
            baseSlot = newBase;
        }
        return now;
    }

    /** The first slot, not before {@code now} nor before the latest grant, where {@code permits} fit. */
    private long firstSlotFor(long permits, long now) {
        long slot = Math.max(now, lastGrantSlot);
        long sum = windowSum(slot);
        while (sum + permits > limit) { // ends within span steps: slots after the latest grant are empty
            sum -= count(slot - span + 1);
            slot++;
            sum += count(slot);
        }
        return slot;
    }

    private long waitUntil(long slot, long nowNanos) {
        return Math.max(0, slot * slotNanos - nowNanos);
    }

    private long windowSum(long lastSlot) {
        long sum = 0;
        for (long s = lastSlot - span + 1; s <= lastSlot; s++) {
            sum += count(s);
        }
        return sum;
    }

    private long count(long slot) {
        return slot < baseSlot || slot >= baseSlot + counts.length ? 0 : counts[index(slot)];
    }

    private void add(long slot, long permits) {
        if (slot >= baseSlot + counts.length) {
            grow(slot);
        }
        counts[index(slot)] += permits;
    }

    /** Reservations far ahead (a long queue) need more slots than one window; double until they fit. */
    private void grow(long slot) {
        int length = counts.length;
        while (slot >= baseSlot + length) {
            length <<= 1;
        }
        long[] grown = new long[length];
        for (long s = baseSlot; s < baseSlot + counts.length; s++) {
            grown[(int) (s & (length - 1))] = counts[index(s)];
        }
        counts = grown;
    }

    private int index(long slot) {
        return (int) (slot & (counts.length - 1));
    }

    @Override
    public synchronized String toString() {
        return "SlidingWindowBudget{" + config + ", slotNanos=" + slotNanos + '}';
    }
}
