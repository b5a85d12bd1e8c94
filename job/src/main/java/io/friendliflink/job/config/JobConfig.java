package io.friendliflink.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.api.ApiKind;
import io.friendliflink.client.ApiToken;
import io.friendliflink.client.Deployment;
import io.friendliflink.client.EndpointConfig;
import io.friendliflink.job.eval.EvaluateSettings;
import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.generate.GenerateSettings;
import io.friendliflink.job.resume.ResumeSettings;
import io.friendliflink.lines.RequestDefaults;
import io.friendliflink.operator.PacingSettings;
import io.friendliflink.policy.Pricing;
import io.friendliflink.policy.RetryPolicy;
import io.friendliflink.policy.SpendLimits;
import io.friendliflink.sink.ParquetCompression;
import io.friendliflink.source.KafkaInput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * The whole job's configuration, read from a YAML tree and validated once, at start.
 *
 * <p>Every key is a {@link JobOptions} option (its type, default and description), documented in the README's
 * configuration reference; {@link #from(JsonNode)} reports every problem at once, each naming its key, and
 * refuses unknown keys.
 *
 * @param emulator the embedded emulator's configuration with {@code endpoint.type: emulator}, otherwise
 *     {@code null}: only then are the emulator's classes, absent on a cluster, touched
 */
public record JobConfig(
        Input input,
        Endpoint endpoint,
        EmulatorSection emulator,
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

    /**
     * The endpoint: its kind, and the client's configuration as the {@code endpoint:} section gives it. For the
     * embedded emulator, which picks its own port when it starts, the address in {@code client} is a placeholder
     * that {@link #client(String, int)} replaces.
     */
    public record Endpoint(EndpointType type, EndpointConfig client) {
        /** Stands for the embedded emulator's address until it has one. */
        static final String EMULATOR_PLACEHOLDER = "http://127.0.0.1";

        /** The address to call; {@code null} for the embedded emulator. */
        public String baseUrl() {
            return type == EndpointType.EMULATOR ? null : client.baseUrl().toString();
        }

        /**
         * The client's configuration for this endpoint, the token read where it is used.
         *
         * @param address the endpoint to call: {@link #baseUrl()}, or the embedded emulator's address
         * @param connections the most connections to open (a caller may cap {@link #maxConnections()})
         */
        public EndpointConfig client(String address, int connections) {
            return client.toBuilder(address).maxConnections(connections).build();
        }

        /** Where the token is; not read here. */
        public ApiToken token() {
            return client.token();
        }

        public Duration attemptTimeout() {
            return client.attemptTimeout();
        }

        public Duration connectTimeout() {
            return client.connectTimeout();
        }

        public int maxConnections() {
            return client.maxConnections();
        }

        /** This endpoint with the token in {@code tokenFile} (the embedded emulator's). */
        public Endpoint withTokenFile(Path tokenFile) {
            return new Endpoint(type, client.toBuilder().token(ApiToken.inFile(tokenFile)).build());
        }
    }

    /** How requests are sent: in-flight capacity, pacing and retries. */
    public record Calls(int capacity, boolean ordered, PacingSettings pacing, RetryPolicy retry, SpendLimits spend,
            int invalidOutputRetries) {}

    /**
     * Where and how the output is written.
     *
     * @param formats {@code parquet} and/or {@code openai}, at least one
     * @param rawResponse which rows keep the answer's body
     * @param streamEvents keep a streamed answer's events as received instead of its assembled JSON
     * @param commitInterval how long rows are held before they go to a part file ({@code 0}: every checkpoint)
     */
    public record Output(org.apache.flink.core.fs.Path path, ParquetCompression compression,
            Set<OutputFormat> formats, RawResponse rawResponse, boolean streamEvents, Duration commitInterval) {
        public Output {
            formats = Set.copyOf(formats);
        }
    }

    /** The files a run writes its rows to. */
    public enum OutputFormat {
        /** {@code results/} and {@code errors/} in Parquet. */
        PARQUET,
        /** OpenAI Batch output files: {@code openai/results/} and {@code openai/errors/} in JSONL. */
        OPENAI
    }

    /** Which rows keep the answer's body ({@code response_json}). */
    public enum RawResponse {
        /** None: the parsed columns hold everything. */
        NONE,
        /** Error rows, where the endpoint's own body shows what went wrong. */
        ERRORS,
        /** Every row. */
        ALL
    }

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
        Mode mode = root.enumValue(JobOptions.MODE);
        Input input = null;
        if (mode == Mode.REQUESTS) {
            input = input(root.section("input"));
        } else if (root.objectValue("input") != null) {
            root.problem("input", "applies only to mode: requests; mode " + mode.name().toLowerCase()
                    + " reads its rows from " + mode.name().toLowerCase() + ".input");
        }
        Endpoint endpoint = endpoint(root.section("endpoint"));
        EmulatorSection emulator = null;
        if (endpoint.type() == EndpointType.EMULATOR) {
            emulator = EmulatorOptions.read(root.section("emulator"));
        } else if (root.value("emulator") != null) {
            root.problem("emulator", "applies only with endpoint.type: emulator, but endpoint.type is "
                    + endpoint.type().name().toLowerCase().replace('_', '-'));
        }
        ConfigSection defaultsSection = root.section("defaults");
        String model = defaultsSection.string(JobOptions.DEFAULTS_MODEL);
        RequestDefaults defaults = defaults(defaultsSection);
        Pricing pricing = SpendSettings.pricing(root.section("pricing"));
        Calls calls = calls(root.section("calls"), endpoint.type(), pricing);
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
        // Resuming and the evaluate and generate modes read back results/: the OpenAI files alone cannot serve them.
        if (!output.formats().contains(OutputFormat.PARQUET) && (mode != Mode.REQUESTS || resume.enabled())) {
            root.problem("output.format", "must include parquet " + (mode != Mode.REQUESTS
                    ? "in mode " + mode.name().toLowerCase() + ", which reads its results back"
                    : "while resume.enabled is true (a rerun finds the lines done in results/); add parquet, or set"
                            + " resume.enabled: false"));
        }
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
            input = new Input(InputType.FILE, FlinkFiles.show(FlinkFiles.child(output.path(), REQUESTS_FILE)), false,
                    JobOptions.INPUT_DISCOVERY_INTERVAL.defaultValue(), new Kafka(null, List.of(),
                            JobOptions.KAFKA_GROUP_ID.defaultValue(), JobOptions.KAFKA_STARTING_OFFSETS.defaultValue(),
                            JobOptions.KAFKA_BOUNDED.defaultValue(), Map.of()), 1 << 16);
        }
        root.finish();
        return new JobConfig(input, endpoint, emulator, defaults, calls, output, run, mode, evaluate, generate, resume);
    }

    /** Whether the input ends (a file read once, or Kafka up to the offsets at start). */
    public boolean isBounded() {
        return input.type() == InputType.FILE ? !input.watch() : input.kafka().bounded();
    }

    private static Input input(ConfigSection s) {
        InputType type = s.enumValue(JobOptions.INPUT_TYPE);
        String path = s.string(JobOptions.INPUT_PATH);
        boolean watch = s.bool(JobOptions.INPUT_WATCH);
        Duration interval = s.duration(JobOptions.INPUT_DISCOVERY_INTERVAL, Duration.ofMillis(100));
        int maxRaw = s.intValue(JobOptions.INPUT_MAX_RAW_LINE_CHARS, 16, 1 << 24);
        ConfigSection k = s.section("kafka");
        Kafka kafka = kafka(k, type == InputType.KAFKA);
        if (type == InputType.FILE) {
            if (path == null || path.isBlank()) {
                s.problem("path", "is required with input.type: file: a JSONL file or a directory of them");
            } else {
                String missing = FlinkFiles.whyMissing(path);
                if (missing != null) {
                    s.problem("path", missing);
                }
            }
        }
        return new Input(type, path, watch, interval, kafka, maxRaw);
    }

    private static Kafka kafka(ConfigSection s, boolean used) {
        String servers = s.string(JobOptions.KAFKA_BOOTSTRAP_SERVERS);
        List<String> topics = s.stringList(JobOptions.KAFKA_TOPICS);
        String group = s.string(JobOptions.KAFKA_GROUP_ID);
        KafkaInput.StartingOffsets offsets = s.enumValue(JobOptions.KAFKA_STARTING_OFFSETS);
        boolean bounded = s.bool(JobOptions.KAFKA_BOUNDED);
        Map<String, String> properties = new LinkedHashMap<>();
        ObjectNode props = s.objectValue(JobOptions.KAFKA_PROPERTIES);
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
        EndpointType type = s.enumValue(JobOptions.ENDPOINT_TYPE);
        boolean friendli = type == EndpointType.SERVERLESS || type == EndpointType.DEDICATED;
        String baseUrl = s.string(JobOptions.ENDPOINT_BASE_URL, friendli ? JobOptions.ENDPOINT_BASE_URL.defaultValue() : null);
        // Blank is unset, so that an override can drop a configuration file's choice: endpoint.token-env=
        String tokenEnv = blankToNull(s.string(JobOptions.ENDPOINT_TOKEN_ENV, null));
        String tokenFile = blankToNull(s.string(JobOptions.ENDPOINT_TOKEN_FILE));
        String team = blankToNull(s.string(JobOptions.ENDPOINT_TEAM_ID));
        Duration attempt = s.duration(JobOptions.ENDPOINT_ATTEMPT_TIMEOUT, Duration.ofMillis(1));
        Duration connect = s.duration(JobOptions.ENDPOINT_CONNECT_TIMEOUT, Duration.ofMillis(1));
        int connections = s.intValue(JobOptions.ENDPOINT_MAX_CONNECTIONS, 1, 100_000);
        if (type == EndpointType.EMULATOR) {
            if (baseUrl != null) {
                s.problem("base-url", "does not apply to the embedded emulator, which picks its own port; "
                        + "set endpoint.type to serverless, dedicated or openai-compatible to use another server");
            }
        } else {
            if (baseUrl == null) {
                s.problem("base-url", "is required with endpoint.type: openai-compatible, e.g. http://localhost:8000/v1");
            }
            if (tokenEnv == null && tokenFile == null && friendli) {
                tokenEnv = JobOptions.ENDPOINT_TOKEN_ENV.defaultValue();
            }
        }
        if (tokenEnv != null && tokenFile != null) {
            s.problem("token-file", "and endpoint.token-env are exclusive: name one place for the token");
        }
        ApiToken token = tokenEnv != null ? ApiToken.inEnv(tokenEnv)
                : tokenFile != null ? ApiToken.inFile(Path.of(tokenFile))
                : ApiToken.none();
        String address = baseUrl != null ? baseUrl : Endpoint.EMULATOR_PLACEHOLDER;
        try {
            EndpointConfig.builder(address, deployment(type)).token(ApiToken.none()).build();
        } catch (IllegalArgumentException e) {
            s.problem("base-url", e.getMessage());
            address = Endpoint.EMULATOR_PLACEHOLDER;
        }
        try {
            return new Endpoint(type, endpointConfig(address, type, token, team, attempt, connect, connections));
        } catch (IllegalArgumentException e) {
            // A team id or a timeout the client refuses; the key is in the message.
            s.problem("endpoint", e.getMessage());
            return new Endpoint(type, endpointConfig(address, type, token, null, attempt,
                    EndpointConfig.DEFAULT_CONNECT_TIMEOUT, connections));
        }
    }

    private static EndpointConfig endpointConfig(String address, EndpointType type, ApiToken token, String team,
            Duration attempt, Duration connect, int connections) {
        EndpointConfig.Builder client = EndpointConfig.builder(address, deployment(type))
                .token(token).attemptTimeout(attempt).connectTimeout(connect).maxConnections(connections);
        if (team != null) {
            client.teamId(team);
        }
        return client.build();
    }

    private static Deployment deployment(EndpointType type) {
        return switch (type) {
            case DEDICATED -> Deployment.DEDICATED;
            case OPENAI_COMPATIBLE -> Deployment.OPENAI_COMPATIBLE;
            case SERVERLESS, EMULATOR -> Deployment.SERVERLESS;
        };
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static RequestDefaults defaults(ConfigSection s) {
        ObjectNode common = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        Map<ApiKind, ObjectNode> perKind = new EnumMap<>(ApiKind.class);
        if (s.has(JobOptions.DEFAULTS_MODEL)) {
            common.put("model", s.string(JobOptions.DEFAULTS_MODEL));
        }
        ObjectNode body = s.objectValue(JobOptions.DEFAULTS_BODY);
        if (body != null) {
            common.setAll(body);
        }
        ObjectNode chat = s.objectValue(JobOptions.DEFAULTS_CHAT);
        if (chat != null) {
            perKind.put(ApiKind.CHAT_COMPLETIONS, chat);
        }
        ObjectNode completions = s.objectValue(JobOptions.DEFAULTS_COMPLETIONS);
        if (completions != null) {
            perKind.put(ApiKind.COMPLETIONS, completions);
        }
        ObjectNode tools = s.objectValue(JobOptions.DEFAULTS_TOOL_ASSISTED_CHAT);
        if (tools != null) {
            perKind.put(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, tools);
        }
        return new RequestDefaults(common.isEmpty() ? null : common, perKind);
    }

    /**
     * A dedicated endpoint is the user's own: its limit is capacity, found by the limit on requests in flight,
     * so no rate is ramped up towards a quota it does not have (issue 11: ramping wasted a third of one).
     */
    private static Calls calls(ConfigSection s, EndpointType endpointType, Pricing pricing) {
        int capacity = s.intValue(JobOptions.CALLS_CAPACITY, 1, 1_000_000);
        boolean ordered = s.bool(JobOptions.CALLS_ORDERED);
        long rpm = s.longValue(JobOptions.CALLS_REQUESTS_PER_MINUTE, 0, Long.MAX_VALUE);
        long tpm = s.longValue(JobOptions.CALLS_TOKENS_PER_MINUTE, 0, Long.MAX_VALUE);
        boolean adaptive = s.bool(JobOptions.CALLS_ADAPTIVE);
        double initialRate = s.doubleValue(JobOptions.CALLS_INITIAL_REQUESTS_PER_SECOND,
                endpointType == EndpointType.DEDICATED ? 0 : JobOptions.CALLS_INITIAL_REQUESTS_PER_SECOND.defaultValue(),
                0, 1e9);
        int defaultMaxTokens = s.intValue(JobOptions.CALLS_DEFAULT_MAX_TOKENS, 1, 10_000_000);
        int attempts = s.intValue(JobOptions.CALLS_MAX_ATTEMPTS, 1, 1000);
        Duration initial = s.duration(JobOptions.CALLS_INITIAL_BACKOFF, Duration.ofMillis(1));
        double multiplier = s.doubleValue(JobOptions.CALLS_BACKOFF_MULTIPLIER, 1, 10);
        Duration maxBackoff = s.duration(JobOptions.CALLS_MAX_BACKOFF, Duration.ofMillis(1));
        Duration deadline = s.duration(JobOptions.CALLS_DEADLINE, Duration.ofMillis(1));
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
        int invalidOutputRetries = s.intValue(JobOptions.CALLS_INVALID_OUTPUT_RETRIES, 0, 100);
        return new Calls(capacity, ordered, new PacingSettings(rpm, tpm, adaptive, initialRate, defaultMaxTokens), retry,
                SpendSettings.limits(s, pricing), invalidOutputRetries);
    }

    private static Output output(ConfigSection s) {
        String path = s.requiredString(JobOptions.OUTPUT_PATH, "the folder results/, errors/ and _SUMMARY.json are written to");
        String codec = s.string(JobOptions.OUTPUT_COMPRESSION);
        ParquetCompression compression = ParquetCompression.ZSTD;
        try {
            compression = ParquetCompression.parse(codec);
        } catch (IllegalArgumentException e) {
            s.problem("compression", e.getMessage());
        }
        EnumSet<OutputFormat> formats = EnumSet.noneOf(OutputFormat.class);
        for (String format : s.stringList(JobOptions.OUTPUT_FORMAT)) {
            try {
                formats.add(OutputFormat.valueOf(format.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                s.problem("format", "must be parquet, openai or both ([parquet, openai]), was " + format);
            }
        }
        if (formats.isEmpty()) {
            s.problem("format", "must name at least one of parquet and openai");
            formats.add(OutputFormat.PARQUET);
        }
        RawResponse raw = s.enumValue(JobOptions.OUTPUT_RAW_RESPONSE);
        boolean streamEvents = s.bool(JobOptions.OUTPUT_STREAM_EVENTS);
        Duration commitInterval = s.duration(JobOptions.OUTPUT_COMMIT_INTERVAL, Duration.ZERO);
        return new Output(path == null ? null : FlinkFiles.of(path), compression, formats,
                raw, streamEvents, commitInterval);
    }

    private static Run run(ConfigSection s) {
        String name = s.string(JobOptions.RUN_NAME);
        int parallelism = s.intValue(JobOptions.RUN_PARALLELISM, 1, 10_000);
        Duration checkpoint = s.duration(JobOptions.RUN_CHECKPOINT_INTERVAL, Duration.ofMillis(100));
        Duration progress = s.duration(JobOptions.RUN_PROGRESS_INTERVAL, Duration.ofMillis(100));
        int restarts = s.intValue(JobOptions.RUN_RESTART_ATTEMPTS, 0, 1_000_000);
        Duration restartDelay = s.duration(JobOptions.RUN_RESTART_DELAY, Duration.ZERO);
        boolean unaligned = s.bool(JobOptions.RUN_UNALIGNED_CHECKPOINTS);
        StateBackend stateBackend = s.enumValue(JobOptions.RUN_STATE_BACKEND);
        double maxFailedShare = s.doubleValue(JobOptions.RUN_MAX_FAILED_SHARE, 0, 1);
        return new Run(name, parallelism, checkpoint, progress, restarts, restartDelay, unaligned, stateBackend,
                maxFailedShare);
    }
}
