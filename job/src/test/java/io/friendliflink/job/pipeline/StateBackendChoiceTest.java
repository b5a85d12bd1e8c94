package io.friendliflink.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.job.config.ConfigLoader;
import io.friendliflink.job.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateBackendChoiceTest {
    private static final Configuration NO_CLUSTER_SETTING = new Configuration();

    @TempDir
    Path dir;

    private JobConfig fileInput(String... keys) throws Exception {
        Path input = dir.resolve("requests.jsonl");
        Files.writeString(input, "{}\n");
        List<String> all = new ArrayList<>(List.of("input.path=" + input, "output.path=" + dir.resolve("out")));
        all.addAll(List.of(keys));
        return JobConfig.from(ConfigLoader.load(null, all));
    }

    private JobConfig kafkaInput(boolean bounded) {
        return JobConfig.from(ConfigLoader.load(null, List.of("input.type=kafka",
                "input.kafka.bootstrap-servers=127.0.0.1:9092", "input.kafka.topics=[requests]",
                "input.kafka.bounded=" + bounded, "output.path=" + dir.resolve("out"))));
    }

    @Test
    void autoKeepsACountedFileOfAtMostTheLimitOnTheHeap() throws Exception {
        StateBackendChoice choice = StateBackendChoice.of(fileInput(),
                OptionalLong.of(JobConfig.StateBackend.AUTO_HEAP_MAX_LINES), NO_CLUSTER_SETTING);

        assertThat(choice.backend()).isEqualTo("hashmap");
        assertThat(choice.setByJob()).isTrue();
        assertThat(choice.reason()).isEqualTo("auto: 500000 input lines, at most 500000 kept on the heap");
    }

    @Test
    void autoTakesRocksDbForAFileOfMoreLinesThanTheLimit() throws Exception {
        StateBackendChoice choice = StateBackendChoice.of(fileInput(),
                OptionalLong.of(JobConfig.StateBackend.AUTO_HEAP_MAX_LINES + 1), NO_CLUSTER_SETTING);

        assertThat(choice.backend()).isEqualTo("rocksdb");
        assertThat(choice.rocksDb()).isTrue();
        assertThat(choice.reason()).isEqualTo("auto: 500001 input lines, more than 500000 kept on the heap");
    }

    @Test
    void autoTakesRocksDbWhenTheInputsSizeIsNotKnown() throws Exception {
        assertThat(StateBackendChoice.of(kafkaInput(false), OptionalLong.empty(), NO_CLUSTER_SETTING).backend())
                .as("unbounded Kafka").isEqualTo("rocksdb");
        assertThat(StateBackendChoice.of(kafkaInput(true), OptionalLong.empty(), NO_CLUSTER_SETTING).backend())
                .as("bounded Kafka").isEqualTo("rocksdb");
        assertThat(StateBackendChoice.of(fileInput("input.watch=true"), OptionalLong.empty(), NO_CLUSTER_SETTING)
                .backend()).as("a watched path").isEqualTo("rocksdb");
        assertThat(StateBackendChoice.of(fileInput(), OptionalLong.empty(), NO_CLUSTER_SETTING).reason())
                .as("a file not counted").isEqualTo("auto: the input lines were not counted");
    }

    @Test
    void aNamedBackendIsUsedWhateverTheInputOrTheCluster() throws Exception {
        Configuration cluster = new Configuration();
        cluster.set(StateBackendOptions.STATE_BACKEND, "rocksdb");

        StateBackendChoice heap = StateBackendChoice.of(fileInput("run.state-backend=hashmap"),
                OptionalLong.of(10_000_000), cluster);
        StateBackendChoice rocks = StateBackendChoice.of(fileInput("run.state-backend=rocksdb"),
                OptionalLong.of(1), NO_CLUSTER_SETTING);

        assertThat(heap).isEqualTo(new StateBackendChoice("hashmap", true, "run.state-backend: hashmap"));
        assertThat(rocks).isEqualTo(new StateBackendChoice("rocksdb", true, "run.state-backend: rocksdb"));
    }

    @Test
    void autoLeavesTheBackendToAClusterThatNamesOne() throws Exception {
        Configuration cluster = new Configuration();
        cluster.set(StateBackendOptions.STATE_BACKEND, "forst");

        StateBackendChoice choice = StateBackendChoice.of(fileInput(), OptionalLong.of(1), cluster);

        assertThat(choice).isEqualTo(new StateBackendChoice("forst", false, "the cluster's state.backend.type"));
    }

    @Test
    void theBuiltJobCarriesTheChosenBackendAndIncrementalCheckpointsForRocksDb() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());

        StateBackendChoice choice = BulkInferencePipeline.build(env, fileInput(), "http://127.0.0.1:1",
                OptionalLong.of(JobConfig.StateBackend.AUTO_HEAP_MAX_LINES + 1), null);

        assertThat(choice.rocksDb()).isTrue();
        ReadableConfig job = env.getConfiguration();
        assertThat(job.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(job.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(job.get(ConfigOptions.key("state.backend.rocksdb.use-bloom-filter").booleanType().noDefaultValue()))
                .isTrue();
    }

    @Test
    void theOneArgumentShorterBuildCountsTheFileItself() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());

        StateBackendChoice choice = BulkInferencePipeline.build(env, fileInput(), "http://127.0.0.1:1");

        assertThat(choice.reason()).isEqualTo("auto: 1 input lines, at most 500000 kept on the heap");
        assertThat(env.getConfiguration().get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(env.getConfiguration().get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    }
}
