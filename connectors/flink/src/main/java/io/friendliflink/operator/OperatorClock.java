package io.friendliflink.operator;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;

/**
 * The {@link CallClock} of a function inside its operator: the operator's processing time and timers, so that a
 * test harness moves the waits for a budget, the backoffs and the deadlines with {@code setProcessingTime}
 * instead of sleeping, and every timer fires on the task's thread, as Flink's own operators' timers do.
 *
 * <p>Answers arrive on the client's I/O threads, and they set timers too (a retry's backoff). A timer is
 * registered on the task's thread only, through a mail: a test's processing-time service is not thread-safe, and
 * the due time is read when asked, so the mail's own delay does not add to it. A task due at once is that mail.
 *
 * <p>Processing time has a millisecond's resolution; a due time is rounded up to the next millisecond.
 */
final class OperatorClock implements CallClock {
    private static final long NANOS_PER_MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final ProcessingTimeService time;
    private final MailboxExecutor mailbox;
    private volatile boolean closed;

    OperatorClock(ProcessingTimeService time, MailboxExecutor mailbox) {
        this.time = time;
        this.mailbox = mailbox;
    }

    @Override
    public long nanoTime() {
        return time.getCurrentProcessingTime() * NANOS_PER_MILLI;
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        if (closed) {
            return;
        }
        long dueMillis = delayNanos <= 0 ? Long.MIN_VALUE
                : time.getCurrentProcessingTime() + (delayNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI;
        try {
            mailbox.execute(() -> {
                if (closed) {
                    return;
                }
                if (dueMillis == Long.MIN_VALUE || dueMillis <= time.getCurrentProcessingTime()) {
                    task.run();
                } else {
                    time.registerTimer(dueMillis, firedAt -> runUnlessClosed(task));
                }
            }, "inference timer");
        } catch (RejectedExecutionException e) {
            // The task is shutting down: its calls end with it, and a restored task sends them again.
        }
    }

    private void runUnlessClosed(Runnable task) {
        if (!closed) {
            task.run();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
