package io.friendliflink.job.config;

import io.friendliflink.client.ApiToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JobConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String SAMPLE = REPO.resolve("sample-data/requests.jsonl").toString();

    static Stream<Path> shippedConfigurations() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(REPO.resolve("conf"))) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("shippedConfigurations")
    void everyShippedConfigurationIsValid(Path file) {
        ObjectNode tree = ConfigLoader.load(file, List.of());
        // Paths in conf/ are relative to the repository root, where bin/run starts; tests run in job/.
        rootSampleDataPaths(tree);

        JobConfig config = JobConfig.from(tree);

        assertThat(config.output().path()).isNotNull();
    }

    private static void rootSampleDataPaths(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (value.isTextual() && value.asText().startsWith("sample-data/")) {
                    object.put(field.getKey(), REPO.resolve(value.asText()).toString());
                } else {
                    rootSampleDataPaths(value);
                }
            });
        }
    }

    private static JobConfig read(String yaml) throws IOException {
        return JobConfig.from(YAML.readTree(yaml));
    }

    @Test
    void aMinimalConfigurationTakesTheDocumentedDefaults() throws IOException {
        JobConfig config = read("input: {path: " + SAMPLE + "}\noutput: {path: out}\n");

        assertThat(config.endpoint().type()).isEqualTo(JobConfig.EndpointType.EMULATOR);
        assertThat(config.calls().capacity()).isEqualTo(256);
        assertThat(config.calls().ordered()).isFalse();
        assertThat(config.calls().retry().maxAttempts()).isEqualTo(8);
        assertThat(config.run().checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.isBounded()).isTrue();
    }

    @Test
    void aRealEndpointReadsItsTokenFromFriendliTokenUnlessToldOtherwise() throws IOException {
        JobConfig config = read("input: {path: " + SAMPLE + "}\noutput: {path: out}\nendpoint: {type: serverless}\n");

        assertThat(config.endpoint().baseUrl()).isEqualTo("https://api.friendli.ai");
        assertThat(config.endpoint().token()).isEqualTo(ApiToken.inEnv("FRIENDLI_TOKEN"));
    }

    @Test
    void aDedicatedEndpointIsNotRampedTowardsAQuotaByDefaultAndOtherEndpointsAre() throws IOException {
        String base = "input: {path: " + SAMPLE + "}\noutput: {path: out}\n";
        JobConfig dedicated = read(base + "endpoint: {type: dedicated}\n");
        JobConfig serverless = read(base + "endpoint: {type: serverless}\n");
        JobConfig told = read(base + "endpoint: {type: dedicated}\ncalls: {initial-requests-per-second: 5}\n");

        assertThat(dedicated.calls().pacing().initialRequestsPerSecond()).isZero();
        assertThat(dedicated.calls().pacing().adaptive()).isTrue();
        assertThat(serverless.calls().pacing().initialRequestsPerSecond()).isEqualTo(50);
        assertThat(told.calls().pacing().initialRequestsPerSecond()).isEqualTo(5);
    }

    @Test
    void theEmulatorsTransient429sAreConfiguredLikeItsOtherFaults() throws IOException {
        JobConfig config = read("input: {path: " + SAMPLE + "}\nendpoint: {type: emulator}\noutput: {path: out}\n"
                + "emulator: {faults: {429: 0.025, 429-retry-after: 0.025, 503: 0.02}}\n");

        assertThat(config.emulator().config().faults()).containsEntry(io.friendliflink.emulator.fault.Fault.HTTP_429, 0.025)
                .containsEntry(io.friendliflink.emulator.fault.Fault.HTTP_429_RETRY_AFTER, 0.025);
    }

    @Test
    void theEmbeddedEmulatorCanLeaveOutItsRateLimitHeaders() throws IOException {
        JobConfig quiet = read("input: {path: " + SAMPLE + "}\nendpoint: {type: emulator}\noutput: {path: out}\n"
                + "emulator: {requests-per-minute: 600, rate-limit-headers: false}\n");
        JobConfig plain = read("input: {path: " + SAMPLE + "}\nendpoint: {type: emulator}\noutput: {path: out}\n");

        assertThat(quiet.emulator().config().rateLimitHeaders()).isFalse();
        assertThat(quiet.emulator().config().requestsPerMinute()).isEqualTo(600);
        assertThat(plain.emulator().config().rateLimitHeaders()).isTrue();
    }

    @Test
    void reportsEveryMistakeAtOnceNamingEachKey() {
        assertThatThrownBy(() -> read("input: {type: kafka}\nendpoint: {type: openai-compatible}\n"
                        + "calls: {capacity: 0, initial-backoff: 2s, max-backoff: 1s}\n"
                        + "emulator: {time-to-first-token: 5ms}\nouput: {path: x}\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "input.kafka.bootstrap-servers: is required with input.type: kafka, e.g. localhost:9092",
                        "input.kafka.topics: is required with input.type: kafka: a list of topic names",
                        "endpoint.base-url: is required with endpoint.type: openai-compatible, e.g. http://localhost:8000/v1",
                        "calls.capacity: must be between 1 and 1000000, was 0",
                        "calls.max-backoff: must be at least calls.initial-backoff (2000ms), was 1000ms",
                        "output.path: is required: the folder results/, errors/ and _SUMMARY.json are written to",
                        "emulator: applies only with endpoint.type: emulator, but endpoint.type is openai-compatible",
                        "ouput: unknown key; known keys here are "
                                + "[mode, input, endpoint, emulator, defaults, pricing, calls, output, run, resume, evaluate, generate]"));
    }

    @Test
    void aMissingInputFileIsNamedWithItsAbsolutePath() {
        assertThatThrownBy(() -> read("input: {path: no/such/file.jsonl}\noutput: {path: out}\n"))
                .hasMessageContaining("input.path: does not exist: " + Path.of("no/such/file.jsonl").toAbsolutePath());
    }

    @Test
    void theEmulatorTakesNoBaseUrl() {
        assertThatThrownBy(() -> read("input: {path: " + SAMPLE + "}\noutput: {path: out}\n"
                        + "endpoint: {base-url: 'http://localhost:1'}\n"))
                .hasMessageContaining("endpoint.base-url: does not apply to the embedded emulator");
    }

    @Test
    void faultProbabilitiesMustAddUpToAtMostOne() {
        assertThatThrownBy(() -> read("input: {path: " + SAMPLE + "}\noutput: {path: out}\n"
                        + "emulator: {faults: {500: 0.6, reset: 0.6}}\n"))
                .hasMessageContaining("emulator.faults: probabilities add up to 1.2");
    }

    @Test
    void bodyDefaultsAreKeptPerKind() throws IOException {
        JobConfig config = read("input: {path: " + SAMPLE + "}\noutput: {path: out}\n"
                + "defaults: {model: m, body: {temperature: 0.5}, chat: {logprobs: true}, completions: {logprobs: 2}}\n");

        assertThat(config.defaults().toString()).contains("\"model\":\"m\"").contains("\"temperature\":0.5")
                .contains("CHAT_COMPLETIONS={\"logprobs\":true}").contains("COMPLETIONS={\"logprobs\":2}");
    }

    @Test
    void theStateBackendIsChosenAutomaticallyUnlessNamed() throws IOException {
        String base = "input: {path: " + SAMPLE + "}\noutput: {path: out}\n";

        assertThat(read(base).run().stateBackend()).isEqualTo(JobConfig.StateBackend.AUTO);
        assertThat(read(base + "run: {state-backend: rocksdb}\n").run().stateBackend())
                .isEqualTo(JobConfig.StateBackend.ROCKSDB);
        assertThat(read(base + "run: {state-backend: HashMap}\n").run().stateBackend())
                .isEqualTo(JobConfig.StateBackend.HASHMAP);
    }

    @Test
    void anUnknownStateBackendIsRefusedNamingTheChoices() {
        assertThatThrownBy(() -> read("input: {path: " + SAMPLE + "}\noutput: {path: out}\n"
                        + "run: {state-backend: filesystem}\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "run.state-backend: must be one of [auto, hashmap, rocksdb], was filesystem"));
    }

    @Test
    void aBudgetSmallerThanTheParallelismIsRefusedAtStart() {
        assertThatThrownBy(() -> read("input: {path: " + SAMPLE + "}\noutput: {path: out}\n"
                        + "calls: {requests-per-minute: 3}\nrun: {parallelism: 4}\n"))
                .hasMessageContaining("calls: requests-per-minute 3 is smaller than run.parallelism 4");
    }
}
