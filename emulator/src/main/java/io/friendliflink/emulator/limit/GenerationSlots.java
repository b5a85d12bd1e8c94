package io.friendliflink.emulator.limit;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Lets at most {@code concurrency} requests generate at once; the rest wait first come, first served.
 *
 * <p>Models the endpoint's batch capacity. A waiter is handed the slot of the request that finished,
 * on its own executor (its channel's event loop), so no thread ever blocks. A waiter may give up
 * ({@link Ticket#cancel()}, on timeout or disconnect) as long as it has not been granted a slot.
 */
public final class GenerationSlots {
    private final int concurrency;
    private final int queueCapacity;
    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
    private int generating;
    private int queued;

    public GenerationSlots(int concurrency, int queueCapacity) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("queueCapacity must be >= 0, was " + queueCapacity);
        }
        this.concurrency = concurrency;
        this.queueCapacity = queueCapacity;
    }

    /**
     * Asks for a slot. Returns a granted ticket (run now), a waiting ticket ({@code onGranted} runs on
     * {@code executor} when a slot frees up), or {@code null} when the queue is full.
     */
    public Ticket acquire(Executor executor, Runnable onGranted) {
        synchronized (this) {
            Ticket ticket = new Ticket(executor, onGranted);
            if (generating < concurrency) {
                generating++;
                ticket.state = Ticket.GRANTED;
                return ticket;
            }
            if (queued >= queueCapacity) {
                return null;
            }
            waiting.addLast(ticket);
            queued++;
            return ticket;
        }
    }

    /** Returns a slot: hands it to the longest waiter still waiting, or frees it. */
    public void release() {
        Ticket next;
        synchronized (this) {
            next = waiting.pollFirst();
            while (next != null && next.state == Ticket.CANCELLED) {
                next = waiting.pollFirst();
            }
            if (next == null) {
                generating--;
                return;
            }
            queued--;
            next.state = Ticket.GRANTED;
        }
        next.executor.execute(next.onGranted);
    }

    public synchronized int generating() {
        return generating;
    }

    public synchronized int queued() {
        return queued;
    }

    /** One request's claim on a slot. */
    public final class Ticket {
        private static final int WAITING = 0;
        private static final int GRANTED = 1;
        private static final int CANCELLED = 2;

        private final Executor executor;
        private final Runnable onGranted;
        private int state = WAITING;

        private Ticket(Executor executor, Runnable onGranted) {
            this.executor = executor;
            this.onGranted = onGranted;
        }

        /** Whether the slot was granted at once, so the caller proceeds without waiting. */
        public boolean isGranted() {
            synchronized (GenerationSlots.this) {
                return state == GRANTED;
            }
        }

        /**
         * Leaves the queue. Returns {@code true} if the ticket was still waiting (it will never be granted);
         * {@code false} if it was already granted, in which case the holder must {@link #release()}.
         */
        public boolean cancel() {
            synchronized (GenerationSlots.this) {
                if (state != WAITING) {
                    return state == CANCELLED;
                }
                state = CANCELLED;
                queued--;
                return true;
            }
        }
    }
}
