package io.friendliflink.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator on a mini cluster: once a bounded input has been read, checkpoints still complete while the calls
 * of its tail are answered (Flink's own async operator lets none complete then).
 */
class CommittingAsyncWaitOperatorTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** What the job saw, in order: outputs and completed checkpoints. */
    private static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();

    @Test
    void checkpointsCompleteWhileTheTailOfABoundedInputIsAnswered() throws Exception {
        EVENTS.clear();
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        // 12 elements, all in flight at once (capacity 100), answered one every 250 ms: the source has ended
        // long before the last answer.
        env.fromSource(new DataGeneratorSource<>(i -> i, 12, Types.LONG), WatermarkStrategy.noWatermarks(), "numbers")
                .rebalance()
                .transform("slow calls", Types.LONG,
                        new CommittingAsyncWaitOperatorFactory<>(new SlowCalls(), 60_000, 100, OutputMode.UNORDERED))
                .map(new Record())
                .sinkTo(new DiscardingSink<>());

        env.execute("tail");

        List<String> events = List.copyOf(EVENTS);
        int first = events.indexOf("out");
        int last = events.lastIndexOf("out");
        long duringTheTail = events.subList(first, last).stream().filter("checkpoint"::equals).count();
        assertThat(events.stream().filter("out"::equals)).hasSize(12);
        assertThat(duringTheTail).as("checkpoints completed between the first and the last answer: %s", events)
                .isGreaterThanOrEqualTo(3);
    }

    /** Answers element {@code i} after {@code 250 ms * (i + 1)}; counts its unfinished calls. */
    static final class SlowCalls extends RichAsyncFunction<Long, Long>
            implements CommittingAsyncWaitOperator.UnfinishedCalls {
        private transient ScheduledExecutorService timer;
        private transient AtomicInteger unfinished;

        @Override
        public void open(OpenContext openContext) {
            timer = Executors.newSingleThreadScheduledExecutor();
            unfinished = new AtomicInteger();
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }

        @Override
        public int unfinishedCalls() {
            return unfinished.get();
        }

        @Override
        public void asyncInvoke(Long input, ResultFuture<Long> resultFuture) {
            unfinished.incrementAndGet();
            timer.schedule(() -> {
                unfinished.decrementAndGet();
                resultFuture.complete(List.of(input));
            }, 250 * (input + 1), TimeUnit.MILLISECONDS);
        }
    }

    /** Notes each output and each completed checkpoint, downstream of the calls. */
    static final class Record extends RichMapFunction<Long, Long> implements CheckpointListener {
        @Override
        public Long map(Long value) {
            EVENTS.add("out");
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            EVENTS.add("checkpoint");
        }
    }
}
