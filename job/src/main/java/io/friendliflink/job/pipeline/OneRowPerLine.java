package io.friendliflink.job.pipeline;

import io.friendliflink.job.resume.DoneRows;
import io.friendliflink.lines.ParsedLine;
import io.friendliflink.lines.RejectedLine;
import io.friendliflink.lines.RequestLine;
import io.friendliflink.sink.ErrorRow;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sees that every input line ends as exactly one row, however often the job is rerun on the same output.
 * Keyed by {@link ParsedLine#key()}: the {@code custom_id}, or where an id-less line was read.
 *
 * <ul>
 *   <li>A line the output already has a row for (its id's result or error, or its own error row) is skipped,
 *       counted as {@code skipped_done} or {@code skipped_failed}: no request, no second row.
 *   <li>The first line of an id claims it: a request goes on to be sent, a rejected line becomes its error row.
 *   <li>A later line with the same id becomes a {@code duplicate_custom_id} error row and is not sent.
 * </ul>
 *
 * <p>The ids claimed are Flink state, so they survive a restore from a checkpoint. What earlier runs wrote is
 * loaded when a subtask opens, only for the keys of its own key groups, so it is spread over the subtasks.
 */
final class OneRowPerLine extends KeyedProcessFunction<String, ParsedLine, RequestLine>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    static final OutputTag<ErrorRow> ERRORS = new OutputTag<>("bad-lines") {};

    /** The output to resume from, or {@code null}: do not resume. */
    private final String resumeFrom;

    private transient ValueState<Boolean> claimed;
    private transient RunCounters counters;
    private transient CheckpointedCounters savedCounters;
    private transient DoneRows done;

    OneRowPerLine(String resumeFrom) {
        this.resumeFrom = resumeFrom;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        savedCounters = new CheckpointedCounters();
        savedCounters.initialize(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        savedCounters.snapshot(counters);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        claimed = getRuntimeContext().getState(new ValueStateDescriptor<>("claimed", Types.BOOLEAN));
        counters = savedCounters.open(getRuntimeContext());
        if (resumeFrom == null) {
            done = DoneRows.none();
            return;
        }
        TaskInfo task = getRuntimeContext().getTaskInfo();
        int maxParallelism = task.getMaxNumberOfParallelSubtasks();
        int parallelism = task.getNumberOfParallelSubtasks();
        int index = task.getIndexOfThisSubtask();
        done = DoneRows.load(new Path(resumeFrom),
                key -> KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism) == index);
    }

    @Override
    public void processElement(ParsedLine line, Context ctx, Collector<RequestLine> out) throws Exception {
        switch (done.find(line)) {
            case RESULT -> {
                counters.add(RunCounters.SKIPPED_DONE, 1);
                return;
            }
            case ERROR -> {
                counters.add(RunCounters.SKIPPED_FAILED, 1);
                return;
            }
            case NONE -> { }
        }
        if (line.customId() != null) {
            if (claimed.value() != null) {
                duplicate(line, ctx);
                return;
            }
            claimed.update(Boolean.TRUE);
        }
        if (line.isAccepted()) {
            out.collect(line.accepted());
            return;
        }
        RejectedLine r = line.rejected();
        counters.add(RunCounters.LINES_REJECTED, 1);
        counters.add(RunCounters.ERRORS_PREFIX + r.errorType(), 1);
        ctx.output(ERRORS, ErrorRow.badLine(r.customId(), r.errorType(), r.message(), r.rawLine(), r.source()));
    }

    private void duplicate(ParsedLine line, Context ctx) {
        counters.add(RunCounters.DUPLICATES, 1);
        counters.add(RunCounters.ERRORS_PREFIX + RejectedLine.DUPLICATE_CUSTOM_ID, 1);
        ctx.output(ERRORS, ErrorRow.badLine(line.customId(), RejectedLine.DUPLICATE_CUSTOM_ID,
                "custom_id \"" + line.customId() + "\" was already used by an earlier line of this input; "
                        + "this line was not sent", line.rawLine(), line.source()));
    }
}
