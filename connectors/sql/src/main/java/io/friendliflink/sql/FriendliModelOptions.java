package io.friendliflink.sql;

import io.friendliflink.client.EndpointConfig;
import io.friendliflink.operator.PacingSettings;
import io.friendliflink.policy.RetryPolicy;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.description.Description;

/**
 * The options of {@code CREATE MODEL ... WITH ('provider' = 'friendli', ...)}. Request body fields are not listed
 * here: each is an option {@code body.<field>} named as in the API ({@code body.max_tokens}), see
 * {@link #BODY_PREFIX}.
 */
@PublicEvolving
public final class FriendliModelOptions {
    private FriendliModelOptions() {}

    /** Options starting with this are request body fields, their values JSON (or plain text for a string). */
    public static final String BODY_PREFIX = "body.";

    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("endpoint").stringType().noDefaultValue()
            .withDescription(Description.builder()
                    .text("'serverless' or 'dedicated' (Friendli, at https://api.friendli.ai), or the base URL of"
                            + " any OpenAI-compatible server, such as http://host:8000/v1. A URL ending in"
                            + " /chat/completions or /completions (as the openai provider takes it) names the"
                            + " task as well.")
                    .build());

    public static final ConfigOption<String> BASE_URL = ConfigOptions.key("base-url").stringType().noDefaultValue()
            .withDescription("For 'serverless' and 'dedicated': another address than https://api.friendli.ai.");

    public static final ConfigOption<String> MODEL = ConfigOptions.key("model").stringType().noDefaultValue()
            .withDescription("The request's model: a serverless model code, or a dedicated endpoint's id.");

    public static final ConfigOption<String> TASK = ConfigOptions.key("task").stringType().noDefaultValue()
            .withDescription("chat (the default), completions or tool-assisted-chat (serverless only).");

    public static final ConfigOption<String> TOKEN_ENV = ConfigOptions.key("token-env").stringType()
            .noDefaultValue()
            .withDescription("The environment variable (on every task manager) that holds the token; defaults"
                    + " to FRIENDLI_TOKEN for 'serverless' and 'dedicated'. The token itself is never an option,"
                    + " so it is never in the catalog, in SHOW CREATE MODEL or in the logs.");

    public static final ConfigOption<String> TOKEN_FILE = ConfigOptions.key("token-file").stringType()
            .noDefaultValue()
            .withDescription("A file (on every task manager) whose content is the token; instead of token-env.");

    public static final ConfigOption<String> TEAM_ID = ConfigOptions.key("team-id").stringType().noDefaultValue()
            .withDescription("Sent as X-Friendli-Team.");

    public static final ConfigOption<String> SYSTEM_PROMPT = ConfigOptions.key("system-prompt").stringType()
            .noDefaultValue()
            .withDescription("A system message put before each row's user message (chat tasks); a row's"
                    + " system_prompt input column takes precedence.");

    public static final ConfigOption<Long> REQUESTS_PER_MINUTE = ConfigOptions.key("requests-per-minute")
            .longType().defaultValue(0L)
            .withDescription("The request budget of the whole query (all subtasks together); 0 for none.");

    public static final ConfigOption<Long> TOKENS_PER_MINUTE = ConfigOptions.key("tokens-per-minute")
            .longType().defaultValue(0L)
            .withDescription("The token budget of the whole query (prompt estimate plus max_tokens, corrected by"
                    + " the reported usage); 0 for none.");

    public static final ConfigOption<Boolean> ADAPTIVE = ConfigOptions.key("adaptive").booleanType()
            .noDefaultValue()
            .withDescription("Find what the endpoint can do: its capacity from latency, the limits its"
                    + " X-RateLimit-* headers name, a request budget from 429s that show a limit. Defaults to true"
                    + " for 'serverless' and 'dedicated', false for a base URL (as the job's"
                    + " conf/openai-compatible.yaml): a server of one's own is sized by max-concurrent-operations.");

    public static final ConfigOption<Double> INITIAL_REQUESTS_PER_SECOND = ConfigOptions
            .key("initial-requests-per-second").doubleType().noDefaultValue()
            .withDescription("When adaptive without a request budget: the rate an unknown quota is approached"
                    + " from (default 50 for serverless; 0 for dedicated endpoints and base URLs, whose limit is"
                    + " capacity).");

    public static final ConfigOption<Integer> DEFAULT_MAX_TOKENS = ConfigOptions.key("default-max-tokens")
            .intType().defaultValue(PacingSettings.DEFAULT_MAX_TOKENS)
            .withDescription("The output estimate of the token budget for a request without max_tokens.");

    public static final ConfigOption<Integer> MAX_CONNECTIONS = ConfigOptions.key("max-connections").intType()
            .defaultValue(EndpointConfig.DEFAULT_MAX_CONNECTIONS)
            .withDescription("HTTP connections per subtask; up to this many requests are in flight at once.");

    public static final ConfigOption<Duration> ATTEMPT_TIMEOUT = ConfigOptions.key("attempt-timeout")
            .durationType().defaultValue(EndpointConfig.DEFAULT_ATTEMPT_TIMEOUT)
            .withDescription("How long one attempt may take.");

    public static final ConfigOption<Integer> MAX_ATTEMPTS = ConfigOptions.key("retry.max-attempts").intType()
            .defaultValue(RetryPolicy.DEFAULT_MAX_ATTEMPTS)
            .withDescription("Attempts per row, the first included, on 429, 5xx, timeouts and broken connections.");

    public static final ConfigOption<Duration> INITIAL_BACKOFF = ConfigOptions.key("retry.initial-backoff")
            .durationType().defaultValue(RetryPolicy.DEFAULT_INITIAL_BACKOFF)
            .withDescription("The wait before the first retry, unless the endpoint names one (Retry-After).");

    public static final ConfigOption<Double> BACKOFF_MULTIPLIER = ConfigOptions.key("retry.multiplier")
            .doubleType().defaultValue(RetryPolicy.DEFAULT_MULTIPLIER)
            .withDescription("How much each wait grows over the one before.");

    public static final ConfigOption<Duration> MAX_BACKOFF = ConfigOptions.key("retry.max-backoff").durationType()
            .defaultValue(RetryPolicy.DEFAULT_MAX_BACKOFF)
            .withDescription("The longest wait between attempts.");

    public static final ConfigOption<Duration> DEADLINE = ConfigOptions.key("retry.deadline").durationType()
            .noDefaultValue()
            .withDescription("How long a row may wait for its turn, and again retry from its first attempt,"
                    + " before it ends with error_type deadline_exceeded. Defaults to what fits the query's"
                    + " async timeout ('timeout' hint, or table.exec.async-ml-predict.timeout): a row must end"
                    + " as a result or an error before Flink's own timeout fails the job.");

    public static final ConfigOption<ErrorStrategy> ERROR_STRATEGY = ConfigOptions.key("error-strategy")
            .enumType(ErrorStrategy.class).defaultValue(ErrorStrategy.EMIT)
            .withDescription("emit: a row that cannot succeed is emitted with its error columns set; fail: the"
                    + " job fails on it.");

    /** Which API operation each row calls. */
    @PublicEvolving
    public enum Task {
        CHAT,
        COMPLETIONS,
        TOOL_ASSISTED_CHAT;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The task named as in the option ({@code tool-assisted-chat}), in any case. */
        public static Task named(String name) {
            for (Task task : values()) {
                if (task.toString().equalsIgnoreCase(name.trim())) {
                    return task;
                }
            }
            throw new IllegalArgumentException("'task' = '" + name + "' is not a task: use chat, completions or"
                    + " tool-assisted-chat");
        }
    }

    /** What becomes of a row whose request cannot succeed. */
    @PublicEvolving
    public enum ErrorStrategy {
        EMIT,
        FAIL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
