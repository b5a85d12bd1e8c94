package io.friendliflink.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.api.ApiKind;
import io.friendliflink.client.ApiToken;
import io.friendliflink.client.Deployment;
import io.friendliflink.client.EndpointConfig;
import io.friendliflink.emulator.fault.Fault;
import io.friendliflink.job.eval.EvaluateSettings;
import io.friendliflink.job.generate.GenerateSettings;
import io.friendliflink.job.resume.ResumeSettings;
import io.friendliflink.operator.PacingSettings;
import io.friendliflink.policy.RetryPolicy;
import io.friendliflink.sink.ParquetCompression;
import io.friendliflink.source.KafkaInput;
import io.friendliflink.lines.RequestDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole job's configuration, read from a YAML tree and validated once, at start.
 *
 * <p>Every key is documented in the README's configuration reference; {@link #from(JsonNode)} reports every
 * problem at once, each naming its key, and refuses unknown keys.
 */
public record JobConfig(
        Input input,
        Endpoint endpoint,
        EmulatorSettings emulator,
        RequestDefaults defaults,
        Calls calls,
        Output output,
        Run run,
        Mode mode,
        EvaluateSettings evaluate,
        GenerateSettings generate,
        ResumeSettings resume) {

    /** What the job does with its input. */
    public enum Mode {
        /** Request lines (OpenAI batch JSONL) from {@code input}, answers to {@code results/}. */
        REQUESTS,
        /** Multiple-choice questions from {@code evaluate.input}, scored into {@code evaluation/}. */
        EVALUATE,
        /** Rows from {@code generate.input} through a prompt template, samples into {@code dataset/}. */
        GENERATE
    }

    /** Where the evaluate and generate modes write the request lines they make (hidden from output readers). */
    public static final String REQUESTS_FILE = "_requests/requests.jsonl";

    /** This configuration with another endpoint (the embedded emulator's). */
    public JobConfig withEndpoint(Endpoint other) {
        return new JobConfig(input, other, emulator, defaults, calls, output, run, mode, evaluate, generate, resume);
    }

    /** Where request lines come from. */
    public enum InputType { FILE, KAFKA }

    /** What answers the requests: the embedded emulator, or an endpoint of a deployment kind. */
    public enum EndpointType { EMULATOR, SERVERLESS, DEDICATED, OPENAI_COMPATIBLE }

    /**
     * @param path a JSONL file or directory (file input)
     * @param watch keep watching {@code path} for new files (an unbounded run)
     * @param maxRawLineChars how much of a bad line an error row keeps
     */
    public record Input(
            InputType type,
            String path,
            boolean watch,
            Duration discoveryInterval,
            Kafka kafka,
            int maxRawLineChars) {}

    /** Kafka input. */
    public record Kafka(
            String bootstrapServers,
            List<String> topics,
            String groupId,
            KafkaInput.StartingOffsets startingOffsets,
            boolean bounded,
            Map<String, String> properties) {}

    /** The endpoint; {@code baseUrl} is {@code null} for the emulator, which picks its own port. */
    public record Endpoint(
            EndpointType type,
            String baseUrl,
            String tokenEnv,
            String tokenFile,
            String teamId,
            Duration attemptTimeout,
            Duration connectTimeout,
            int maxConnections) {

        public Deployment deployment() {
            switch (type) {
                case DEDICATED:
                    return Deployment.DEDICATED;
                case OPENAI_COMPATIBLE:
                    return Deployment.OPENAI_COMPATIBLE;
                default:
                    return Deployment.SERVERLESS;
            }
        }

        /**
         * The client's configuration for this endpoint, the token read where it is used.
         *
         * @param address the endpoint to call: {@link #baseUrl()}, or the embedded emulator's address
         * @param connections the most connections to open (a caller may cap {@link #maxConnections()})
         */
        public EndpointConfig client(String address, int connections) {
            EndpointConfig.Builder b = EndpointConfig.builder(address, deployment())
                    .token(token())
                    .attemptTimeout(attemptTimeout)
                    .connectTimeout(connectTimeout)
                    .maxConnections(connections);
            if (teamId != null) {
                b.teamId(teamId);
            }
            return b.build();
        }

        /** Where the token is; not read here. */
        public ApiToken token() {
            return tokenEnv != null ? ApiToken.inEnv(tokenEnv)
                    : tokenFile != null ? ApiToken.inFile(Path.of(tokenFile))
                    : ApiToken.none();
        }
    }

    /** The embedded emulator's behaviour; used only with {@code endpoint.type: emulator}. */
    public record EmulatorSettings(
            Duration timeToFirstToken,
            Duration timePerOutputToken,
            double jitter,
            long seed,
            int requestsPerMinute,
            long tokensPerMinute,
            boolean retryAfter,
            boolean rateLimitHeaders,
            int concurrency,
            Map<Fault, Double> faults) {}

    /** How requests are sent: in-flight capacity, pacing and retries. */
    public record Calls(int capacity, boolean ordered, PacingSettings pacing, RetryPolicy retry) {}

    /** Where and how the Parquet output is written. */
    public record Output(Path path, ParquetCompression compression) {}

    /**
     * Where the job keeps its keyed state: the {@code custom_id}s seen, one entry per request line. On the heap it
     * costs ~100 bytes an id (reachable after a full collection) and every checkpoint writes all of it; RocksDB
     * keeps it on local disk (incremental checkpoints), so the heap stays flat however many lines come, for
     * 4-8% more CPU per request against an endpoint that answers at once (docs/benchmarks.md, figure 4).
     */
    public enum StateBackend {
        /** {@link #HASHMAP} for a counted file input of at most {@link #AUTO_HEAP_MAX_LINES} lines, else RocksDB. */
        AUTO,
        /** Flink's heap backend (its own default). */
        HASHMAP,
        /** Flink's embedded RocksDB backend, with incremental checkpoints. */
        ROCKSDB;

        /** The most input lines {@link #AUTO} keeps on the heap: ~50 MiB of ids. */
        public static final long AUTO_HEAP_MAX_LINES = 500_000;
    }

    /**
     * How the Flink job runs.
     *
     * @param maxFailedShare the largest share of lines without a result (failed requests and bad lines) with which
     *     a finished run still counts as finished (status {@code FINISHED_WITH_ERRORS}, exit code 3); above it the
     *     run is {@code FAILED} (exit code 1)
     */
    public record Run(
            String name,
            int parallelism,
            Duration checkpointInterval,
            Duration progressInterval,
            int restartAttempts,
            Duration restartDelay,
            boolean unalignedCheckpoints,
            StateBackend stateBackend,
            double maxFailedShare) {}

    public static JobConfig from(JsonNode tree) {
        ConfigSection root = ConfigSection.root(tree);
        Mode mode = root.enumValue("mode", Mode.class, Mode.REQUESTS);
        Input input = null;
        if (mode == Mode.REQUESTS) {
            input = input(root.section("input"));
        } else if (root.objectValue("input") != null) {
            root.problem("input", "applies only to mode: requests; mode " + mode.name().toLowerCase()
                    + " reads its rows from " + mode.name().toLowerCase() + ".input");
        }
        Endpoint endpoint = endpoint(root.section("endpoint"));
        EmulatorSettings emulator = emulator(root.section("emulator"));
        ConfigSection defaultsSection = root.section("defaults");
        String model = defaultsSection.string("model", null);
        RequestDefaults defaults = defaults(defaultsSection);
        Calls calls = calls(root.section("calls"), endpoint.type());
        Output output = output(root.section("output"));
        Run run = run(root.section("run"));
        // Each subtask gets its share of a budget; a share of zero could never send.
        if (calls.pacing().requestsPerMinute() > 0 && calls.pacing().requestsPerMinute() < run.parallelism()) {
            root.problem("calls", "requests-per-minute " + calls.pacing().requestsPerMinute()
                    + " is smaller than run.parallelism " + run.parallelism() + ": lower the parallelism");
        }
        if (calls.pacing().tokensPerMinute() > 0 && calls.pacing().tokensPerMinute() < run.parallelism()) {
            root.problem("calls", "tokens-per-minute " + calls.pacing().tokensPerMinute()
                    + " is smaller than run.parallelism " + run.parallelism() + ": lower the parallelism");
        }
        ResumeSettings resume = ResumeSettings.from(root.section("resume"));
        EvaluateSettings evaluate = null;
        GenerateSettings generate = null;
        if (mode == Mode.EVALUATE) {
            evaluate = EvaluateSettings.from(root.section("evaluate"), model);
        } else if (root.objectValue("evaluate") != null) {
            root.problem("evaluate", "applies only to mode: evaluate, but mode is " + mode.name().toLowerCase());
        }
        if (mode == Mode.GENERATE) {
            generate = GenerateSettings.from(root.section("generate"));
        } else if (root.objectValue("generate") != null) {
            root.problem("generate", "applies only to mode: generate, but mode is " + mode.name().toLowerCase());
        }
        if (mode != Mode.REQUESTS && output.path() != null) {
            input = new Input(InputType.FILE, output.path().resolve(REQUESTS_FILE).toString(), false,
                    Duration.ofSeconds(10), new Kafka(null, List.of(), "friendli-bulk-inference",
                            KafkaInput.StartingOffsets.EARLIEST, true, Map.of()), 1 << 16);
        }
        if (endpoint.type() != EndpointType.EMULATOR && root.has("emulator")) {
            root.problem("emulator", "applies only with endpoint.type: emulator, but endpoint.type is "
                    + endpoint.type().name().toLowerCase().replace('_', '-'));
        }
        root.finish();
        return new JobConfig(input, endpoint, emulator, defaults, calls, output, run, mode, evaluate, generate, resume);
    }

    /** Whether the input ends (a file read once, or Kafka up to the offsets at start). */
    public boolean isBounded() {
        return input.type() == InputType.FILE ? !input.watch() : input.kafka().bounded();
    }

    private static Input input(ConfigSection s) {
        InputType type = s.enumValue("type", InputType.class, InputType.FILE);
        String path = s.string("path", null);
        boolean watch = s.bool("watch", false);
        Duration interval = s.duration("discovery-interval", Duration.ofSeconds(10), Duration.ofMillis(100));
        int maxRaw = s.intValue("max-raw-line-chars", 8192, 16, 1 << 24);
        ConfigSection k = s.section("kafka");
        Kafka kafka = kafka(k, type == InputType.KAFKA);
        if (type == InputType.FILE) {
            if (path == null || path.isBlank()) {
                s.problem("path", "is required with input.type: file: a JSONL file or a directory of them");
            } else if (!Files.exists(Path.of(path))) {
                s.problem("path", "does not exist: " + Path.of(path).toAbsolutePath());
            }
        }
        return new Input(type, path, watch, interval, kafka, maxRaw);
    }

    private static Kafka kafka(ConfigSection s, boolean used) {
        String servers = s.string("bootstrap-servers", null);
        List<String> topics = s.stringList("topics", List.of());
        String group = s.string("group-id", "friendli-bulk-inference");
        KafkaInput.StartingOffsets offsets = s.enumValue("starting-offsets", KafkaInput.StartingOffsets.class,
                KafkaInput.StartingOffsets.EARLIEST);
        boolean bounded = s.bool("bounded", true);
        Map<String, String> properties = new LinkedHashMap<>();
        ObjectNode props = s.objectValue("properties");
        if (props != null) {
            props.fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue().asText()));
        }
        if (used) {
            if (servers == null || servers.isBlank()) {
                s.problem("bootstrap-servers", "is required with input.type: kafka, e.g. localhost:9092");
            }
            if (topics.isEmpty()) {
                s.problem("topics", "is required with input.type: kafka: a list of topic names");
            }
        }
        return new Kafka(servers, topics, group, offsets, bounded, properties);
    }

    private static Endpoint endpoint(ConfigSection s) {
        EndpointType type = s.enumValue("type", EndpointType.class, EndpointType.EMULATOR);
        String defaultUrl = type == EndpointType.SERVERLESS || type == EndpointType.DEDICATED
                ? "https://api.friendli.ai" : null;
        String baseUrl = s.string("base-url", defaultUrl);
        // Blank is unset, so that an override can drop a configuration file's choice: endpoint.token-env=
        String tokenEnv = blankToNull(s.string("token-env", null));
        String tokenFile = blankToNull(s.string("token-file", null));
        String team = s.string("team-id", null);
        Duration attempt = s.duration("attempt-timeout", Duration.ofSeconds(120), Duration.ofMillis(1));
        Duration connect = s.duration("connect-timeout", Duration.ofSeconds(10), Duration.ofMillis(1));
        int connections = s.intValue("max-connections", 256, 1, 100_000);
        if (type == EndpointType.EMULATOR) {
            if (baseUrl != null) {
                s.problem("base-url", "does not apply to the embedded emulator, which picks its own port; "
                        + "set endpoint.type to serverless, dedicated or openai-compatible to use another server");
            }
        } else {
            if (baseUrl == null) {
                s.problem("base-url", "is required with endpoint.type: openai-compatible, e.g. http://localhost:8000/v1");
            }
            if (tokenEnv == null && tokenFile == null && type != EndpointType.OPENAI_COMPATIBLE) {
                tokenEnv = "FRIENDLI_TOKEN";
            }
        }
        if (tokenEnv != null && tokenFile != null) {
            s.problem("token-file", "and endpoint.token-env are exclusive: name one place for the token");
        }
        return new Endpoint(type, baseUrl, tokenEnv, tokenFile, team, attempt, connect, connections);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static EmulatorSettings emulator(ConfigSection s) {
        Duration ttft = s.duration("time-to-first-token", Duration.ZERO, Duration.ZERO);
        Duration tpot = s.duration("time-per-output-token", Duration.ZERO, Duration.ZERO);
        double jitter = s.doubleValue("jitter", 0, 0, 1);
        long seed = s.longValue("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        int rpm = s.intValue("requests-per-minute", 0, 0, Integer.MAX_VALUE);
        long tpm = s.longValue("tokens-per-minute", 0, 0, Long.MAX_VALUE);
        boolean retryAfter = s.bool("retry-after", true);
        boolean rateLimitHeaders = s.bool("rate-limit-headers", true);
        int concurrency = s.intValue("concurrency", 0, 0, 1_000_000);
        ConfigSection f = s.section("faults");
        Map<Fault, Double> faults = new EnumMap<>(Fault.class);
        double total = 0;
        for (Fault fault : Fault.values()) {
            String key = fault.option().substring("fault-".length());
            double p = f.doubleValue(key, 0, 0, 1);
            if (p > 0) {
                faults.put(fault, p);
                total += p;
            }
        }
        if (total > 1) {
            s.problem("faults", "probabilities add up to " + total + "; they must add up to at most 1");
        }
        return new EmulatorSettings(ttft, tpot, jitter, seed, rpm, tpm, retryAfter, rateLimitHeaders, concurrency,
                faults);
    }

    private static RequestDefaults defaults(ConfigSection s) {
        ObjectNode common = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        Map<ApiKind, ObjectNode> perKind = new EnumMap<>(ApiKind.class);
        if (s.has("model")) {
            common.put("model", s.string("model", null));
        }
        ObjectNode body = s.objectValue("body");
        if (body != null) {
            common.setAll(body);
        }
        ObjectNode chat = s.objectValue("chat");
        if (chat != null) {
            perKind.put(ApiKind.CHAT_COMPLETIONS, chat);
        }
        ObjectNode completions = s.objectValue("completions");
        if (completions != null) {
            perKind.put(ApiKind.COMPLETIONS, completions);
        }
        ObjectNode tools = s.objectValue("tool-assisted-chat");
        if (tools != null) {
            perKind.put(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, tools);
        }
        return new RequestDefaults(common.isEmpty() ? null : common, perKind);
    }

    /**
     * A dedicated endpoint is the user's own: its limit is capacity, found by the limit on requests in flight,
     * so no rate is ramped up towards a quota it does not have (issue 11: ramping wasted a third of one).
     */
    private static Calls calls(ConfigSection s, EndpointType endpointType) {
        int capacity = s.intValue("capacity", 256, 1, 1_000_000);
        boolean ordered = s.bool("ordered", false);
        long rpm = s.longValue("requests-per-minute", 0, 0, Long.MAX_VALUE);
        long tpm = s.longValue("tokens-per-minute", 0, 0, Long.MAX_VALUE);
        boolean adaptive = s.bool("adaptive", true);
        double initialRate = s.doubleValue("initial-requests-per-second",
                endpointType == EndpointType.DEDICATED ? 0 : 50, 0, 1e9);
        int defaultMaxTokens = s.intValue("default-max-tokens", 256, 1, 10_000_000);
        int attempts = s.intValue("max-attempts", RetryPolicy.DEFAULT_MAX_ATTEMPTS, 1, 1000);
        Duration initial = s.duration("initial-backoff", RetryPolicy.DEFAULT_INITIAL_BACKOFF, Duration.ofMillis(1));
        double multiplier = s.doubleValue("backoff-multiplier", RetryPolicy.DEFAULT_MULTIPLIER, 1, 10);
        Duration maxBackoff = s.duration("max-backoff", RetryPolicy.DEFAULT_MAX_BACKOFF, Duration.ofMillis(1));
        Duration deadline = s.duration("deadline", RetryPolicy.DEFAULT_DEADLINE, Duration.ofMillis(1));
        if (maxBackoff.compareTo(initial) < 0) {
            s.problem("max-backoff", "must be at least calls.initial-backoff (" + initial.toMillis() + "ms), was "
                    + maxBackoff.toMillis() + "ms");
            maxBackoff = initial;
        }
        RetryPolicy retry;
        try {
            retry = RetryPolicy.custom().maxAttempts(attempts).initialBackoff(initial).multiplier(multiplier)
                    .maxBackoff(maxBackoff).deadline(deadline).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The policy's own checks, such as a deadline no longer than the first backoff.
            s.problem("deadline", e.getMessage());
            retry = RetryPolicy.ofDefaults();
        }
        return new Calls(capacity, ordered, new PacingSettings(rpm, tpm, adaptive, initialRate, defaultMaxTokens), retry);
    }

    private static Output output(ConfigSection s) {
        String path = s.requiredString("path", "the folder results/, errors/ and _SUMMARY.json are written to");
        String codec = s.string("compression", "zstd");
        ParquetCompression compression = ParquetCompression.ZSTD;
        try {
            compression = ParquetCompression.parse(codec);
        } catch (IllegalArgumentException e) {
            s.problem("compression", e.getMessage());
        }
        return new Output(path == null ? null : Path.of(path).toAbsolutePath().normalize(), compression);
    }

    private static Run run(ConfigSection s) {
        String name = s.string("name", "friendli-bulk-inference");
        int parallelism = s.intValue("parallelism", 1, 1, 10_000);
        Duration checkpoint = s.duration("checkpoint-interval", Duration.ofSeconds(10), Duration.ofMillis(100));
        Duration progress = s.duration("progress-interval", Duration.ofSeconds(2), Duration.ofMillis(100));
        int restarts = s.intValue("restart-attempts", 3, 0, 1_000_000);
        Duration restartDelay = s.duration("restart-delay", Duration.ofSeconds(10), Duration.ZERO);
        boolean unaligned = s.bool("unaligned-checkpoints", true);
        StateBackend stateBackend = s.enumValue("state-backend", StateBackend.class, StateBackend.AUTO);
        double maxFailedShare = s.doubleValue("max-failed-share", 0.1, 0, 1);
        return new Run(name, parallelism, checkpoint, progress, restarts, restartDelay, unaligned, stateBackend,
                maxFailedShare);
    }
}
