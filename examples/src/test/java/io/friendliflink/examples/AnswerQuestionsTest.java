package io.friendliflink.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.client.ApiToken;
import io.friendliflink.client.Deployment;
import io.friendliflink.client.EndpointConfig;
import io.friendliflink.emulator.Emulator;
import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.fault.Fault;
import io.friendliflink.examples.AnswerQuestions.Question;
import io.friendliflink.testing.FailOnceAfterACheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example job, as a user would run it, on a Flink MiniCluster against the emulator answering some requests
 * with {@code 503}: a task fails once after a checkpoint, the job restores from it, and every question ends
 * exactly once, as an answer or a failure.
 */
class AnswerQuestionsTest {
    private static final int PARALLELISM = 2;
    private static final long QUESTIONS = 400;
    /** Every such question asks for 0 tokens, which the API refuses: it must end as a failure, never sent. */
    private static final long INVALID_EVERY = 50;

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());

    private static final String FAILING = "answer-questions";

    @TempDir
    Path output;

    @Test
    void everyQuestionEndsExactlyOnceThroughAFailoverAndARestore() throws Exception {
        EmulatorConfig config = EmulatorConfig.builder()
                .timeToFirstToken(Duration.ofMillis(20))
                .fault(Fault.HTTP_503, 0.05)
                .build();
        try (Emulator emulator = Emulator.start(config)) {
            // The token travels as the name of its file, never as the token: the job graph is written to disk.
            Path token = Files.writeString(output.resolve("token"), "any-token");
            EndpointConfig endpoint = EndpointConfig.builder(emulator.baseUrl(), Deployment.SERVERLESS)
                    .token(ApiToken.inFile(token))
                    .attemptTimeout(Duration.ofSeconds(10))
                    .maxConnections(16)
                    .build();
            Configuration flink = new Configuration();
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
            flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.setParallelism(PARALLELISM);
            env.enableCheckpointing(200);

            DataStream<Question> questions = AnswerQuestions.questions(env, QUESTIONS, 100)
                    .map(q -> q.id() % INVALID_EVERY == 7 ? new Question(q.id(), q.text(), 0) : q)
                    .returns(TypeInformation.of(Question.class))
                    .map(new FailOnceAfterACheckpoint<>(FAILING, 60))
                    .returns(TypeInformation.of(Question.class))
                    // Across the network: the questions are serialized by Flink, as in a user's job.
                    .rebalance();
            AnswerQuestions.answer(questions, endpoint, "my-model",
                    new org.apache.flink.core.fs.Path(output.toUri()));
            env.execute("answer questions");
        }

        assertThat(FailOnceAfterACheckpoint.failuresThrown(FAILING)).as("a task failed once").isEqualTo(1);
        assertThat(FailOnceAfterACheckpoint.restoredAttempts(FAILING)).as("tasks ran again, restored")
                .isPositive();

        List<String> answers = lines(output.resolve("answers"));
        List<String> failures = lines(output.resolve("failures"));
        List<Long> ids = new ArrayList<>();
        answers.forEach(l -> ids.add(Long.parseLong(l.split("\t")[0])));
        failures.forEach(l -> ids.add(Long.parseLong(l.split("\t")[0])));
        assertThat(ids).as("each question once, as an answer or a failure")
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, QUESTIONS).boxed().toList());
        assertThat(failures).filteredOn(l -> l.split("\t")[1].equals("invalid_request"))
                .extracting(l -> Long.parseLong(l.split("\t")[0]))
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.range(0, QUESTIONS).filter(i -> i % INVALID_EVERY == 7).boxed().toList());
        assertThat(answers).allSatisfy(l -> assertThat(l.split("\t", 2)[1]).isNotBlank());

        // The operator's own metrics, of every attempt (a restored task counts again what it sends again).
        // Listed by group rather than by identifier: a restarted attempt registers the same identifiers again.
        List<Map.Entry<String, Metric>> metrics = metricsOfEveryAttempt();
        assertThat(sum(metrics, ".friendli.numSucceeded")).isGreaterThanOrEqualTo(answers.size());
        assertThat(sum(metrics, ".friendli.cause.invalid_request.numFailed"))
                .isGreaterThanOrEqualTo(QUESTIONS / INVALID_EVERY);
        assertThat(sum(metrics, ".friendli.cause.server_error.numRetries")).as("the 503s were retried").isPositive();
        assertThat(sum(metrics, ".friendli.numRequestsSent")).isGreaterThan(answers.size());
        assertThat(sum(metrics, ".friendli.numCompletionTokens")).isPositive();
        assertThat(metrics).anySatisfy(e -> assertThat(e.getKey()).endsWith(".friendli.inFlight"));
        assertThat(metrics.stream().filter(e -> e.getKey().endsWith(".friendli.latencyMs"))
                .mapToLong(e -> ((Histogram) e.getValue()).getCount()).sum()).isPositive();
    }

    private static List<Map.Entry<String, Metric>> metricsOfEveryAttempt() {
        List<Map.Entry<String, Metric>> all = new ArrayList<>();
        METRICS.getMetricsByGroup().forEach((group, byName) -> byName.forEach(
                (name, metric) -> all.add(Map.entry(group.getMetricIdentifier(name), metric))));
        return all;
    }

    private static long sum(List<Map.Entry<String, Metric>> metrics, String suffix) {
        return metrics.stream().filter(e -> e.getKey().endsWith(suffix))
                .mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
    }

    /** The committed lines of a FileSink's directory: in-progress and pending files are hidden ({@code .part-*}). */
    private static List<String> lines(Path dir) throws IOException {
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
