package io.friendliflink.job.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.friendliflink.client.ApiToken;
import io.friendliflink.client.EndpointConfig;
import io.friendliflink.datastream.FriendliInference;
import io.friendliflink.job.config.JobConfig.EndpointType;
import io.friendliflink.job.config.JobConfig.InputType;
import io.friendliflink.job.config.JobConfig.Mode;
import io.friendliflink.job.config.JobConfig.StateBackend;
import io.friendliflink.job.eval.EvaluateSettings;
import io.friendliflink.job.resume.ResumeSettings.RetryErrors;
import io.friendliflink.operator.PacingSettings;
import io.friendliflink.policy.RetryPolicy;
import io.friendliflink.source.KafkaInput.StartingOffsets;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every key of the job's configuration, as a Flink {@link ConfigOption}: its type, its default and what it does.
 *
 * <p>This is the one place a key's default lives: {@link JobConfig} and the mode settings read each value
 * through its option ({@link ConfigSection} takes options), the client's and the retry policy's defaults are
 * referenced rather than repeated, and a test checks the README's configuration tables against {@link #all()}.
 * The keys are the YAML paths ({@code calls.max-attempts}), so the same names work in a Flink configuration.
 * The {@code emulator:} section's keys are in {@link EmulatorOptions}, apart, because they name the emulator's
 * classes, which a cluster does not have.
 *
 * <p>A default that depends on another key (the base URL and token of a Friendli endpoint, the first rate of a
 * dedicated one) is the common case's here; the description names the exception.
 */
public final class JobOptions {

    public static final ConfigOption<Mode> MODE = key("mode").enumType(Mode.class).defaultValue(Mode.REQUESTS)
            .withDescription("requests (request lines from input), evaluate or generate.");

    // ---- input

    public static final ConfigOption<InputType> INPUT_TYPE = key("input.type").enumType(InputType.class)
            .defaultValue(InputType.FILE).withDescription("file or kafka (only with mode: requests).");
    public static final ConfigOption<String> INPUT_PATH = key("input.path").stringType().noDefaultValue()
            .withDescription("A JSONL file or a directory of them (required for file input).");
    public static final ConfigOption<Boolean> INPUT_WATCH = key("input.watch").booleanType().defaultValue(false)
            .withDescription("Keep watching input.path for new files (the run does not end).");
    public static final ConfigOption<Duration> INPUT_DISCOVERY_INTERVAL = key("input.discovery-interval")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("How often a watched path is listed.");
    public static final ConfigOption<Integer> INPUT_MAX_RAW_LINE_CHARS = key("input.max-raw-line-chars").intType()
            .defaultValue(8192).withDescription("How much of a bad line an error row keeps.");
    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS = key("input.kafka.bootstrap-servers")
            .stringType().noDefaultValue().withDescription("Required for kafka input, e.g. localhost:9092.");
    public static final ConfigOption<List<String>> KAFKA_TOPICS = key("input.kafka.topics").stringType().asList()
            .noDefaultValue().withDescription("The topics to read (required for kafka input).");
    public static final ConfigOption<String> KAFKA_GROUP_ID = key("input.kafka.group-id").stringType()
            .defaultValue("friendli-bulk-inference")
            .withDescription("The consumer group; offsets are committed on checkpoints.");
    public static final ConfigOption<StartingOffsets> KAFKA_STARTING_OFFSETS = key("input.kafka.starting-offsets")
            .enumType(StartingOffsets.class).defaultValue(StartingOffsets.EARLIEST)
            .withDescription("earliest, latest or committed-or-earliest.");
    public static final ConfigOption<Boolean> KAFKA_BOUNDED = key("input.kafka.bounded").booleanType()
            .defaultValue(true)
            .withDescription("Read up to the offsets at start, then finish; false runs until cancelled.");
    public static final ConfigOption<Map<String, String>> KAFKA_PROPERTIES = key("input.kafka.properties")
            .mapType().defaultValue(Map.of())
            .withDescription("Extra Kafka client properties (security settings, ...).");

    // ---- endpoint

    public static final ConfigOption<EndpointType> ENDPOINT_TYPE = key("endpoint.type").enumType(EndpointType.class)
            .defaultValue(EndpointType.EMULATOR)
            .withDescription("emulator (started in-process; local runs only), serverless, dedicated or "
                    + "openai-compatible.");
    public static final ConfigOption<String> ENDPOINT_BASE_URL = key("endpoint.base-url").stringType()
            .defaultValue(EndpointConfig.FRIENDLI_BASE_URL)
            .withDescription("The endpoint's address; the default is for serverless and dedicated, "
                    + "openai-compatible needs one with its prefix (http://host:8000/v1), the emulator none.");
    public static final ConfigOption<String> ENDPOINT_TOKEN_ENV = key("endpoint.token-env").stringType()
            .defaultValue(ApiToken.DEFAULT_ENV_VAR)
            .withDescription("The environment variable holding the token (empty: none); the default is for "
                    + "serverless and dedicated.");
    public static final ConfigOption<String> ENDPOINT_TOKEN_FILE = key("endpoint.token-file").stringType()
            .noDefaultValue().withDescription("A file holding the token, instead of endpoint.token-env.");
    public static final ConfigOption<String> ENDPOINT_TEAM_ID = key("endpoint.team-id").stringType()
            .noDefaultValue().withDescription("Sent as X-Friendli-Team.");
    public static final ConfigOption<Duration> ENDPOINT_ATTEMPT_TIMEOUT = key("endpoint.attempt-timeout")
            .durationType().defaultValue(EndpointConfig.DEFAULT_ATTEMPT_TIMEOUT)
            .withDescription("One attempt, first byte sent to last byte received.");
    public static final ConfigOption<Duration> ENDPOINT_CONNECT_TIMEOUT = key("endpoint.connect-timeout")
            .durationType().defaultValue(EndpointConfig.DEFAULT_CONNECT_TIMEOUT)
            .withDescription("Opening a connection.");
    public static final ConfigOption<Integer> ENDPOINT_MAX_CONNECTIONS = key("endpoint.max-connections").intType()
            .defaultValue(EndpointConfig.DEFAULT_MAX_CONNECTIONS)
            .withDescription("Keep-alive connections per subtask.");

    // ---- defaults (request body fields)

    public static final ConfigOption<String> DEFAULTS_MODEL = key("defaults.model").stringType().noDefaultValue()
            .withDescription("model for bodies that have none; the evaluate mode's model to tokenize with.");
    public static final ConfigOption<Map<String, String>> DEFAULTS_BODY = key("defaults.body").mapType()
            .defaultValue(Map.of()).withDescription("Body fields for every request.");
    public static final ConfigOption<Map<String, String>> DEFAULTS_CHAT = key("defaults.chat").mapType()
            .defaultValue(Map.of()).withDescription("Body fields for chat requests (and tool-assisted chat).");
    public static final ConfigOption<Map<String, String>> DEFAULTS_COMPLETIONS = key("defaults.completions")
            .mapType().defaultValue(Map.of()).withDescription("Body fields for completions requests.");
    public static final ConfigOption<Map<String, String>> DEFAULTS_TOOL_ASSISTED_CHAT =
            key("defaults.tool-assisted-chat").mapType().defaultValue(Map.of())
                    .withDescription("Body fields for tool-assisted chat requests.");

    // ---- calls

    public static final ConfigOption<Integer> CALLS_CAPACITY = key("calls.capacity").intType()
            .defaultValue(FriendliInference.DEFAULT_CAPACITY)
            .withDescription("Requests per subtask in the operator at once: in flight, waiting for their turn, "
                    + "or waiting to be retried.");
    public static final ConfigOption<Boolean> CALLS_ORDERED = key("calls.ordered").booleanType().defaultValue(false)
            .withDescription("Keep output in input order (slower: one slow request holds the rest).");
    public static final ConfigOption<Long> CALLS_REQUESTS_PER_MINUTE = key("calls.requests-per-minute").longType()
            .defaultValue(0L).withDescription("The job-wide request budget, 0 for none.");
    public static final ConfigOption<Long> CALLS_TOKENS_PER_MINUTE = key("calls.tokens-per-minute").longType()
            .defaultValue(0L).withDescription("The job-wide token budget, 0 for none.");
    public static final ConfigOption<Boolean> CALLS_ADAPTIVE = key("calls.adaptive").booleanType()
            .defaultValue(true).withDescription("Find what the endpoint can do: from its latency, its "
                    + "X-RateLimit-* headers and its 429s.");
    public static final ConfigOption<Double> CALLS_INITIAL_REQUESTS_PER_SECOND =
            key("calls.initial-requests-per-second").doubleType()
                    .defaultValue(PacingSettings.DEFAULT_INITIAL_REQUESTS_PER_SECOND)
                    .withDescription("When adaptive without a request budget: the job-wide rate a quota not known "
                            + "yet is approached from; 0 for none, the default with endpoint.type: dedicated.");
    public static final ConfigOption<Integer> CALLS_DEFAULT_MAX_TOKENS = key("calls.default-max-tokens").intType()
            .defaultValue(PacingSettings.DEFAULT_MAX_TOKENS).withDescription("The output estimate of a request without max_tokens.");
    public static final ConfigOption<Integer> CALLS_MAX_ATTEMPTS = key("calls.max-attempts").intType()
            .defaultValue(RetryPolicy.DEFAULT_MAX_ATTEMPTS)
            .withDescription("Attempts per request, the first included.");
    public static final ConfigOption<Duration> CALLS_INITIAL_BACKOFF = key("calls.initial-backoff").durationType()
            .defaultValue(RetryPolicy.DEFAULT_INITIAL_BACKOFF)
            .withDescription("The cap of the first backoff (full jitter); Retry-After overrides it.");
    public static final ConfigOption<Double> CALLS_BACKOFF_MULTIPLIER = key("calls.backoff-multiplier")
            .doubleType().defaultValue(RetryPolicy.DEFAULT_MULTIPLIER)
            .withDescription("How much the backoff's cap grows per attempt.");
    public static final ConfigOption<Duration> CALLS_MAX_BACKOFF = key("calls.max-backoff").durationType()
            .defaultValue(RetryPolicy.DEFAULT_MAX_BACKOFF).withDescription("The largest backoff's cap.");
    public static final ConfigOption<Duration> CALLS_DEADLINE = key("calls.deadline").durationType()
            .defaultValue(RetryPolicy.DEFAULT_DEADLINE)
            .withDescription("From a request's first attempt: no retry starts after it.");
    public static final ConfigOption<Integer> CALLS_INVALID_OUTPUT_RETRIES = key("calls.invalid-output-retries")
            .intType().defaultValue(2)
            .withDescription("With a json_schema response_format: how often an answer outside the schema is asked "
                    + "for again before its line ends as invalid_output.");

    public static final ConfigOption<Long> CALLS_MAX_TOTAL_TOKENS = key("calls.max-total-tokens").longType()
            .defaultValue(0L).withDescription("The run's cap on prompt and completion tokens, 0 for none: lines not "
                    + "sent once it is reached end as budget_exhausted, which a rerun sends.");
    public static final ConfigOption<Double> CALLS_MAX_COST = key("calls.max-cost").doubleType().defaultValue(0.0)
            .withDescription("The run's cap on cost at the pricing.* prices, 0 for none.");

    // ---- pricing

    public static final ConfigOption<Double> PRICING_INPUT_PER_MILLION = key("pricing.input-per-million")
            .doubleType().defaultValue(0.0).withDescription("The price of a million prompt tokens, 0 for unknown.");
    public static final ConfigOption<Double> PRICING_OUTPUT_PER_MILLION = key("pricing.output-per-million")
            .doubleType().defaultValue(0.0)
            .withDescription("The price of a million completion tokens, 0 for unknown.");
    public static final ConfigOption<Map<String, String>> PRICING_MODELS = key("pricing.models").mapType()
            .defaultValue(Map.of()).withDescription("Prices of models that differ from the default: model name to "
                    + "{input-per-million, output-per-million}.");

    // ---- output

    public static final ConfigOption<String> OUTPUT_PATH = key("output.path").stringType().noDefaultValue()
            .withDescription("Required: where results/, errors/ and _SUMMARY.json go.");
    public static final ConfigOption<String> OUTPUT_COMPRESSION = key("output.compression").stringType()
            .defaultValue("zstd").withDescription("zstd, snappy or uncompressed (also read as none).");
    public static final ConfigOption<List<String>> OUTPUT_FORMAT = key("output.format").stringType().asList()
            .defaultValues("parquet")
            .withDescription("parquet (results/, errors/), openai (OpenAI Batch output files in openai/), or both.");
    public static final ConfigOption<JobConfig.RawResponse> OUTPUT_RAW_RESPONSE = key("output.raw-response")
            .enumType(JobConfig.RawResponse.class).defaultValue(JobConfig.RawResponse.ERRORS)
            .withDescription("Which rows keep the answer's body in response_json: none, errors or all.");
    public static final ConfigOption<Duration> OUTPUT_COMMIT_INTERVAL = key("output.commit-interval").durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("Rows are written to a new part file (per subtask and folder) at the first checkpoint "
                    + "after this long, at the end of the input and at a graceful stop; 0: at every checkpoint.");
    public static final ConfigOption<Boolean> OUTPUT_STREAM_EVENTS = key("output.stream-events").booleanType()
            .defaultValue(false)
            .withDescription("Keep a streamed answer's event stream as received instead of its assembled JSON.");

    // ---- run

    public static final ConfigOption<String> RUN_NAME = key("run.name").stringType()
            .defaultValue("friendli-bulk-inference").withDescription("The Flink job name.");
    public static final ConfigOption<Integer> RUN_PARALLELISM = key("run.parallelism").intType().defaultValue(1)
            .withDescription("Flink parallelism.");
    public static final ConfigOption<Duration> RUN_CHECKPOINT_INTERVAL = key("run.checkpoint-interval")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("How often output is committed.");
    public static final ConfigOption<Duration> RUN_PROGRESS_INTERVAL = key("run.progress-interval").durationType()
            .defaultValue(Duration.ofSeconds(2)).withDescription("How often the progress line prints.");
    public static final ConfigOption<Integer> RUN_RESTART_ATTEMPTS = key("run.restart-attempts").intType()
            .defaultValue(3).withDescription("Restarts from the last checkpoint after a failure.");
    public static final ConfigOption<Duration> RUN_RESTART_DELAY = key("run.restart-delay").durationType()
            .defaultValue(Duration.ofSeconds(10)).withDescription("The wait before a restart.");
    public static final ConfigOption<Boolean> RUN_UNALIGNED_CHECKPOINTS = key("run.unaligned-checkpoints")
            .booleanType().defaultValue(true)
            .withDescription("Checkpoints overtake the lines buffered in front of the endpoint.");
    public static final ConfigOption<StateBackend> RUN_STATE_BACKEND = key("run.state-backend")
            .enumType(StateBackend.class).defaultValue(StateBackend.AUTO)
            .withDescription("Where the ids seen are kept: hashmap, rocksdb, or auto.");
    public static final ConfigOption<Double> RUN_MAX_FAILED_SHARE = key("run.max-failed-share").doubleType()
            .defaultValue(0.1).withDescription("The largest share of lines without a result with which a "
                    + "finished run counts as FINISHED_WITH_ERRORS.");

    // ---- resume

    public static final ConfigOption<Boolean> RESUME_ENABLED = key("resume.enabled").booleanType()
            .defaultValue(true).withDescription("Skip lines the output already has a row for.");
    public static final ConfigOption<RetryErrors> RESUME_RETRY_ERRORS = key("resume.retry-errors")
            .enumType(RetryErrors.class).defaultValue(RetryErrors.TRANSIENT)
            .withDescription("Which earlier failures a rerun sends again: transient, all or none.");

    // ---- evaluate

    public static final ConfigOption<String> EVALUATE_TASK = key("evaluate.task").stringType().defaultValue("mmlu")
            .withDescription("The lm-evaluation-harness task.");
    public static final ConfigOption<String> EVALUATE_INPUT = key("evaluate.input").stringType().noDefaultValue()
            .withDescription("Required: the questions file or directory (.parquet, .jsonl or .csv).");
    public static final ConfigOption<String> EVALUATE_FEW_SHOT_PATH = key("evaluate.few-shot.path").stringType()
            .noDefaultValue().withDescription("Few-shot examples in the same layout.");
    public static final ConfigOption<Integer> EVALUATE_FEW_SHOT_K = key("evaluate.few-shot.k").intType()
            .defaultValue(5).withDescription("Examples per question (0 without a path).");
    public static final ConfigOption<Long> EVALUATE_FEW_SHOT_SEED = key("evaluate.few-shot.seed").longType()
            .defaultValue(EvaluateSettings.HARNESS_FEW_SHOT_SEED)
            .withDescription("The seed of the examples drawn at random (all tasks but mmlu).");
    public static final ConfigOption<EvaluateSettings.Method> EVALUATE_METHOD = key("evaluate.method")
            .enumType(EvaluateSettings.Method.class).defaultValue(EvaluateSettings.Method.PER_CHOICE)
            .withDescription("per-choice, or top-logprobs (mmlu only).");
    public static final ConfigOption<EvaluateSettings.Continuation> EVALUATE_CONTINUATION =
            key("evaluate.continuation").enumType(EvaluateSettings.Continuation.class)
                    .defaultValue(EvaluateSettings.Continuation.LETTERS)
                    .withDescription("mmlu only: letters or choice-text.");
    public static final ConfigOption<Integer> EVALUATE_TOP_LOGPROBS = key("evaluate.top-logprobs").intType()
            .defaultValue(20).withDescription("Alternatives asked for by top-logprobs (1-20).");
    public static final ConfigOption<String> EVALUATE_DESCRIPTION = key("evaluate.description").stringType()
            .noDefaultValue().withDescription("mmlu only: the text before the examples (default: the MMLU header).");
    public static final ConfigOption<String> EVALUATE_TEMPLATE = key("evaluate.template").stringType()
            .noDefaultValue().withDescription("mmlu only: one question's text (default: the harness's format).");
    public static final ConfigOption<String> EVALUATE_ID_COLUMN = key("evaluate.id-column").stringType()
            .noDefaultValue().withDescription("The column naming a question; otherwise its row number.");

    // ---- generate

    public static final ConfigOption<String> GENERATE_INPUT = key("generate.input").stringType().noDefaultValue()
            .withDescription("Required: the rows file or directory (.jsonl, .csv or .parquet).");
    public static final ConfigOption<String> GENERATE_PROMPT = key("generate.prompt").stringType().noDefaultValue()
            .withDescription("A completions prompt template with {column} placeholders.");
    public static final ConfigOption<List<Map<String, String>>> GENERATE_MESSAGES = key("generate.messages")
            .mapType().asList().noDefaultValue()
            .withDescription("Chat messages [{role, content}]; exactly one of prompt and messages.");
    public static final ConfigOption<Integer> GENERATE_N = key("generate.n").intType().defaultValue(1)
            .withDescription("Samples per row; each is its own request.");
    public static final ConfigOption<Long> GENERATE_SEED = key("generate.seed").longType().defaultValue(0L)
            .withDescription("Sample k is sent with seed + k.");
    public static final ConfigOption<Map<String, String>> GENERATE_RESPONSE_FORMAT = key("generate.response-format")
            .mapType().noDefaultValue().withDescription("The response_format of every request.");
    public static final ConfigOption<Map<String, String>> GENERATE_BODY = key("generate.body").mapType()
            .noDefaultValue().withDescription("Further body fields (max_tokens, temperature, ...).");
    public static final ConfigOption<String> GENERATE_ID_COLUMN = key("generate.id-column").stringType()
            .noDefaultValue().withDescription("The column naming a row; otherwise its row number.");

    private JobOptions() {}

    /** Every option of this class, in the order declared. */
    public static List<ConfigOption<?>> all() {
        return optionsOf(JobOptions.class);
    }

    static List<ConfigOption<?>> optionsOf(Class<?> holder) {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field f : holder.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }
}
