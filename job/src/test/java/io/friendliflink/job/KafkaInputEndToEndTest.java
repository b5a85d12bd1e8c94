package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.fault.Fault;
import io.friendliflink.job.config.ConfigLoader;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.testing.KafkaBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole job reading request lines from a real Kafka broker in this JVM, up to the offsets at start. */
class KafkaInputEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = E2e.miniCluster();

    @TempDir
    Path dir;

    @Test
    void everyRecordOfAThreePartitionTopicEndsAsExactlyOneRowHoldingWhatTheEmulatorAnswered() throws Exception {
        RequestMix mix = RequestMix.withBadLines(240);
        Path output = dir.resolve("out");
        // Some faults on, so retries happen while the partitions are read.
        EmulatorConfig.Builder emulatorConfig = EmulatorConfig.builder().seed(3)
                .fault(Fault.HTTP_503, 0.1)
                .fault(Fault.CONNECTION_RESET, 0.1);

        JobExecutionResult result;
        try (KafkaBroker kafka = KafkaBroker.start();
                E2e.TokenEmulator emulator = E2e.TokenEmulator.start(emulatorConfig, dir);
                E2e.TokenEmulator reference = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            kafka.createTopic("requests", 3);
            kafka.send("requests", mix.lines());
            List<String> keys = new ArrayList<>(List.of(
                    "input.type=kafka",
                    "input.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "input.kafka.topics=[requests]",
                    "input.kafka.group-id=e2e",
                    "input.kafka.bounded=true",
                    "output.path=" + output,
                    "calls.max-attempts=30"));
            keys.addAll(E2e.endpointAndCalls(emulator));
            JobConfig config = JobConfig.from(ConfigLoader.load(null, keys));

            result = E2e.run(config, emulator.baseUrl());

            RunOutput out = RunOutput.read(output);
            // Lines of one id may sit in different partitions: either may be the one sent.
            E2e.assertEveryLineEndsOnce(mix, out, false);
            assertThat(out.errorsById().keySet()).as("errors of sent requests")
                    .containsExactlyInAnyOrderElementsOf(mix.rejectedWithId().keySet());
            reference.answers().assertResultsMatch(mix.sent(out.errorsOfType("duplicate_custom_id")), out.resultsById());
        }
        assertThat(E2e.counter(result, "succeeded")).isEqualTo(mix.requests().size());
        assertThat(E2e.counter(result, "retries.server_error")).isPositive();
        assertThat(E2e.counter(result, "retries.connection")).isPositive();
    }
}
