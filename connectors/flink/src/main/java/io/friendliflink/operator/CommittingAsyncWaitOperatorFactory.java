package io.friendliflink.operator;

import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.legacy.YieldingOperatorFactory;

/**
 * Makes {@link CommittingAsyncWaitOperator}s: use it with {@code stream.transform(name, type, factory)} where
 * {@code AsyncDataStream.unorderedWait} would be used.
 *
 * <p>{@code
 * lines.transform("call endpoint", TypeInformation.of(CallOutcome.class),
 *         new CommittingAsyncWaitOperatorFactory<>(function, timeoutMillis, capacity, OutputMode.UNORDERED));
 * }
 */
public final class CommittingAsyncWaitOperatorFactory<IN, OUT, F extends AsyncFunction<IN, OUT>
                & CommittingAsyncWaitOperator.UnfinishedCalls>
        extends AbstractStreamOperatorFactory<OUT>
        implements OneInputStreamOperatorFactory<IN, OUT>, YieldingOperatorFactory<OUT> {
    private static final long serialVersionUID = 1L;

    private final F function;
    private final long timeoutMillis;
    private final int capacity;
    private final AsyncDataStream.OutputMode outputMode;

    public CommittingAsyncWaitOperatorFactory(F function, long timeoutMillis, int capacity,
            AsyncDataStream.OutputMode outputMode) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeoutMillis must be > 0, was " + timeoutMillis);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.function = function;
        this.timeoutMillis = timeoutMillis;
        this.capacity = capacity;
        this.outputMode = outputMode;
        setChainingStrategy(ChainingStrategy.ALWAYS); // as Flink's own factory
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<OUT>> T createStreamOperator(StreamOperatorParameters<OUT> parameters) {
        return (T) new CommittingAsyncWaitOperator<>(parameters, function, timeoutMillis, capacity, outputMode);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return CommittingAsyncWaitOperator.class;
    }
}
