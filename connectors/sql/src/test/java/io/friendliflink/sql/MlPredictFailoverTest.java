package io.friendliflink.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.emulator.Emulator;
import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.fault.Fault;
import io.friendliflink.testing.FailOnceAfterACheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.LongStream;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming {@code ML_PREDICT} query with checkpoints, a task that fails once after a checkpoint, and a restore:
 * every row of the source ends in the committed output exactly once.
 */
class MlPredictFailoverTest {
    private static final int PARALLELISM = 2;
    private static final int ROWS = 400;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());

    private static final String FAILING = "ml-predict-failover";

    @TempDir
    Path dir;

    @Test
    void everyRowEndsOnceThroughAFailoverAndARestore() throws Exception {
        EmulatorConfig config = EmulatorConfig.builder()
                .timeToFirstToken(Duration.ofMillis(30))
                .fault(Fault.HTTP_503, 0.05)
                .build();
        Path output = dir.resolve("answers");
        try (Emulator emulator = Emulator.start(config)) {
            Configuration flink = new Configuration();
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
            flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.setParallelism(PARALLELISM);
            env.enableCheckpointing(200);
            StreamTableEnvironment t = StreamTableEnvironment.create(env);

            // A checkpointed source that replays from its last checkpoint, at a pace that spans many checkpoints.
            t.executeSql("CREATE TABLE ids (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '100',"
                    + " 'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '" + (ROWS - 1) + "')");
            t.executeSql("CREATE TEMPORARY VIEW questions AS SELECT id, CONCAT('Question ', CAST(id AS STRING),"
                    + " '?') AS question FROM ids");
            Path token = Files.writeString(dir.resolve("token"), "any-token");
            t.executeSql("CREATE MODEL answerer INPUT (prompt STRING) OUTPUT (text STRING, error_type STRING) WITH ("
                    + "'provider' = 'friendli', 'endpoint' = 'serverless', 'base-url' = '" + emulator.baseUrl() + "', "
                    + "'token-file' = '" + token + "', 'model' = 'emulated-model', 'body.max_tokens' = '4', "
                    + "'retry.initial-backoff' = '20ms')");

            DataStream<Row> answers = t.toDataStream(t.sqlQuery("SELECT id, text, error_type FROM"
                    + " ML_PREDICT(TABLE questions, MODEL answerer, DESCRIPTOR(question))"));
            answers.map(new FailOnceAfterACheckpoint<>(FAILING, 60)).returns(answers.getType())
                    .map(r -> r.getField("id") + "\t" + r.getField("error_type"))
                    .sinkTo(FileSink.forRowFormat(new org.apache.flink.core.fs.Path(output.toUri()),
                            new SimpleStringEncoder<String>()).build());
            env.execute("ml_predict with a failover");
        }

        assertThat(FailOnceAfterACheckpoint.failuresThrown(FAILING)).as("a task failed once").isEqualTo(1);
        assertThat(FailOnceAfterACheckpoint.restoredAttempts(FAILING)).as("tasks ran again, restored")
                .isPositive();
        List<String> lines = committedLines(output);
        assertThat(lines).extracting(l -> Long.parseLong(l.split("\t")[0])).as("every row once")
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, ROWS).boxed().toList());
        assertThat(lines).as("answered, the 503s retried").allSatisfy(l -> assertThat(l).endsWith("\tnull"));
    }

    /** The committed lines of a FileSink's directory: in-progress and pending files are hidden ({@code .part-*}). */
    private static List<String> committedLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }
}
