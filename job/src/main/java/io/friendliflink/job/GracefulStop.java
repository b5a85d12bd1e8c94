package io.friendliflink.job;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM for a local run: the first asks for a graceful stop (stop sending, commit what has
 * been answered, write the summary, say how to resume), a second one exits at once.
 *
 * <p>{@code sun.misc.Signal} rather than a shutdown hook: a hook runs while the JVM is already going down, beside
 * Flink's own hooks tearing the mini cluster apart, too late to take a checkpoint.
 */
final class GracefulStop {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();
    private final PrintStream err;
    private volatile Runnable atOnce = () -> { };

    private GracefulStop(PrintStream err) {
        this.err = err;
    }

    /** Handles SIGINT and SIGTERM from now on. */
    static GracefulStop install(PrintStream err) {
        GracefulStop stop = new GracefulStop(err);
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> stop.onSignal(signal.getName()));
        }
        return stop;
    }

    /** A stop that never comes: runs started from a test or on a cluster. */
    static GracefulStop none() {
        return new GracefulStop(System.err);
    }

    /** What to do before exiting at once on the second signal (delete the run's temporary files). */
    void beforeExitingAtOnce(Runnable cleanUp) {
        this.atOnce = cleanUp;
    }

    /** Waits up to {@code timeout} for a stop to be asked for. */
    boolean awaitRequest(long timeout, TimeUnit unit) throws InterruptedException {
        return requested.await(timeout, unit);
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    private void onSignal(String name) {
        if (signals.incrementAndGet() == 1) {
            err.println();
            err.println("SIG" + name + ": stopping. No new requests are sent; what has been answered is committed. "
                    + "Press Ctrl-C again to exit at once.");
            requested.countDown();
            return;
        }
        err.println("SIG" + name + " again: exiting at once; what was not committed is sent again by a rerun.");
        try {
            atOnce.run();
        } finally {
            Runtime.getRuntime().halt(ExitStatus.CANCELLED.code());
        }
    }
}
