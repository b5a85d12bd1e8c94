package io.friendliflink.job.pipeline;

import io.friendliflink.api.response.ResponseJson;
import io.friendliflink.api.response.Usage;
import io.friendliflink.datastream.Answered;
import io.friendliflink.datastream.Failed;
import io.friendliflink.job.report.LatencyHistogram;
import io.friendliflink.job.config.JobConfig.RawResponse;
import io.friendliflink.lines.RequestLine;
import io.friendliflink.sink.ErrorRow;
import io.friendliflink.sink.ResultRow;
import java.util.List;
import io.friendliflink.sink.OpenAiBatchLines;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/** The job's rows of what the calling layer returns, counted for the run's summary (counts checkpointed). */
final class OutcomeRows {
    private OutcomeRows() {}

    /** A map that counts what it maps; its counts are checkpointed with the rows they count. */
    private abstract static class Counting<IN, OUT> extends RichMapFunction<IN, OUT> implements CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        protected transient RunCounters counters;
        private transient CheckpointedCounters savedCounters;

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
            counters = savedCounters.open(getRuntimeContext());
        }

        void countAttempts(int attempts, List<String> retries) {
            counters.add(RunCounters.ATTEMPTS, attempts);
            for (String cause : retries) {
                counters.add(RunCounters.RETRIES_PREFIX + cause, 1);
            }
        }
    }

    /**
     * The body kept of an answer: as received, except a stream's, which is its assembled JSON (the shape of an
     * answer without streaming) unless {@code streamEvents} asks for the events.
     */
    static String keptBody(Answered<RequestLine> answered, boolean streamEvents) {
        if (answered.input().request().stream() && !streamEvents && answered.result() != null) {
            return ResponseJson.write(answered.result());
        }
        return answered.body();
    }

    /** An answered line as its results row; counts it, its latency's bucket, its attempts, retries and tokens. */
    static final class Results extends Counting<Answered<RequestLine>, ResultRow> {
        private static final long serialVersionUID = 1L;
        private final RawResponse raw;
        private final boolean streamEvents;

        Results(RawResponse raw, boolean streamEvents) {
            this.raw = raw;
            this.streamEvents = streamEvents;
        }

        @Override
        public ResultRow map(Answered<RequestLine> answered) {
            RequestLine line = answered.input();
            String body = raw == RawResponse.ALL ? keptBody(answered, streamEvents) : null;
            ResultRow row = ResultRow.of(line.customId(), line.url(), answered.status(), answered.attempts(),
                    answered.latencyMs(), answered.totalLatencyMs(), answered.result(), body);
            counters.add(RunCounters.SUCCEEDED, 1);
            counters.add(LatencyHistogram.counterName(answered.latencyMs()), 1);
            countAttempts(answered.attempts(), answered.retries());
            Usage usage = row.usage();
            if (usage != null) {
                counters.add(RunCounters.PROMPT_TOKENS, usage.promptTokens());
                counters.add(RunCounters.COMPLETION_TOKENS, usage.completionTokens());
                counters.add(RunCounters.TOTAL_TOKENS, usage.totalTokens());
                if (usage.cachedTokens() != null) {
                    counters.add(RunCounters.CACHED_TOKENS, usage.cachedTokens());
                }
                // By the model the line asked for: the name a price list uses.
                String kind = line.request().kind().name().toLowerCase(java.util.Locale.ROOT);
                String model = String.valueOf(line.request().model());
                counters.add(RunCounters.usageCounter(false, kind, model), usage.promptTokens());
                counters.add(RunCounters.usageCounter(true, kind, model), usage.completionTokens());
            }
            return row;
        }
    }

    /** A failed line as its errors row, with the line's source and text; counts it by error type. */
    static final class Errors extends Counting<Failed<RequestLine>, ErrorRow> {
        private static final long serialVersionUID = 1L;
        private final RawResponse raw;

        Errors(RawResponse raw) {
            this.raw = raw;
        }

        @Override
        public ErrorRow map(Failed<RequestLine> failed) {
            RequestLine line = failed.input();
            counters.add(RunCounters.FAILED, 1);
            counters.add(RunCounters.ERRORS_PREFIX + failed.errorType(), 1);
            countAttempts(failed.attempts(), failed.retries());
            return new ErrorRow(line.customId(), failed.errorType(), failed.message(), failed.status(),
                    failed.attempts(), line.rawLine(), line.source(), raw == RawResponse.NONE ? null : failed.body());
        }
    }

    /** An answered line as the line of an OpenAI Batch results file: its body is always kept there. */
    static final class OpenAiResults implements MapFunction<Answered<RequestLine>, String> {
        private static final long serialVersionUID = 1L;
        private final boolean streamEvents;

        OpenAiResults(boolean streamEvents) {
            this.streamEvents = streamEvents;
        }

        @Override
        public String map(Answered<RequestLine> answered) {
            String id = answered.result() == null ? null : answered.result().id();
            return OpenAiBatchLines.result(answered.input().customId(), answered.status(), id,
                    keptBody(answered, streamEvents));
        }
    }
}
