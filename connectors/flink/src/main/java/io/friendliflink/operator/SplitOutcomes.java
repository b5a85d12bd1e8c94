package io.friendliflink.operator;

import io.friendliflink.datastream.Answered;
import io.friendliflink.datastream.Failed;
import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Sends the answered elements on and the failed ones to their side output. */
@Internal
public final class SplitOutcomes<T> extends ProcessFunction<CallOutcome<T>, Answered<T>> {
    private static final long serialVersionUID = 1L;

    private final OutputTag<Failed<T>> failed;

    public SplitOutcomes(OutputTag<Failed<T>> failed) {
        this.failed = failed;
    }

    @Override
    public void processElement(CallOutcome<T> outcome, Context ctx, Collector<Answered<T>> out) {
        if (outcome.answered() != null) {
            out.collect(outcome.answered());
        } else {
            ctx.output(failed, outcome.failed());
        }
    }
}
