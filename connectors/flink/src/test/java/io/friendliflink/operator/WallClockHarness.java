package io.friendliflink.operator;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * An operator harness whose processing time can follow the wall clock, for tests of calls that go over a real
 * network: the function's waits and backoffs are the operator's timers, which fire only when a harness's
 * processing time moves. {@link #catchUp()} moves it to the time passed since the harness was made (never back),
 * and runs the mails that are due; {@link #endInput()} does so until the function has no call left, then ends
 * the input. A test that moves time itself ({@link #setProcessingTime}) calls neither.
 *
 * <p>Everything runs on the test's thread, the harness's task thread: a test processing-time service is not
 * thread-safe.
 */
final class WallClockHarness<IN, OUT> extends OneInputStreamOperatorTestHarness<IN, OUT> {
    private final CommittingAsyncWaitOperator.UnfinishedCalls calls;
    private final long startNanos = System.nanoTime();

    WallClockHarness(OneInputStreamOperatorFactory<IN, OUT> factory, TypeSerializer<IN> inputs,
            CommittingAsyncWaitOperator.UnfinishedCalls calls) throws Exception {
        super(factory, inputs);
        this.calls = calls;
    }

    /** Moves processing time up to the wall clock's, then runs every mail in the task's mailbox. */
    void catchUp() throws Exception {
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (wallMillis > getProcessingTime()) {
            setProcessingTime(wallMillis);
        }
        runMails();
    }

    /** Runs the mails now in the task's mailbox (timers that fired, calls' completions), and those they add. */
    void runMails() throws Exception {
        Optional<Mail> mail;
        while ((mail = getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isPresent()) {
            mail.get().run();
        }
    }

    @Override
    public void endInput() throws Exception {
        while (calls.unfinishedCalls() > 0) {
            catchUp();
            Thread.sleep(1);
        }
        super.endInput();
    }
}
