package io.friendliflink.sql;

import static io.friendliflink.sql.FriendliModelOptions.*;

import io.friendliflink.api.request.CheckedRequest;
import io.friendliflink.api.request.RequestCheck;
import io.friendliflink.api.request.Violation;
import io.friendliflink.client.ApiToken;
import io.friendliflink.client.Deployment;
import io.friendliflink.client.EndpointConfig;
import io.friendliflink.operator.InferenceFunction;
import io.friendliflink.operator.PacingSettings;
import io.friendliflink.policy.RetryPolicy;
import io.friendliflink.sql.FriendliModelOptions.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;

/**
 * The {@code friendli} model provider: {@code CREATE MODEL m INPUT (prompt STRING) OUTPUT (text STRING) WITH
 * ('provider' = 'friendli', 'endpoint' = 'serverless', 'model' = '...')}, then {@code ML_PREDICT(TABLE t, MODEL m,
 * DESCRIPTOR(question))}. Options: {@link FriendliModelOptions}; columns: {@link InputColumns}, {@link OutputColumn}.
 *
 * <p>Built as Flink's {@code flink-model-openai} builds its provider (its {@code OpenAIModelProviderFactory}: the
 * factory validates with {@link FactoryUtil}'s helper and hands the planner an {@link AsyncPredictRuntimeProvider}),
 * with the calling layer of the DataStream API underneath.
 */
@PublicEvolving
public final class FriendliModelProviderFactory implements ModelProviderFactory {
    public static final String IDENTIFIER = "friendli";

    /**
     * The planner's async timeout for ML_PREDICT: the query's {@code MAP['timeout', ...]}, which reaches the
     * provider as its runtime configuration, else the session's table option, which reaches only the factory.
     */
    private static final ConfigOption<Duration> QUERY_TIMEOUT = ConfigOptions.key("timeout").durationType()
            .noDefaultValue();
    private static final ConfigOption<Duration> TABLE_TIMEOUT = ConfigOptions
            .key("table.exec.async-ml-predict.timeout").durationType().defaultValue(Duration.ofMinutes(3));
    /**
     * Left between a row's last possible attempt and the planner's timeout, besides the connect timeout (an
     * attempt's own timeout starts once connected): grants booked up to a second ahead, twice, and slack.
     */
    private static final Duration TIMEOUT_SLACK = Duration.ofSeconds(10);

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(ENDPOINT, MODEL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(BASE_URL, TASK, TOKEN_ENV, TOKEN_FILE, TEAM_ID, SYSTEM_PROMPT, REQUESTS_PER_MINUTE,
                TOKENS_PER_MINUTE, ADAPTIVE, INITIAL_REQUESTS_PER_SECOND, DEFAULT_MAX_TOKENS, MAX_CONNECTIONS,
                ATTEMPT_TIMEOUT, MAX_ATTEMPTS, INITIAL_BACKOFF, BACKOFF_MULTIPLIER, MAX_BACKOFF, DEADLINE,
                ERROR_STRATEGY);
    }

    @Override
    public ModelProvider createModelProvider(ModelProviderFactory.Context context) {
        FactoryUtil.ModelProviderFactoryHelper helper = FactoryUtil.createModelProviderFactoryHelper(this, context);
        helper.validateExcept(BODY_PREFIX);
        String model = "model " + context.getObjectIdentifier().asSummaryString() + " (provider 'friendli'): ";
        try {
            return new Provider(FriendliModel.of(helper.getOptions(), context.getCatalogModel()),
                    context.getConfiguration().get(TABLE_TIMEOUT), model);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ValidationException(model + e.getMessage(), e);
        }
    }

    /**
     * What a {@code CREATE MODEL} statement says, validated once; the function is made from it when the planner
     * knows the query's timeout.
     *
     * @param retry the retry options, checked; the deadline a query uses is fitted to its timeout
     * @param deadline {@code retry.deadline} as given, or {@code null}: fitted
     */
    record FriendliModel(
            EndpointConfig endpoint,
            PacingSettings pacing,
            RetryPolicy retry,
            Duration deadline,
            RowRequests requests,
            OutputColumns output,
            ErrorStrategy errors) {

        static FriendliModel of(ReadableConfig options, ResolvedCatalogModel model) {
            String endpoint = options.get(ENDPOINT).trim();
            String given = options.getOptional(TASK).orElse(null);
            Task task = given == null ? null : Task.named(given);
            String lower = endpoint.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
            Deployment deployment;
            String baseUrl;
            if (lower.equals("serverless") || lower.equals("dedicated")) {
                deployment = lower.equals("serverless") ? Deployment.SERVERLESS : Deployment.DEDICATED;
                baseUrl = options.getOptional(BASE_URL).orElse(EndpointConfig.FRIENDLI_BASE_URL);
            } else if (lower.startsWith("http://") || lower.startsWith("https://")) {
                deployment = Deployment.OPENAI_COMPATIBLE;
                baseUrl = endpoint.replaceAll("/+$", "");
                // As the openai provider takes it: the operation's own URL names the task too.
                if (lower.endsWith("/chat/completions")) {
                    baseUrl = baseUrl.substring(0, baseUrl.length() - "/chat/completions".length());
                    task = task == null ? Task.CHAT : task;
                } else if (lower.endsWith("/completions")) {
                    baseUrl = baseUrl.substring(0, baseUrl.length() - "/completions".length());
                    task = task == null ? Task.COMPLETIONS : task;
                }
            } else {
                throw new IllegalArgumentException("'endpoint' = '" + endpoint + "': use serverless, dedicated, or"
                        + " the base URL of an OpenAI-compatible server (http://host:8000/v1)");
            }
            task = task == null ? Task.CHAT : task;
            if (task == Task.TOOL_ASSISTED_CHAT && deployment != Deployment.SERVERLESS) {
                throw new IllegalArgumentException("'task' = 'tool-assisted-chat' needs 'endpoint' = 'serverless'");
            }

            EndpointConfig.Builder client = EndpointConfig.builder(baseUrl, deployment)
                    .token(token(options, deployment))
                    .attemptTimeout(options.get(ATTEMPT_TIMEOUT))
                    .maxConnections(options.get(MAX_CONNECTIONS));
            options.getOptional(TEAM_ID).ifPresent(client::teamId);

            // Serverless has a quota to approach; a dedicated endpoint or a server of one's own has capacity only.
            double initialRate = deployment == Deployment.SERVERLESS
                    ? PacingSettings.DEFAULT_INITIAL_REQUESTS_PER_SECOND : 0;
            PacingSettings pacing = new PacingSettings(options.get(REQUESTS_PER_MINUTE),
                    options.get(TOKENS_PER_MINUTE),
                    options.getOptional(ADAPTIVE).orElse(deployment != Deployment.OPENAI_COMPATIBLE),
                    options.getOptional(INITIAL_REQUESTS_PER_SECOND).orElse(initialRate),
                    options.get(DEFAULT_MAX_TOKENS));
            // Built with the deadline given (else the default) so that the retry options are checked here, at
            // CREATE MODEL; the deadline used is fitted to each query's timeout.
            RetryPolicy retry = RetryPolicy.custom().maxAttempts(options.get(MAX_ATTEMPTS))
                    .initialBackoff(options.get(INITIAL_BACKOFF)).multiplier(options.get(BACKOFF_MULTIPLIER))
                    .maxBackoff(options.get(MAX_BACKOFF))
                    .deadline(options.getOptional(DEADLINE).orElse(RetryPolicy.DEFAULT_DEADLINE)).build();

            Map<String, String> body = bodyOptions(model.getOptions());
            RowRequests requests = new RowRequests(task, options.get(MODEL),
                    options.getOptional(SYSTEM_PROMPT).orElse(null), body,
                    InputColumns.of(model.getResolvedInputSchema()));
            requireValidDefaults(requests);
            return new FriendliModel(client.build(), pacing, retry,
                    options.getOptional(DEADLINE).orElse(null), requests,
                    OutputColumns.of(model.getResolvedOutputSchema()), options.get(ERROR_STRATEGY));
        }

        /**
         * The function for a query whose async operator gives up on a row after {@code queryTimeout}: each row
         * must end, as an answer or an error, before that, or the planner fails the job.
         */
        InferenceFunction<RowData> function(Duration queryTimeout) {
            Duration attempt = endpoint.attemptTimeout();
            Duration usable = queryTimeout.minus(endpoint.connectTimeout()).minus(TIMEOUT_SLACK);
            String raise = "raise the query's async timeout: ML_PREDICT(..., MAP['timeout', '30min']), or SET"
                    + " 'table.exec.async-ml-predict.timeout' = '30min'";
            if (attempt.compareTo(usable) >= 0) {
                throw new IllegalArgumentException("'attempt-timeout' (" + attempt.toSeconds() + " s) does not fit"
                        + " in the query's async timeout (" + queryTimeout.toSeconds() + " s) with the connect"
                        + " timeout and 10 s to spare: " + raise + "; or lower 'attempt-timeout'");
            }
            // Waiting for a turn and retrying each take up to the deadline, and the last attempt its own time.
            Duration fits = usable.minus(attempt).dividedBy(2);
            Duration chosen = deadline != null ? deadline : RetryPolicy.DEFAULT_DEADLINE;
            if (chosen.compareTo(fits) > 0) {
                if (deadline != null) {
                    throw new IllegalArgumentException("'retry.deadline' (" + deadline.toSeconds() + " s) does not"
                            + " fit in the query's async timeout (" + queryTimeout.toSeconds() + " s): a row may wait"
                            + " that long for its turn and again retry, so the timeout must be at least twice the"
                            + " deadline plus 'attempt-timeout', the connect timeout and 10 s; " + raise);
                }
                chosen = fits;
            }
            if (chosen.compareTo(retry.initialBackoff()) <= 0) {
                throw new IllegalArgumentException("the query's async timeout (" + queryTimeout.toSeconds() + " s)"
                        + " leaves a retry deadline of " + chosen.toMillis() + " ms, no longer than"
                        + " 'retry.initial-backoff': " + raise);
            }
            RetryPolicy fitted = RetryPolicy.from(retry).deadline(chosen).build();
            return new InferenceFunction<>(endpoint, pacing, fitted, requests);
        }

        private static ApiToken token(ReadableConfig options, Deployment deployment) {
            String env = options.getOptional(TOKEN_ENV).orElse(null);
            String file = options.getOptional(TOKEN_FILE).orElse(null);
            if (env != null && file != null) {
                throw new IllegalArgumentException("give the token by 'token-env' or by 'token-file', not both");
            }
            if (file != null) {
                return ApiToken.inFile(Path.of(file));
            }
            if (env != null) {
                return ApiToken.inEnv(env);
            }
            return deployment == Deployment.OPENAI_COMPATIBLE
                    ? ApiToken.none() : ApiToken.inEnv(ApiToken.DEFAULT_ENV_VAR);
        }

        private static Map<String, String> bodyOptions(Map<String, String> all) {
            return all.entrySet().stream().filter(e -> e.getKey().startsWith(BODY_PREFIX))
                    .collect(Collectors.toMap(e -> e.getKey().substring(BODY_PREFIX.length()), Map.Entry::getValue,
                            (a, b) -> b, TreeMap::new));
        }

        /** Refuses, at CREATE MODEL, body fields that would make every row's request invalid. */
        private static void requireValidDefaults(RowRequests requests) {
            CheckedRequest probe;
            try {
                probe = RequestCheck.check(requests.kind(), requests.body("probe", null, null));
            } catch (Exception e) {
                throw new IllegalArgumentException("the body.* options do not make a request body: " + e.getMessage());
            }
            if (!probe.isValid()) {
                throw new IllegalArgumentException("the body.* options break the API's rules: " + probe.violations()
                        .stream().map(Violation::message).collect(Collectors.joining("; ")));
            }
        }
    }

    /** Hands the planner one function per query, its deadline fitted to the query's timeout. */
    static final class Provider implements AsyncPredictRuntimeProvider {
        private final FriendliModel model;
        /** The session's {@code table.exec.async-ml-predict.timeout} when the model was planned. */
        private final Duration sessionTimeout;
        /** Names the model in errors. */
        private final String name;

        Provider(FriendliModel model, Duration sessionTimeout, String name) {
            this.model = model;
            this.sessionTimeout = sessionTimeout;
            this.name = name;
        }

        @Override
        public AsyncPredictFunction createAsyncPredictFunction(ModelProvider.Context context) {
            Duration timeout = context.runtimeConfig().getOptional(QUERY_TIMEOUT).orElse(sessionTimeout);
            try {
                return new FriendliPredictFunction(model.function(timeout), model.output(), model.errors());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new ValidationException(name + e.getMessage(), e);
            }
        }

        @Override
        public ModelProvider copy() {
            return new Provider(model, sessionTimeout, name);
        }
    }
}
