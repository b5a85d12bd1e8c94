package io.friendliflink.operator;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperator;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;

/**
 * Flink's async I/O operator, except that checkpoints go on while the calls of a bounded input's tail are
 * answered, so their results are committed as they come instead of all at the very end.
 *
 * <p>Flink's {@code AsyncWaitOperator.endInput} waits for its queue to drain by yielding to its own mailbox
 * executor, which takes only mails of the operator's priority or higher. The task's checkpoint mails (an
 * unaligned barrier, a trigger) have a lower priority, so while the tail is in flight no checkpoint completes:
 * with 412 lines and slow answers nothing was committed for 38 s, a {@code kill -9} then lost every answer, and
 * the rerun paid for them a second time. Here {@link #endInput()} first waits, yielding at the task mailbox's
 * lowest priority (which runs every mail, checkpoints included), until the function has no call left unfinished;
 * Flink's own wait then only emits what has completed. Aligned checkpoints still wait: their barrier sits in the
 * input channel, behind nothing but out of any mail's reach (the job's default is unaligned).
 *
 * <p>Built by {@link CommittingAsyncWaitOperatorFactory}; retries are the function's own, never Flink's.
 */
public final class CommittingAsyncWaitOperator<IN, OUT> extends AsyncWaitOperator<IN, OUT> {
    private static final long serialVersionUID = 1L;

    private final UnfinishedCalls calls;

    <F extends AsyncFunction<IN, OUT> & UnfinishedCalls> CommittingAsyncWaitOperator(
            StreamOperatorParameters<OUT> parameters, F function, long timeoutMillis, int capacity,
            AsyncDataStream.OutputMode outputMode) {
        super(parameters, function, timeoutMillis, capacity, outputMode,
                AsyncRetryStrategies.NO_RETRY_STRATEGY, parameters.getProcessingTimeService(),
                parameters.getMailboxExecutor());
        this.calls = function;
        function.useOperatorTime(parameters.getProcessingTimeService(), parameters.getMailboxExecutor());
    }

    @Override
    public void endInput() throws Exception {
        MailboxExecutor everyMail = getContainingTask().getMailboxExecutorFactory()
                .createExecutor(TaskMailbox.MIN_PRIORITY);
        while (calls.unfinishedCalls() > 0) {
            everyMail.yield();
        }
        super.endInput();
    }

    /**
     * A function that can tell how many of its calls have not completed their result yet, and may keep its time
     * on the operator's.
     */
    public interface UnfinishedCalls {
        int unfinishedCalls();

        /**
         * Called once, before the function is opened, with the operator's processing-time service and mailbox,
         * for a function that reads the time and sets timers: the operator's timers fire on the task's thread,
         * and a test harness moves their time.
         */
        default void useOperatorTime(ProcessingTimeService time, MailboxExecutor mailbox) {
        }
    }
}
