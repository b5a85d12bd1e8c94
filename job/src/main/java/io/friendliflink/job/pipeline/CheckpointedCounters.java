package io.friendliflink.job.pipeline;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * A function's {@link RunCounters}, checkpointed with the rows they count. Flink's accumulators start again at
 * zero in every attempt, so after a failover the summary missed what the lost attempt had counted before its last
 * checkpoint (342 of 480 results, seen in {@code FailoverEndToEndTest}); restored from here, a run's counts are
 * those of its committed rows.
 *
 * <p>One entry per subtask; on a change of parallelism the entries are spread over the new subtasks, and the
 * totals, the only thing read, stay the same.
 *
 * <p>{@code initialize} from the function's {@code initializeState}, {@code open} from its {@code open} (which
 * Flink calls after), {@code snapshot} from its {@code snapshotState}.
 */
final class CheckpointedCounters {
    private static final ListStateDescriptor<Map<String, Long>> STATE =
            new ListStateDescriptor<>("run-counters", Types.MAP(Types.STRING, Types.LONG));

    private ListState<Map<String, Long>> state;

    void initialize(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getListState(STATE);
    }

    /** The counters, with what earlier attempts had counted up to the checkpoint this one restored. */
    RunCounters open(RuntimeContext runtime) throws Exception {
        RunCounters counters = new RunCounters(runtime);
        for (Map<String, Long> saved : state.get()) {
            saved.forEach(counters::add);
        }
        return counters;
    }

    void snapshot(RunCounters counters) throws Exception {
        state.update(List.of(counters.totals()));
    }
}
