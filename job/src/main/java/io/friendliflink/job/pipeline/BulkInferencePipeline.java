package io.friendliflink.job.pipeline;

import io.friendliflink.datastream.FriendliInference;
import io.friendliflink.datastream.InferenceStreams;
import io.friendliflink.datastream.JsonSchemaCheck;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.lines.InputLine;
import io.friendliflink.lines.ParsedLine;
import io.friendliflink.lines.RequestLine;
import io.friendliflink.lines.RequestLineParser;
import io.friendliflink.sink.ErrorRow;
import io.friendliflink.sink.OpenAiBatchLines;
import io.friendliflink.sink.OpenAiBatchSinks;
import io.friendliflink.sink.ParquetSinkOptions;
import io.friendliflink.sink.ParquetSinks;
import io.friendliflink.sink.ResultRow;
import io.friendliflink.source.FileInput;
import io.friendliflink.source.KafkaInput;
import java.io.IOException;
import java.util.OptionalLong;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's dataflow: lines → parse → one per {@code custom_id} → async calls → results and errors in Parquet.
 *
 * <p>It runs in streaming mode with checkpoints for bounded and unbounded input alike: Parquet files are
 * committed on each checkpoint (and at the end of bounded input), so a run that fails and restores from a
 * checkpoint writes every row exactly once; requests in flight at the checkpoint are sent again.
 */
public final class BulkInferencePipeline {
    private BulkInferencePipeline() {}

    /**
     * Adds the job to {@code env}, counting a file input first if {@code run.state-backend: auto} needs its size.
     *
     * @param endpointBaseUrl the endpoint to call: {@code config.endpoint().baseUrl()}, or the embedded
     *     emulator's address
     * @return the state backend the run uses, and why
     */
    public static StateBackendChoice build(StreamExecutionEnvironment env, JobConfig config, String endpointBaseUrl) {
        OptionalLong lines = OptionalLong.empty();
        if (config.run().stateBackend() == JobConfig.StateBackend.AUTO) {
            try {
                lines = LineCounter.countInput(config.input());
            } catch (IOException e) {
                // Left uncounted: auto then takes RocksDB, which holds any number of lines.
            }
        }
        return build(env, config, endpointBaseUrl, lines, null);
    }

    /**
     * Adds the job to {@code env}.
     *
     * @param endpointBaseUrl the endpoint to call: {@code config.endpoint().baseUrl()}, or the embedded
     *     emulator's address
     * @param countedLines the file input's lines, counted before the run (empty: not counted), for
     *     {@code run.state-backend: auto}
     * @param sendGate the name of the {@link io.friendliflink.operator.SendGate} through which a program running
     *     the job in its own JVM stops the sending, or {@code null}
     * @return the state backend the run uses, and why
     */
    public static StateBackendChoice build(StreamExecutionEnvironment env, JobConfig config, String endpointBaseUrl,
            OptionalLong countedLines, String sendGate) {
        Configuration flink = new Configuration();
        // A failure below the job (a broken disk, a lost task manager) restarts from the last checkpoint a few
        // times; a failure that repeats (a bug, a missing class) must end the run, not loop forever.
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, config.run().restartAttempts());
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, config.run().restartDelay());
        // The endpoint is the bottleneck, so the network buffers before it are always full: an aligned
        // barrier would wait behind thousands of buffered lines and no checkpoint (so no commit of results)
        // would complete until they were all answered. Unaligned barriers overtake them.
        flink.set(CheckpointingOptions.ENABLE_UNALIGNED, config.run().unalignedCheckpoints());
        // The ids seen (state that grows with every request line) outgrow the 5 MiB a checkpoint may hold in
        // the job manager's memory, Flink's default storage without a checkpoint directory: with 1,000,000
        // lines on 2 subtasks checkpoints failed from ~300,000 lines on, and then the job. Unless the cluster
        // names a directory, checkpoints go to files beside the output.
        if (env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty()) {
            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    new Path(config.output().path(), "_checkpoints").toUri().toString());
        }
        // The ids seen grow with the input: on the heap ~100 bytes an id, all of it written by every checkpoint.
        // RocksDB keeps them on local disk, its memory bounded by the task manager's managed memory, and its
        // incremental checkpoints write only the files added since the last one.
        StateBackendChoice state = StateBackendChoice.of(config, countedLines, env.getConfiguration());
        if (state.setByJob()) {
            flink.set(StateBackendOptions.STATE_BACKEND, state.backend());
        }
        if (state.setByJob() && state.rocksDb()) {
            flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            // Nearly every lookup is of an id not seen yet: a Bloom filter answers those without reading the
            // files on disk. By name, so the job needs none of the backend's classes (the cluster has them).
            flink.setString("state.backend.rocksdb.use-bloom-filter", "true");
        }
        env.configure(flink);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(config.run().parallelism());
        env.enableCheckpointing(config.run().checkpointInterval().toMillis());

        DataStream<InputLine> lines = env.fromSource(source(config), WatermarkStrategy.noWatermarks(), "request lines")
                .uid("request-lines");

        RequestLineParser parser = new RequestLineParser(config.defaults(), config.input().maxRawLineChars());
        DataStream<ParsedLine> parsed = lines.map(new ParseLines(parser)).name("parse lines").uid("parse-lines");
        SingleOutputStreamOperator<RequestLine> unique = parsed.keyBy(ParsedLine::key)
                .process(new OneRowPerLine(config.resume().enabled() ? config.output().path().toString() : null))
                .name("one row per line").uid("one-row-per-line");

        JobConfig.Endpoint e = config.endpoint();
        JobConfig.Calls calls = config.calls();
        // The job is a user of the public API like any other: the request lines are its elements.
        // Each calling subtask paces its share of a told budget (BudgetShare: a quarter each at parallelism 4).
        // By id, a subtask's share of the lines is what the ids' hashes give it, so at the end of a bounded run
        // the subtasks with fewer lines stop while the others still have queues, and their shares of the
        // budget go unused (30% of a told limit used over a run whose ids hashed 60% to one of four subtasks,
        // 26% in its last quarter: BudgetShareEndToEndTest). Dealt in turn, every subtask gets the same number.
        InferenceStreams<RequestLine> called = FriendliInference.to(e.client(endpointBaseUrl, e.maxConnections()))
                .pacing(calls.pacing())
                .retry(calls.retry())
                .capacity(calls.capacity())
                .ordered(calls.ordered())
                .name("call-endpoint")
                .sendGate(sendGate)
                .spendCap(calls.spend())
                .checkOutput(new JsonSchemaCheck(), calls.invalidOutputRetries())
                .call(unique.rebalance(), RequestLine::request);
        JobConfig.Output out = config.output();
        SingleOutputStreamOperator<ResultRow> results = called.results()
                .map(new OutcomeRows.Results(out.rawResponse(), out.streamEvents()))
                .name("result rows").uid("result-rows");
        DataStream<ErrorRow> errors = unique.getSideOutput(OneRowPerLine.ERRORS)
                .union(called.failures().map(new OutcomeRows.Errors(out.rawResponse())).name("error rows")
                        .uid("error-rows"));

        Path output = out.path();
        long commitMillis = out.commitInterval().toMillis();
        // The rows are counted (for _SUMMARY.json) whichever files they go to, so the maps above always run.
        if (out.formats().contains(JobConfig.OutputFormat.PARQUET)) {
            ParquetSinkOptions options = ParquetSinkOptions.custom().compression(out.compression()).build();
            held(results, commitMillis, sendGate, "results").sinkTo(ParquetSinks.results(output, options))
                    .name("results parquet").uid("results-sink");
            held(errors, commitMillis, sendGate, "errors").sinkTo(ParquetSinks.errors(output, options))
                    .name("errors parquet").uid("errors-sink");
        } else {
            results.sinkTo(new DiscardingSink<>()).name("results counted").uid("results-counted");
            errors.sinkTo(new DiscardingSink<>()).name("errors counted").uid("errors-counted");
        }
        if (out.formats().contains(JobConfig.OutputFormat.OPENAI)) {
            DataStream<String> resultLines = called.results().map(new OutcomeRows.OpenAiResults(out.streamEvents()))
                    .name("openai result lines").uid("openai-result-lines");
            held(resultLines, commitMillis, sendGate, "openai-results").sinkTo(OpenAiBatchSinks.results(output))
                    .name("results openai").uid("openai-results-sink");
            DataStream<String> errorLines = errors.map(OpenAiBatchLines::error).name("openai error lines")
                    .uid("openai-error-lines");
            held(errorLines, commitMillis, sendGate, "openai-errors").sinkTo(OpenAiBatchSinks.errors(output))
                    .name("errors openai").uid("openai-errors-sink");
        }
        return state;
    }

    /** {@code rows} as they go to a file sink: held for {@code output.commit-interval} ({@link HeldRows}). */
    private static <T> DataStream<T> held(DataStream<T> rows, long commitMillis, String sendGate, String name) {
        if (commitMillis <= 0) {
            return rows;
        }
        return rows.transform("hold " + name, rows.getType(), new HeldRows<>(rows.getType(), commitMillis, sendGate))
                .uid("hold-" + name);
    }

    private static Source<InputLine, ?, ?> source(JobConfig config) {
        JobConfig.Input in = config.input();
        if (in.type() == JobConfig.InputType.FILE) {
            FileInput.Builder b = FileInput.builder(in.path());
            if (in.watch()) {
                b.monitorContinuously(in.discoveryInterval());
            }
            return b.build().createSource();
        }
        JobConfig.Kafka k = in.kafka();
        KafkaInput.Builder b = KafkaInput.builder()
                .bootstrapServers(k.bootstrapServers())
                .topics(k.topics())
                .groupId(k.groupId())
                .startingOffsets(k.startingOffsets())
                .properties(k.properties());
        if (k.bounded()) {
            b.bounded();
        } else {
            b.unbounded();
        }
        return b.build().createSource();
    }
}
