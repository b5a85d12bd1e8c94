package io.friendliflink.operator;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where an {@link InferenceFunction} reads the time and sets its timers: its operator's processing time
 * ({@link OperatorClock}), so that a test harness moves waits for a budget, backoffs and deadlines instead of
 * sleeping through them (Resilience4j injects its {@code nanoTimeSupplier} for the same reason); the system's
 * where the function runs without an operator of ours (the SQL provider's).
 *
 * <p>Contract: {@link #nanoTime()} is {@link System#nanoTime()}-like (only differences mean anything); a
 * scheduled task runs once, no earlier than its delay, and never inside {@link #schedule} itself; after
 * {@link #close()} tasks not yet run are dropped.
 */
interface CallClock extends AutoCloseable {

    long nanoTime();

    void schedule(Runnable task, long delayNanos);

    /** Drops the tasks not yet run; scheduling afterwards may throw. */
    @Override
    void close();

    /** {@link System#nanoTime()}, and one daemon timer thread named {@code threadName}. */
    static CallClock system(String threadName) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        return new CallClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void schedule(Runnable task, long delayNanos) {
                timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void close() {
                timer.shutdownNow();
            }
        };
    }
}
