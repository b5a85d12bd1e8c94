package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.api.request.CompletionsRequest;
import io.friendliflink.api.request.InferenceRequest;
import io.friendliflink.api.request.Prompt;
import io.friendliflink.emulator.Emulator;
import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.model.Generation;
import io.friendliflink.emulator.model.LanguageModel;
import io.friendliflink.emulator.model.TinyLanguageModel;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming: a run killed midway (the whole JVM, {@code destroyForcibly}) and run again with the same
 * configuration on the same output ends with every request's result exactly once, and no request that had
 * a committed result was sent a second time. The emulator runs in this JVM and counts the requests per
 * {@code custom_id} (each prompt names its id); the job runs as a separate process, as a scheduler runs it.
 */
class ResumeAfterKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 300;

    @TempDir
    Path dir;

    @Test
    void aKilledRunIsCompletedByRunningItAgainWithoutRepeatingCommittedRequests() throws Exception {
        Map<String, AtomicInteger> requestsPerId = new ConcurrentHashMap<>();
        LanguageModel counting = new CountingModel(new TinyLanguageModel(), requestsPerId);
        EmulatorConfig emulatorConfig = EmulatorConfig.builder()
                .host("127.0.0.1").port(0)
                .token("flp_resume_test_token")
                .timeToFirstToken(Duration.ofMillis(20))
                .timePerOutputToken(Duration.ofMillis(6))
                .build();
        try (Emulator emulator = Emulator.start(emulatorConfig, counting)) {
            Path input = dir.resolve("requests.jsonl");
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < REQUESTS; i++) {
                String id = String.format("req-%04d", i);
                lines.append("{\"custom_id\":\"").append(id).append("\",\"method\":\"POST\",\"url\":\"/v1/completions\","
                        + "\"body\":{\"model\":\"m\",\"prompt\":\"").append(id).append(" tell a story\","
                        + "\"max_tokens\":16,\"min_tokens\":16}}\n");
            }
            Files.writeString(input, lines);
            Path output = dir.resolve("out");
            Path token = Files.writeString(dir.resolve("token"), "flp_resume_test_token");
            Path config = dir.resolve("job.yaml");
            Files.writeString(config, """
                    input: {path: %s}
                    endpoint: {type: openai-compatible, base-url: "%s/v1", token-file: %s}
                    calls: {capacity: 4, adaptive: false}
                    output: {path: %s, commit-interval: 0s}
                    run: {parallelism: 2, checkpoint-interval: 500ms, progress-interval: 1s}
                    """.formatted(input, emulator.baseUrl(), token, output));

            Process first = start(config, dir.resolve("first.log"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (EvaluateModeTest.visibleParquet(output.resolve("results")).size() < 3
                    && first.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.sleep(50); // polling another process's output; nothing in this JVM to wait on
            }
            assertThat(first.isAlive()).as("the first run must still be running when killed; log: "
                    + Files.readString(dir.resolve("first.log"))).isTrue();
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

            List<String> committedAtKill = resultIds(output);
            assertThat(committedAtKill).as("some results were committed before the kill").isNotEmpty();
            assertThat(committedAtKill.size()).as("the kill came before the end").isLessThan(REQUESTS);
            Map<String, Integer> countsAtKill = snapshot(requestsPerId);

            Process second = start(config, dir.resolve("second.log"));
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.log"))).isZero();

            List<String> all = resultIds(output);
            assertThat(all).doesNotHaveDuplicates().hasSize(REQUESTS);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < REQUESTS; i++) {
                expected.add(String.format("req-%04d", i));
            }
            assertThat(new HashSet<>(all)).isEqualTo(expected);
            for (String id : committedAtKill) {
                assertThat(requestsPerId.get(id).get()).as("requests for %s, committed before the kill", id)
                        .isEqualTo(countsAtKill.get(id)).isEqualTo(1);
            }
            JsonNode summary = JSON.readTree(output.resolve("_SUMMARY.json").toFile());
            assertThat(summary.at("/lines/skipped_done").asInt()).isEqualTo(committedAtKill.size());
            assertThat(summary.at("/lines/succeeded").asInt()).isEqualTo(REQUESTS - committedAtKill.size());
            assertThat(EvaluateModeTest.visibleParquet(output.resolve("errors")).stream()
                    .mapToLong(ResumeAfterKillTest::rows).sum()).isZero();
        }
    }

    private Process start(Path config, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                BulkInferenceJob.class.getName(), "--config", config.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(new File(".")).start();
    }

    private static List<String> resultIds(Path output) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            for (Path f : EvaluateModeTest.visibleParquet(output.resolve("results"))) {
                try (ResultSet rs = st.executeQuery("SELECT custom_id FROM read_parquet('" + f + "')")) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
        }
        return ids;
    }

    private static long rows(Path file) {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + file + "')")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** The emulator's model, counting generations per id named at the start of the prompt. */
    private record CountingModel(LanguageModel delegate, Map<String, AtomicInteger> counts) implements LanguageModel {
        @Override
        public Generation generate(InferenceRequest request) {
            String prompt = ((Prompt.Text) ((CompletionsRequest) request).prompt()).text();
            counts.computeIfAbsent(prompt.substring(0, prompt.indexOf(' ')), k -> new AtomicInteger()).incrementAndGet();
            return delegate.generate(request);
        }

        @Override
        public List<Integer> tokenize(String text) {
            return delegate.tokenize(text);
        }

        @Override
        public String detokenize(List<Integer> tokens) {
            return delegate.detokenize(tokens);
        }

        @Override
        public int vocabularySize() {
            return delegate.vocabularySize();
        }
    }
}
