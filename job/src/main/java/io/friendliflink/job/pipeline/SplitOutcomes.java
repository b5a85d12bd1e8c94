package io.friendliflink.job.pipeline;

import io.friendliflink.api.response.Usage;
import io.friendliflink.operator.CallOutcome;
import io.friendliflink.sink.ErrorRow;
import io.friendliflink.sink.ResultRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Sends results and errors to their own outputs, counting tokens, attempts and retries by cause. */
final class SplitOutcomes extends ProcessFunction<CallOutcome, ResultRow> {
    private static final long serialVersionUID = 1L;
    static final OutputTag<ErrorRow> FAILED = new OutputTag<>("failed-requests") {};

    private transient RunCounters counters;

    @Override
    public void open(OpenContext openContext) {
        counters = new RunCounters(getRuntimeContext());
    }

    @Override
    public void processElement(CallOutcome outcome, Context ctx, Collector<ResultRow> out) {
        for (String cause : outcome.retryCauses()) {
            counters.add(RunCounters.RETRIES_PREFIX + cause, 1);
        }
        if (outcome.isSuccess()) {
            ResultRow row = outcome.result();
            counters.add(RunCounters.SUCCEEDED, 1);
            counters.add(RunCounters.ATTEMPTS, row.attempts());
            Usage usage = row.usage();
            if (usage != null) {
                counters.add(RunCounters.PROMPT_TOKENS, usage.promptTokens());
                counters.add(RunCounters.COMPLETION_TOKENS, usage.completionTokens());
                counters.add(RunCounters.TOTAL_TOKENS, usage.totalTokens());
                if (usage.cachedTokens() != null) {
                    counters.add(RunCounters.CACHED_TOKENS, usage.cachedTokens());
                }
            }
            out.collect(row);
        } else {
            ErrorRow row = outcome.error();
            counters.add(RunCounters.FAILED, 1);
            counters.add(RunCounters.ATTEMPTS, row.attempts());
            counters.add(RunCounters.ERRORS_PREFIX + row.errorType(), 1);
            ctx.output(FAILED, row);
        }
    }
}
