package io.friendliflink.job.pipeline;

import io.friendliflink.operator.SendGate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Holds the rows bound for a file sink and passes them on once per {@code output.commit-interval}, just before a
 * checkpoint barrier, so that each subtask's sink writes one part file per commit interval instead of one per
 * checkpoint.
 *
 * <p>A Parquet file cannot stay open across a checkpoint (it is written whole, its footer last, and could not be
 * resumed after a failure), so Flink's file sink closes its bulk-format files on every checkpoint: with a 5 s
 * checkpoint interval and 2 subtasks, a 40 s run left ~16 files in {@code results/} alone. Holding the rows here
 * keeps exactly-once: a row is either passed on before a checkpoint's barrier (then it is in that checkpoint's
 * part file, committed when the checkpoint completes) or held in this operator's state in that checkpoint (then a
 * restore holds it again and passes it on later). The rows are passed on at the first barrier after the interval,
 * when the input ends, and at the first barrier after the run's sending stopped ({@link SendGate} closed: a
 * graceful stop's savepoint then commits them).
 *
 * <p>So that the heap holds a bounded number of rows whatever the rate, a subtask holding {@link #MAX_HELD_ROWS}
 * passes them on at once: they go into the part file its sink has open, committed with the next checkpoint as any
 * row is, so exactly once holds as well.
 */
final class HeldRows<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    /** The most rows a subtask holds: about 10 MB of rows without log-probabilities. */
    static final int MAX_HELD_ROWS = 10_000;

    private final TypeInformation<T> type;
    private final long intervalMillis;
    /** The gate of the run's sending, or {@code null} when no program in this JVM may close it. */
    private final String sendGate;

    private transient ListState<T> state;
    private transient List<T> held;
    private transient long releasedAtMillis;

    HeldRows(TypeInformation<T> type, long intervalMillis, String sendGate) {
        this.type = type;
        this.intervalMillis = intervalMillis;
        this.sendGate = sendGate;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("held-rows", type));
        held = new ArrayList<>();
        for (T row : state.get()) {
            held.add(row);
        }
        releasedAtMillis = System.currentTimeMillis();
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        held.add(element.getValue());
        if (held.size() >= MAX_HELD_ROWS) {
            release();
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        if (System.currentTimeMillis() - releasedAtMillis >= intervalMillis || stopping()) {
            release();
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(held);
    }

    @Override
    public void endInput() {
        release();
    }

    private boolean stopping() {
        return sendGate != null && !SendGate.named(sendGate).isOpen();
    }

    private void release() {
        for (T row : held) {
            output.collect(new StreamRecord<>(row));
        }
        held.clear();
        releasedAtMillis = System.currentTimeMillis();
    }
}
