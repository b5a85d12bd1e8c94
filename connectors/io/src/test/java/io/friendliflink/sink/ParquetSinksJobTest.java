package io.friendliflink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Jobs on a mini cluster write through the sinks; the files are read back with parquet-avro and DuckDB. */
class ParquetSinksJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    static Path shared;

    private static Path batchOutput;

    @Test
    void batchJobCommitsEveryRowOnceAsZstdParquetPartFiles() throws Exception {
        Path output = batchOutput();

        for (String dir : List.of(ParquetSinks.RESULTS_DIR, ParquetSinks.ERRORS_DIR)) {
            List<Path> files = ParquetFiles.allFiles(output.resolve(dir));
            assertThat(files).isNotEmpty().allSatisfy(file -> {
                assertThat(file.getFileName().toString()).startsWith("part-").endsWith(".parquet");
                assertThat(ParquetFiles.codecs(file)).containsExactly("ZSTD");
            });
        }
        assertThat(ParquetFiles.readResults(output.resolve(ParquetSinks.RESULTS_DIR)))
                .containsExactlyInAnyOrderElementsOf(
                        SampleRows.results().stream().map(ParquetFiles::asStored).toList());
        assertThat(ParquetFiles.readErrors(output.resolve(ParquetSinks.ERRORS_DIR)))
                .containsExactlyInAnyOrderElementsOf(SampleRows.errors());
    }

    @Test
    void streamingJobCommitsOnEveryCheckpointAndExactlyOnceAcrossAFailure(@TempDir Path output) throws Exception {
        Configuration conf = jobConfiguration(RuntimeExecutionMode.STREAMING);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(50);
        env.setParallelism(2);
        int count = 500;
        // 100 rows per checkpoint: several checkpoints commit files before the injected failure at row 400.
        DataGeneratorSource<ResultRow> source = new DataGeneratorSource<>(SampleRows::result, count,
                RateLimiterStrategy.perCheckpoint(100), TypeInformation.of(ResultRow.class));
        FailOnce.failures.set(0);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "results")
                .map(new FailOnce(SampleRows.result(400).customId()))
                .sinkTo(ParquetSinks.results(flinkPath(output), ParquetSinkOptions.ofDefaults()));

        env.execute("streaming parquet sink with a failure");

        assertThat(FailOnce.failures).hasValue(1);
        Path results = output.resolve(ParquetSinks.RESULTS_DIR);
        List<Path> visible = ParquetFiles.visibleFiles(results);
        assertThat(visible)
                .hasSizeGreaterThanOrEqualTo(4) // rolled on several checkpoints, by two subtasks
                .allSatisfy(file -> assertThat(file.getFileName().toString()).matches("part-.*\\.parquet"));
        // The failed attempt's open file may stay behind, hidden and never committed.
        assertThat(ParquetFiles.allFiles(results))
                .filteredOn(file -> !visible.contains(file))
                .allSatisfy(file -> assertThat(file.getFileName().toString())
                        .matches("\\.part-.*\\.parquet\\.inprogress\\..*"));
        assertThat(ParquetFiles.readResults(output.resolve(ParquetSinks.RESULTS_DIR)))
                .containsExactlyInAnyOrderElementsOf(
                        SampleRows.manyResults(count).stream().map(ParquetFiles::asStored).toList());
    }

    /** Fails the first attempt of the job when it sees one row. */
    private static final class FailOnce extends RichMapFunction<ResultRow, ResultRow> {
        static final AtomicInteger failures = new AtomicInteger();
        private final String failAt;

        FailOnce(String failAt) {
            this.failAt = failAt;
        }

        @Override
        public ResultRow map(ResultRow row) {
            if (row.customId().equals(failAt) && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
                failures.incrementAndGet();
                throw new IllegalStateException("injected failure at " + failAt);
            }
            return row;
        }
    }

    @Test
    void duckDbQueriesTheNestedColumnsDirectly() throws Exception {
        String results = glob(batchOutput().resolve(ParquetSinks.RESULTS_DIR));

        List<Tuple> rows = query(
                "SELECT custom_id, model, len(choices), choices[1].finish_reason, choices[1].text,"
                        + " choices[1].logprobs[1].token, choices[1].logprobs[1].top_logprobs[2].token,"
                        + " choices[1].logprobs[1].top_logprobs[2].logprob, choices[1].logprobs[2].logprob,"
                        + " choices[1].tool_calls[2].name, choices[2].seed, choices[1].tokens[5],"
                        + " usage.prompt_tokens, usage.cached_tokens"
                        + " FROM read_parquet('" + results + "') ORDER BY custom_id",
                14);

        assertThat(rows).containsExactly(
                tuple("req-chat-logprobs", "meta-llama-3.1-8b-instruct", 1L, "stop", "Hello 👋",
                        "Hello", "Hi", -4.5, -1.75, null, null, null, 12, 8),
                tuple("req-chat-tools", "endpoint-abc", 1L, "tool_calls", null,
                        null, null, null, null, "get_time", null, null, 40, null),
                tuple("req-completions", "endpoint-xyz:lora-1", 2L, "stop", "This is indeed a test",
                        "This", "That", -1.2, Double.NEGATIVE_INFINITY, null, 43L, 1296, 7, 0),
                tuple("req-minimal", null, 1L, null, "",
                        null, null, null, null, null, null, null, null, null),
                tuple("req-no-choices", "m", 0L, null, null,
                        null, null, null, null, null, null, null, 3, null));
    }

    @Test
    void duckDbReadsErrorsAndSeesZstdInTheFooters() throws Exception {
        Path output = batchOutput();
        String errors = glob(output.resolve(ParquetSinks.ERRORS_DIR));
        String results = glob(output.resolve(ParquetSinks.RESULTS_DIR));

        assertThat(query("SELECT custom_id, error_type, http_status, attempts, input_line FROM read_parquet('"
                        + errors + "') ORDER BY attempts, custom_id NULLS FIRST", 5))
                .containsExactly(
                        tuple(null, "invalid_json", null, 0, "{\"custom_id\": \"x"),
                        tuple("req-bad-temp", "invalid_request", null, 0, "{\"custom_id\":\"req-bad-temp\",\"body\":{}}"),
                        tuple("req-422", "http_error", 422, 1, "{\"custom_id\":\"req-422\"}"),
                        tuple("req-reset", "transport", null, 3, "{\"custom_id\":\"req-reset\",\"prompt\":\"日本語\"}"),
                        tuple("req-429", "retries_exhausted", 429, 5, "{\"custom_id\":\"req-429\"}"));
        assertThat(query("SELECT DISTINCT compression FROM parquet_metadata('" + results + "')", 1))
                .containsExactly(tuple("ZSTD"));
    }

    /** The output of one batch job, shared by the tests that only read it. */
    private static synchronized Path batchOutput() throws Exception {
        if (batchOutput == null) {
            Path output = shared.resolve("batch");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(RuntimeExecutionMode.BATCH));
            env.setParallelism(2);
            env.fromData(SampleRows.results(), TypeInformation.of(ResultRow.class))
                    .rebalance()
                    .sinkTo(ParquetSinks.results(flinkPath(output), ParquetSinkOptions.ofDefaults()));
            env.fromData(SampleRows.errors(), TypeInformation.of(ErrorRow.class))
                    .rebalance()
                    .sinkTo(ParquetSinks.errors(flinkPath(output), ParquetSinkOptions.ofDefaults()));
            env.execute("batch parquet sinks");
            batchOutput = output;
        }
        return batchOutput;
    }

    private static Configuration jobConfiguration(RuntimeExecutionMode mode) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, mode);
        // Fail the job if any part of a row would fall back to Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path dir) {
        return new org.apache.flink.core.fs.Path(dir.toUri());
    }

    private static String glob(Path dir) {
        return dir.toAbsolutePath() + "/*.parquet";
    }

    private static List<Tuple> query(String sql, int columns) throws SQLException {
        List<Tuple> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                Object[] values = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    values[i] = rs.getObject(i + 1);
                }
                rows.add(new Tuple(values));
            }
        }
        return rows;
    }

}
