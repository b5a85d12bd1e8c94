package io.friendliflink.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes elements on, and throws once, as a lost machine would: in the first attempt of subtask 0, after a
 * checkpoint completed and more than {@code after} elements passed. For tests of a failover and a restore on the
 * mini cluster; what happened is counted under the test's {@code name} (the function itself is serialized).
 *
 * <p>{@code stream.map(new FailOnceAfterACheckpoint<>("my-test", 60)).returns(stream.getType())}
 */
public final class FailOnceAfterACheckpoint<T> extends RichMapFunction<T, T> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> RESTORES = new ConcurrentHashMap<>();

    private final String name;
    private final int after;
    private transient boolean checkpointed;
    private transient int seen;

    public FailOnceAfterACheckpoint(String name, int after) {
        this.name = name;
        this.after = after;
    }

    /** How many times the function named {@code name} threw. */
    public static int failuresThrown(String name) {
        return FAILURES.computeIfAbsent(name, n -> new AtomicInteger()).get();
    }

    /** How many subtasks of the function named {@code name} ran again, restored, after the failure. */
    public static int restoredAttempts(String name) {
        return RESTORES.computeIfAbsent(name, n -> new AtomicInteger()).get();
    }

    @Override
    public void open(OpenContext openContext) {
        if (getRuntimeContext().getTaskInfo().getAttemptNumber() > 0) {
            RESTORES.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Override
    public T map(T element) {
        seen++;
        if (checkpointed && seen > after && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0
                && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            FAILURES.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            throw new IllegalStateException("a task fails once, as a lost machine would");
        }
        return element;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
