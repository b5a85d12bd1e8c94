package io.friendliflink.job.pipeline;

import io.friendliflink.job.resume.CompletedIds;
import io.friendliflink.sink.ErrorRow;
import io.friendliflink.source.RejectedLine;
import io.friendliflink.source.RequestLine;
import java.nio.file.Path;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Lets the first line of each {@code custom_id} through; a later line with the same id becomes an error
 * row, so every id names exactly one request and one output row. Keyed by {@code custom_id}; the ids seen
 * are Flink state, so they survive a restore from a checkpoint.
 *
 * <p>When resuming, a line whose id the output already holds (from an earlier run) is dropped and counted
 * as {@code skipped_done}: no request, no row. Each subtask loads, when it opens, only the ids of its own
 * key groups, so the ids held in memory are spread over the subtasks.
 */
final class DropDuplicates extends KeyedProcessFunction<String, RequestLine, RequestLine> {
    private static final long serialVersionUID = 1L;
    static final OutputTag<ErrorRow> DUPLICATE = new OutputTag<>("duplicate-lines") {};

    /** The output to resume from ({@code null}: do not resume) and whether its errors count as done. */
    private final String resumeFrom;
    private final boolean errorsAreDone;

    private transient ValueState<Boolean> seen;
    private transient RunCounters counters;
    private transient CompletedIds completed;

    DropDuplicates() {
        this(null, false);
    }

    DropDuplicates(String resumeFrom, boolean errorsAreDone) {
        this.resumeFrom = resumeFrom;
        this.errorsAreDone = errorsAreDone;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        counters = new RunCounters(getRuntimeContext());
        if (resumeFrom == null) {
            completed = CompletedIds.none();
            return;
        }
        TaskInfo task = getRuntimeContext().getTaskInfo();
        int maxParallelism = task.getMaxNumberOfParallelSubtasks();
        int parallelism = task.getNumberOfParallelSubtasks();
        int index = task.getIndexOfThisSubtask();
        completed = CompletedIds.load(Path.of(resumeFrom), errorsAreDone,
                id -> KeyGroupRangeAssignment.assignKeyToParallelOperator(id, maxParallelism, parallelism) == index);
    }

    @Override
    public void processElement(RequestLine line, Context ctx, Collector<RequestLine> out) throws Exception {
        if (completed.contains(line.customId())) {
            counters.add(RunCounters.SKIPPED_DONE, 1);
            return;
        }
        if (seen.value() == null) {
            seen.update(Boolean.TRUE);
            out.collect(line);
            return;
        }
        counters.add(RunCounters.DUPLICATES, 1);
        counters.add(RunCounters.ERRORS_PREFIX + RejectedLine.DUPLICATE_CUSTOM_ID, 1);
        ctx.output(DUPLICATE, ErrorRow.badLine(line.customId(), RejectedLine.DUPLICATE_CUSTOM_ID,
                "custom_id \"" + line.customId() + "\" was already used by an earlier line of this run; "
                        + "this line was not sent", line.rawLine()));
    }
}
