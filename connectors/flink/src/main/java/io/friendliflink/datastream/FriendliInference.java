package io.friendliflink.datastream;

import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.client.EndpointConfig;
import io.friendliflink.operator.CallOutcome;
import io.friendliflink.operator.CommittingAsyncWaitOperatorFactory;
import io.friendliflink.operator.InferenceFunction;
import io.friendliflink.operator.PacingSettings;
import io.friendliflink.operator.SplitOutcomes;
import io.friendliflink.policy.RetryPolicy;
import io.friendliflink.policy.SpendLimits;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Calls a Friendli (or OpenAI-compatible) endpoint for every element of a stream: the building block the bulk
 * job itself is made of.
 *
 * <p>Every element ends exactly once, as an {@link Answered} in {@link InferenceStreams#results()} or a
 * {@link Failed} in {@link InferenceStreams#failures()}, with the guarantees of the job:
 * <ul>
 *   <li>the request and token budgets are the job's, shared out among the subtasks; with {@code adaptive} the
 *       rate and the requests in flight follow what the endpoint shows it can take;
 *   <li>{@code 429}s, {@code 5xx} and dropped connections are retried with backoff, honouring {@code Retry-After},
 *       inside the operator (Flink's own retry strategy stops retrying once a bounded input ends);
 *   <li>requests in flight are part of each checkpoint and sent again on restore, so with an exactly-once sink
 *       each element's outcome is written once; checkpoints continue while the tail of a bounded input is
 *       answered, and no request is dropped when it ends;
 *   <li>a request that cannot succeed becomes a {@link Failed}, never a failed job; the job fails, without
 *       restarts, only when the endpoint cannot serve it at all (credentials refused, unreachable).
 * </ul>
 * The operator registers its metrics (requests, successes, failures by cause, retries, 429s, in flight, the
 * current rate limit, latency, tokens) under the metric group {@code friendli}.
 *
 * <p>{@code
 * InferenceStreams<Question> out = FriendliInference.to(endpoint)
 *         .requestsPerMinute(600)
 *         .call(questions, q -> PreparedRequest.of(ChatCompletionsRequest.builder("my-model")
 *                 .messages(ChatMessage.user(q.text())).build()));
 * out.results().map(a -> a.input().id() + "\t" + a.result().choices().get(0).text()) ...
 * out.failures().map(f -> f.input().id() + "\t" + f.errorType() + ": " + f.message()) ...
 * }
 */
@PublicEvolving
public final class FriendliInference {
    /** Elements each subtask holds at once unless told otherwise. */
    public static final int DEFAULT_CAPACITY = 256;

    private final EndpointConfig endpoint;
    private PacingSettings pacing = PacingSettings.UNLIMITED;
    private RetryPolicy retry = RetryPolicy.ofDefaults();
    private int capacity = DEFAULT_CAPACITY;
    private boolean ordered;
    private String name = "friendli";
    private String sendGate;
    private SpendLimits spend = SpendLimits.NONE;
    private OutputCheck outputCheck;
    private int invalidOutputRetries;

    private FriendliInference(EndpointConfig endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * Calls {@code endpoint}, with no budget and the default retries until told otherwise. Its token is best given
     * as {@link io.friendliflink.client.ApiToken#inEnv} or {@link io.friendliflink.client.ApiToken#inFile}: read
     * on each task manager, never carried in the job graph.
     */
    public static FriendliInference to(EndpointConfig endpoint) {
        return new FriendliInference(endpoint);
    }

    /** The job-wide budgets and adaptive control (default: none, not adaptive). */
    public FriendliInference pacing(PacingSettings pacing) {
        this.pacing = Objects.requireNonNull(pacing, "pacing");
        return this;
    }

    /** A job-wide request budget, keeping the other pacing settings. */
    public FriendliInference requestsPerMinute(long requestsPerMinute) {
        return pacing(new PacingSettings(requestsPerMinute, pacing.tokensPerMinute(), pacing.adaptive(),
                pacing.initialRequestsPerSecond(), pacing.defaultMaxTokens()));
    }

    /** Attempts, backoff and the deadline of one element (default: {@link RetryPolicy#ofDefaults()}). */
    public FriendliInference retry(RetryPolicy retry) {
        this.retry = Objects.requireNonNull(retry, "retry");
        return this;
    }

    /** Elements each subtask holds at once: waiting for their turn, in flight or between attempts (default 256). */
    public FriendliInference capacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
        return this;
    }

    /** Whether outcomes leave in the order elements came (default: as they are answered, which is faster). */
    public FriendliInference ordered(boolean ordered) {
        this.ordered = ordered;
        return this;
    }

    /**
     * The calling operator's name and uid, unique within a job (default {@code friendli}); the operator that
     * splits the outcomes is {@code <name>-outcomes}. Keep it between versions of a job so a savepoint restores
     * the requests that were in flight.
     */
    public FriendliInference name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        this.name = name;
        return this;
    }

    /**
     * Checks every successful answer with {@code check} (e.g. {@link JsonSchemaCheck}); an answer it refuses is
     * asked for again up to {@code retries} times, then the element ends as a {@link Failed} of type
     * {@code invalid_output} with the check's reason and the last answer's body.
     */
    public FriendliInference checkOutput(OutputCheck check, int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, was " + retries);
        }
        this.outputCheck = check;
        this.invalidOutputRetries = retries;
        return this;
    }

    /** The {@link io.friendliflink.operator.SendGate} through which the job's own runner stops the sending. */
    @Internal
    public FriendliInference sendGate(String sendGate) {
        this.sendGate = sendGate;
        return this;
    }

    /**
     * The most the run may spend, in tokens and in cost (default: no cap). Elements not sent once it is reached
     * end as a {@link Failed} of type {@code budget_exhausted}; see {@link io.friendliflink.policy.SpendCap}.
     */
    public FriendliInference spendCap(SpendLimits spend) {
        this.spend = Objects.requireNonNull(spend, "spend");
        return this;
    }

    /** Sends a request for each element of {@code input}, made by {@code mapper}. */
    public <T> InferenceStreams<T> call(DataStream<T> input, RequestMapper<T> mapper) {
        Objects.requireNonNull(mapper, "mapper");
        TypeInformation<T> inputType = input.getType();
        TypeInformation<Answered<T>> answeredType = answeredType(inputType);
        TypeInformation<Failed<T>> failedType = failedType(inputType);
        TypeInformation<CallOutcome<T>> outcomeType = pojo(CallOutcome.class,
                Map.of("answered", answeredType, "failed", failedType));

        InferenceFunction<T> function = new InferenceFunction<>(endpoint, pacing, retry, mapper, sendGate, spend)
                .withOutputCheck(outputCheck, invalidOutputRetries);
        long timeoutMs = InferenceFunction.operatorTimeout(retry, endpoint).toMillis();
        SingleOutputStreamOperator<CallOutcome<T>> outcomes = input.transform(name, outcomeType,
                new CommittingAsyncWaitOperatorFactory<>(function, timeoutMs, capacity,
                        ordered ? OutputMode.ORDERED : OutputMode.UNORDERED))
                .uid(name);
        OutputTag<Failed<T>> failedTag = new OutputTag<>(name + "-failed", failedType);
        SingleOutputStreamOperator<Answered<T>> results = outcomes
                .process(new SplitOutcomes<>(failedTag), answeredType)
                .name(name + " outcomes")
                .uid(name + "-outcomes");
        return new InferenceStreams<>(results, results.getSideOutput(failedTag));
    }

    /** {@link Answered} of {@code inputType}, as a POJO: its fields are serialized by Flink, not Kryo. */
    public static <T> TypeInformation<Answered<T>> answeredType(TypeInformation<T> inputType) {
        return pojo(Answered.class, Map.of(
                "input", inputType,
                "result", TypeInformation.of(InferenceResult.class),
                "body", Types.STRING,
                "status", Types.INT,
                "attempts", Types.INT,
                "latencyMs", Types.LONG,
                "totalLatencyMs", Types.LONG,
                "retries", Types.LIST(Types.STRING)));
    }

    /** {@link Failed} of {@code inputType}, as a POJO. */
    public static <T> TypeInformation<Failed<T>> failedType(TypeInformation<T> inputType) {
        return pojo(Failed.class, Map.of(
                "input", inputType,
                "errorType", Types.STRING,
                "message", Types.STRING,
                "status", Types.INT,
                "attempts", Types.INT,
                "retries", Types.LIST(Types.STRING),
                "body", Types.STRING));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <X> TypeInformation<X> pojo(Class<?> type, Map<String, TypeInformation<?>> fields) {
        return (TypeInformation) Types.POJO(type, fields);
    }
}
