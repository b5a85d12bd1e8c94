package io.friendliflink.job.pipeline;

import io.friendliflink.sink.ErrorRow;
import io.friendliflink.source.RejectedLine;
import io.friendliflink.source.RequestLine;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Lets the first line of each {@code custom_id} through; a later line with the same id becomes an error
 * row, so every id names exactly one request and one output row. Keyed by {@code custom_id}; the ids seen
 * are Flink state, so they survive a restore from a checkpoint.
 */
final class DropDuplicates extends KeyedProcessFunction<String, RequestLine, RequestLine> {
    private static final long serialVersionUID = 1L;
    static final OutputTag<ErrorRow> DUPLICATE = new OutputTag<>("duplicate-lines") {};

    private transient ValueState<Boolean> seen;
    private transient RunCounters counters;

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        counters = new RunCounters(getRuntimeContext());
    }

    @Override
    public void processElement(RequestLine line, Context ctx, Collector<RequestLine> out) throws Exception {
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
