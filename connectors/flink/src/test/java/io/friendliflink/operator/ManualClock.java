package io.friendliflink.operator;

import java.util.PriorityQueue;

/**
 * A {@link CallClock} that stands still until a test {@link #advance}s it; the tasks then due run on the test's
 * thread, in the order of their times, each with the clock at its own time.
 */
final class ManualClock implements CallClock {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now;
    private long seq;
    private boolean closed;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void schedule(Runnable task, long delayNanos) {
        if (!closed) {
            tasks.add(new Task(now + Math.max(0, delayNanos), seq++, task));
        }
    }

    /** Moves the clock {@code nanos} forward, running every task due by then, also those scheduled meanwhile. */
    void advance(long nanos) {
        long target;
        synchronized (this) {
            target = now + nanos;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.at);
            }
            next.run.run();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        tasks.clear();
    }

    private record Task(long at, long seq, Runnable run) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }
}
