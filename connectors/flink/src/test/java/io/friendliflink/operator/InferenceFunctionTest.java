package io.friendliflink.operator;

import static io.friendliflink.operator.CannedEndpoint.after;
import static io.friendliflink.operator.CannedEndpoint.hangUp;
import static io.friendliflink.operator.CannedEndpoint.json;
import static io.friendliflink.operator.CannedEndpoint.ok;
import static io.friendliflink.operator.CannedEndpoint.sse;
import static io.friendliflink.operator.CannedEndpoint.stall;
import static io.friendliflink.operator.CannedEndpoint.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.api.ApiKind;
import io.friendliflink.client.ApiToken;
import io.friendliflink.client.Deployment;
import io.friendliflink.client.EndpointConfig;
import io.friendliflink.client.PreparedRequest;
import io.friendliflink.datastream.Failed;
import io.friendliflink.lines.RequestLine;
import io.friendliflink.policy.Pricing;
import io.friendliflink.policy.RetryPolicy;
import io.friendliflink.policy.SpendCap;
import io.friendliflink.policy.SpendLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The async function inside the job's {@link CommittingAsyncWaitOperator}, driven by the operator test harness,
 * against a real HTTP server on 127.0.0.1 that answers each request from a script.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InferenceFunctionTest {

    private static final TypeSerializer<RequestLine> LINES =
            TypeInformation.of(RequestLine.class).createSerializer(new SerializerConfigImpl());
    /** Tiny backoffs keep the tests fast; the deadline is far enough not to interfere unless a test sets it. */
    private static final RetryPolicy RETRY =
            RetryPolicy.custom().maxAttempts(4).initialBackoff(Duration.ofMillis(5)).multiplier(2.0)
                    .maxBackoff(Duration.ofMillis(20)).deadline(Duration.ofSeconds(10)).build();
    private static final long OPERATOR_TIMEOUT_MS = 60_000;

    private CannedEndpoint endpoint;
    private final List<WallClockHarness<RequestLine, CallOutcome<RequestLine>>> harnesses = new ArrayList<>();

    @BeforeEach
    void startEndpoint() throws Exception {
        endpoint = new CannedEndpoint();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (var h : harnesses) {
            h.close();
        }
        endpoint.close();
    }

    // ---- an endpoint that cannot serve the run

    @Test
    void anEndpointThatAcceptsNoConnectionFailsTheTaskInsteadOfFailingEveryLine() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        EndpointConfig nowhere = EndpointConfig.builder("http://127.0.0.1:" + closedPort, Deployment.SERVERLESS).token(ApiToken.none())
                .attemptTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(2)).maxConnections(16).build();
        var harness = harness(new InferenceFunction<>(nowhere, PacingSettings.UNLIMITED, RETRY, RequestLine::request), 64);
        List<Throwable> taskFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        harness.getEnvironment().setExternalFailureCauseConsumer(taskFailures::add);
        harness.open();

        for (int i = 0; i < 30; i++) {
            harness.processElement(line("line-" + i), 0);
        }
        harness.endInput();

        assertThat(taskFailures).as("the task is failed").isNotEmpty();
        assertThat(EndpointUnusableException.findIn(taskFailures.get(0))).as("the cause").isNotNull()
                .extracting(Throwable::getMessage).asString()
                .startsWith("the endpoint cannot be reached: 20 attempts").contains("Check endpoint.base-url");
        assertThat(harness.extractOutputValues().stream().filter(o -> !o.isAnswered()).map(o -> o.failed().errorType()))
                .as("lines failed before the rule stopped the task").doesNotContain("unauthorized");
    }

    @Test
    void refusedCredentialsFailTheTaskAfterFiveAnswers() throws Exception {
        for (int i = 0; i < 8; i++) {
            endpoint.script("line-" + i, json(401, "{\"message\":\"invalid token\"}"));
        }
        var harness = harness(function(RETRY), 1);
        List<Throwable> taskFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        harness.getEnvironment().setExternalFailureCauseConsumer(taskFailures::add);
        harness.open();

        for (int i = 0; i < 8; i++) {
            harness.processElement(line("line-" + i), 0);
        }
        harness.endInput();

        assertThat(taskFailures).as("the task is failed").isNotEmpty();
        assertThat(EndpointUnusableException.findIn(taskFailures.get(0))).isNotNull()
                .extracting(Throwable::getMessage).asString()
                .startsWith("the endpoint refused the credentials: 5 answers were 401 Unauthorized")
                .contains("invalid token");
        assertThat(harness.extractOutputValues()).as("the first four refusals, before the rule fired").hasSize(4)
                .allSatisfy(o -> assertThat(o.failed().errorType()).isEqualTo("unauthorized"));
    }

    // ---- retries

    @Test
    void retriesA429HonouringRetryAfterThenSucceeds() throws Exception {
        endpoint.script("a", json(429, "{\"error\":{\"message\":\"slow down\"}}", "Retry-After: 1"));
        var harness = open(function(RETRY), 10);

        harness.processElement(line("a"), 0);
        harness.endInput();

        CallOutcome<RequestLine> outcome = only(harness);
        assertThat(outcome.isAnswered()).isTrue();
        assertThat(outcome.answered().attempts()).isEqualTo(2);
        assertThat(outcome.answered().status()).isEqualTo(200);
        assertThat(outcome.retries()).containsExactly("rate_limited");
        List<CannedEndpoint.Arrival> arrivals = endpoint.arrivals();
        assertThat(arrivals).hasSize(2);
        assertThat(arrivals.get(1).atNanos() - arrivals.get(0).atNanos())
                .as("waited for Retry-After: 1, not the 5 ms backoff")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(950));
    }

    @Test
    void retriesServerErrorsWithBackoffThenSucceeds() throws Exception {
        endpoint.script("a", json(500, "{\"message\":\"boom\"}"), json(503, "{\"message\":\"busy\"}"));
        var harness = open(function(RETRY), 10);

        harness.processElement(line("a"), 0);
        harness.endInput();

        CallOutcome<RequestLine> outcome = only(harness);
        assertThat(outcome.isAnswered()).isTrue();
        assertThat(outcome.answered().attempts()).isEqualTo(3);
        assertThat(outcome.retries()).containsExactly("server_error", "server_error");
        assertThat(outcome.answered().result().choices().get(0).text()).isEqualTo("answer a");
        assertThat(endpoint.arrivalsOf("a")).isEqualTo(3);
    }

    @Test
    void unprocessableRequestIsNotRetriedAndBecomesAClientErrorRowWithTheApiMessage() throws Exception {
        endpoint.script("a", json(422,
                "{\"error\":{\"message\":\"max_tokens must be at least 1\",\"type\":\"invalid_request_error\"}}"));
        var harness = open(function(RETRY), 10);

        harness.processElement(line("a"), 0);
        harness.endInput();

        Failed<RequestLine> error = only(harness).failed();
        assertThat(error.errorType()).isEqualTo("client_error");
        assertThat(error.message()).contains("max_tokens must be at least 1");
        assertThat(error.status()).isEqualTo(422);
        assertThat(error.attempts()).isEqualTo(1);
        assertThat(error.input().customId()).isEqualTo("a");
        assertThat(error.input().rawLine()).isEqualTo(line("a").rawLine());
        assertThat(endpoint.arrivalsOf("a")).isEqualTo(1);
    }

    @Test
    void unauthorizedIsNotRetried() throws Exception {
        endpoint.script("a", json(401, "{\"message\":\"invalid token\"}"));
        var harness = open(function(RETRY), 10);

        harness.processElement(line("a"), 0);
        harness.endInput();

        Failed<RequestLine> error = only(harness).failed();
        assertThat(error.errorType()).isEqualTo("unauthorized");
        assertThat(error.status()).isEqualTo(401);
        assertThat(error.attempts()).isEqualTo(1);
        assertThat(only(harness).retries()).isEmpty();
        assertThat(endpoint.arrivalsOf("a")).isEqualTo(1);
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastCauseAndTheAttemptCount() throws Exception {
        endpoint.script("a", json(503, "{}"), json(503, "{}"), json(503, "{}"), json(503, "{}"), json(503, "{}"));
        var harness = open(function(RETRY), 10);

        harness.processElement(line("a"), 0);
        harness.endInput();

        CallOutcome<RequestLine> outcome = only(harness);
        assertThat(outcome.failed().errorType()).isEqualTo("server_error");
        assertThat(outcome.failed().status()).isEqualTo(503);
        assertThat(outcome.failed().attempts()).isEqualTo(4);
        assertThat(outcome.failed().message()).contains("4 attempts");
        assertThat(outcome.retries()).containsExactly("server_error", "server_error", "server_error");
        assertThat(endpoint.arrivalsOf("a")).isEqualTo(4);
    }

    @Test
    void givesUpWhenTheNextRetryWouldPassTheDeadline() throws Exception {
        endpoint.script("a", json(429, "{}", "Retry-After: 5"));
        RetryPolicy oneSecond =
                RetryPolicy.custom().maxAttempts(8).initialBackoff(Duration.ofMillis(5)).multiplier(2.0)
                    .maxBackoff(Duration.ofMillis(20)).deadline(Duration.ofSeconds(1)).build();
        var harness = open(function(oneSecond), 10);

        long start = System.nanoTime();
        harness.processElement(line("a"), 0);
        harness.endInput();

        Failed<RequestLine> error = only(harness).failed();
        assertThat(error.errorType()).isEqualTo("rate_limited");
        assertThat(error.message()).contains("deadline");
        assertThat(error.attempts()).isEqualTo(1);
        assertThat(System.nanoTime() - start).as("gave up at once").isLessThan(TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void anAttemptThatTimesOutIsRetried() throws Exception {
        endpoint.script("a", stall());
        var harness = open(function(RETRY, Duration.ofMillis(300)), 10);

        harness.processElement(line("a"), 0);
        harness.endInput();

        CallOutcome<RequestLine> outcome = only(harness);
        assertThat(outcome.isAnswered()).isTrue();
        assertThat(outcome.retries()).containsExactly("timeout");
        assertThat(outcome.answered().attempts()).isEqualTo(2);
    }

    @Test
    void aResetOrClosedConnectionIsRetried() throws Exception {
        endpoint.script("a", hangUp(true));
        endpoint.script("b", hangUp(false));
        var harness = open(function(RETRY), 10);

        harness.processElement(line("a"), 0);
        harness.processElement(line("b"), 0);
        harness.endInput();

        for (CallOutcome<RequestLine> outcome : harness.extractOutputValues()) {
            assertThat(outcome.isAnswered()).isTrue();
            assertThat(outcome.retries()).containsExactly("connection");
            assertThat(outcome.answered().attempts()).isEqualTo(2);
        }
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void aTruncatedStreamIsRetried() throws Exception {
        endpoint.script("a", sse(false), sse(true));
        var harness = open(function(RETRY), 10);

        harness.processElement(streamingLine("a"), 0);
        harness.endInput();

        CallOutcome<RequestLine> outcome = only(harness);
        assertThat(outcome.isAnswered()).isTrue();
        assertThat(outcome.retries()).containsExactly("truncated_stream");
        assertThat(outcome.answered().result().choices().get(0).text()).isEqualTo("answer a");
        assertThat(endpoint.arrivalsOf("a")).isEqualTo(2);
    }

    @Test
    void aRequestTheEndpointCannotTakeBecomesAnErrorRowWithoutBeingSent() throws Exception {
        EndpointConfig dedicated = EndpointConfig.builder(endpoint.url(), Deployment.DEDICATED).token(ApiToken.none())
                .attemptTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(2)).maxConnections(4).build();
        var harness = open(new InferenceFunction<>(dedicated, PacingSettings.UNLIMITED, RETRY, RequestLine::request), 10);
        RequestLine line = line("a");
        PreparedRequest chat = line.request();
        RequestLine toolChat = new RequestLine("a", line.url(), new PreparedRequest(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS,
                null, chat.body(), "m", false, 16, 1, 0), line.rawLine(), "requests.jsonl:1");

        harness.processElement(toolChat, 0);
        harness.endInput();

        Failed<RequestLine> error = only(harness).failed();
        assertThat(error.errorType()).isEqualTo("unsupported_request");
        assertThat(error.attempts()).as("nothing was sent").isZero();
        assertThat(error.status()).isNull();
        assertThat(endpoint.arrivals()).isEmpty();
    }

    // ---- pacing inside the operator

    @Test
    void aTokenBudgetWaitsOnTheTimerAndReportedUsageLetsWaitingRequestsThrough() throws Exception {
        // Each request is estimated at 17 tokens (1 prompt character, max_tokens 16) and reports 5 used: a
        // budget of 40 a minute admits two at once, and more only as the reported usage refunds the rest.
        PacingSettings fortyTokens = new PacingSettings(0, 40, false, 10, 256);
        EndpointConfig settings = EndpointConfig.builder(endpoint.url(), Deployment.SERVERLESS).token(ApiToken.none())
                .attemptTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(2)).maxConnections(4).build();
        var harness = open(new InferenceFunction<>(settings, fortyTokens, RETRY, RequestLine::request), 10);

        long start = System.nanoTime();
        for (String id : List.of("a", "b", "c", "d")) {
            harness.processElement(line(id), 0);
        }
        harness.endInput();

        assertThat(harness.extractOutputValues()).hasSize(4).allMatch(CallOutcome::isAnswered);
        List<CannedEndpoint.Arrival> arrivals = endpoint.arrivals();
        assertThat(arrivals.get(2).atNanos() - arrivals.get(0).atNanos())
                .as("the third waited for a refund").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(System.nanoTime() - start)
                .as("refunds, not the minute window, let them through").isLessThan(TimeUnit.SECONDS.toNanos(15));
    }

    @Test
    void aRequestStillWaitingForBudgetAtItsDeadlineEndsAsDeadlineExceededInsteadOfWaitingOn() throws Exception {
        // 17 tokens a request against 20 a minute: the second could go only a minute later, the deadline is 300 ms.
        endpoint.script("a", ok());
        PacingSettings twentyTokens = new PacingSettings(0, 20, false, 10, 256);
        EndpointConfig settings = EndpointConfig.builder(endpoint.url(), Deployment.SERVERLESS).token(ApiToken.none())
                .attemptTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(2)).maxConnections(4).build();
        RetryPolicy shortDeadline =
                RetryPolicy.custom().maxAttempts(4).initialBackoff(Duration.ofMillis(5)).multiplier(2.0)
                    .maxBackoff(Duration.ofMillis(20)).deadline(Duration.ofMillis(300)).build();
        var harness = open(new InferenceFunction<>(settings, twentyTokens, shortDeadline, RequestLine::request), 10);

        long start = System.nanoTime();
        harness.processElement(line("a"), 0);
        harness.processElement(line("b"), 0);
        harness.endInput();

        List<CallOutcome<RequestLine>> outcomes = harness.extractOutputValues();
        assertThat(outcomes).hasSize(2);
        assertThat(outcomes).filteredOn(CallOutcome::isAnswered).extracting(o -> o.answered().input().customId())
                .containsExactly("a");
        Failed<RequestLine> late = outcomes.stream().filter(o -> !o.isAnswered()).findFirst().orElseThrow().failed();
        assertThat(late.input().customId()).isEqualTo("b");
        assertThat(late.errorType()).isEqualTo("deadline_exceeded");
        assertThat(late.attempts()).isZero();
        assertThat(endpoint.arrivals()).hasSize(1);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
    }

    /**
     * On the operator's processing time, which the test moves: the second request would wait a minute for the
     * token budget, and ends when processing time passes its deadline of 30 s, without the test waiting for either.
     */
    @Test
    void onProcessingTimeTheTestMovesARequestWaitingForBudgetEndsAtItsDeadlineWithoutWaitingForIt() throws Exception {
        endpoint.script("a", ok());
        PacingSettings twentyTokens = new PacingSettings(0, 20, false, 10, 256);
        RetryPolicy thirtySeconds = RetryPolicy.custom().maxAttempts(4).initialBackoff(Duration.ofMillis(5))
                .multiplier(2.0).maxBackoff(Duration.ofMillis(20)).deadline(Duration.ofSeconds(30)).build();
        InferenceFunction<RequestLine> function = new InferenceFunction<>(config(Duration.ofSeconds(5)), twentyTokens,
                thirtySeconds, RequestLine::request);
        var harness = open(function, 10);

        long start = System.nanoTime();
        harness.processElement(line("a"), 0);
        harness.processElement(line("b"), 0);
        while (function.unfinishedCalls() > 1) { // "a" is answered over the network, in real time
            Thread.onSpinWait();
        }
        harness.setProcessingTime(TimeUnit.SECONDS.toMillis(29));
        harness.runMails();
        assertThat(function.unfinishedCalls()).as("b still waits its turn").isEqualTo(1);
        harness.setProcessingTime(TimeUnit.SECONDS.toMillis(30) + 1);
        harness.runMails();
        assertThat(function.unfinishedCalls()).isZero();
        harness.endInput();

        Failed<RequestLine> late = harness.extractOutputValues().stream().filter(o -> !o.isAnswered())
                .findFirst().orElseThrow().failed();
        assertThat(late.input().customId()).isEqualTo("b");
        assertThat(late.errorType()).isEqualTo("deadline_exceeded");
        assertThat(endpoint.arrivals()).hasSize(1);
        assertThat(System.nanoTime() - start).as("no real wait").isLessThan(TimeUnit.SECONDS.toNanos(10));
    }

    /**
     * A Retry-After of 30 s is a timer on the operator's processing time: the retry is not sent while the test
     * holds processing time at 29 s, and is sent, and answered, once it passes 30 s; no real time goes by.
     */
    @Test
    void aRetryAfterIsKeptOnTheOperatorsProcessingTime() throws Exception {
        endpoint.script("a", json(429, "{\"error\":{\"message\":\"slow down\"}}", "Retry-After: 30"));
        RetryPolicy patient = RetryPolicy.custom().maxAttempts(4).initialBackoff(Duration.ofMillis(5))
                .multiplier(2.0).maxBackoff(Duration.ofMillis(20)).deadline(Duration.ofMinutes(5)).build();
        InferenceFunction<RequestLine> function = function(patient);
        var harness = open(function, 10);

        long start = System.nanoTime();
        harness.processElement(line("a"), 0);
        endpoint.awaitArrivals(1);
        awaitMail(harness); // the 429's answer sets the retry's timer through a mail
        harness.setProcessingTime(TimeUnit.SECONDS.toMillis(29));
        harness.runMails();
        assertThat(endpoint.arrivals()).as("no retry before Retry-After").hasSize(1);

        harness.setProcessingTime(TimeUnit.SECONDS.toMillis(31));
        harness.runMails();
        endpoint.awaitArrivals(2);
        harness.endInput();

        CallOutcome<RequestLine> outcome = only(harness);
        assertThat(outcome.isAnswered()).isTrue();
        assertThat(outcome.retries()).containsExactly("rate_limited");
        assertThat(System.nanoTime() - start).as("no real wait").isLessThan(TimeUnit.SECONDS.toNanos(10));
    }

    /**
     * The README says calls.deadline counts from a request's first attempt. Told 60 a minute, "a" waits about a
     * second for its first send behind "x"; its retry goes a second after that. With a deadline of 1.5 s counted
     * from entering the operator it would end deadline_exceeded before its retry; counted from its first attempt
     * it succeeds.
     */
    @Test
    void theDeadlineCountsFromTheFirstAttemptNotFromEnteringTheOperator() throws Exception {
        endpoint.script("a", json(503, "{\"message\":\"busy\"}"));
        PacingSettings sixty = new PacingSettings(60, 0, false, 10, 256);
        EndpointConfig settings = EndpointConfig.builder(endpoint.url(), Deployment.SERVERLESS).token(ApiToken.none())
                .attemptTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(2)).maxConnections(4).build();
        RetryPolicy deadline =
                RetryPolicy.custom().maxAttempts(4).initialBackoff(Duration.ofMillis(5)).multiplier(2.0)
                    .maxBackoff(Duration.ofMillis(20)).deadline(Duration.ofMillis(1_500)).build();
        var harness = open(new InferenceFunction<>(settings, sixty, deadline, RequestLine::request), 10);

        harness.processElement(line("x"), 0);
        harness.processElement(line("a"), 0);
        harness.endInput();

        CallOutcome<RequestLine> a = harness.extractOutputValues().stream()
                .filter(o -> o.isAnswered() ? o.answered().input().customId().equals("a") : o.failed().input().customId().equals("a"))
                .findFirst().orElseThrow();
        assertThat(a.isAnswered()).as("%s", a.isAnswered() ? "" : a.failed().message()).isTrue();
        assertThat(a.answered().attempts()).isEqualTo(2);
        List<CannedEndpoint.Arrival> arrivals = endpoint.arrivals();
        assertThat(arrivals.get(2).atNanos() - arrivals.get(0).atNanos()).as("the retry went after 1.5 s")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1_500));
    }

    // ---- the operator around the function

    @Test
    void operatorTimeoutEmitsADeadlineExceededErrorRowInsteadOfFailing() throws Exception {
        endpoint.script("a", stall());
        var harness = open(function(RETRY), 10);

        harness.processElement(line("a"), 0);
        endpoint.awaitArrivals(1);
        harness.setProcessingTime(OPERATOR_TIMEOUT_MS + 1); // fires the operator's timer for "a"
        harness.endInput();

        Failed<RequestLine> error = only(harness).failed();
        assertThat(error.errorType()).isEqualTo("deadline_exceeded");
        assertThat(error.input().customId()).isEqualTo("a");
        assertThat(harness.wasFailedExternally()).isFalse();
    }

    @Test
    void neverHasMoreRequestsInFlightThanItsCapacity() throws Exception {
        for (int i = 0; i < 12; i++) {
            endpoint.script("r" + i, after(Duration.ofMillis(50), ok()));
        }
        var harness = open(function(RETRY), 3);

        for (int i = 0; i < 12; i++) {
            harness.processElement(line("r" + i), 0); // blocks (yielding to completions) while 3 are in flight
        }
        harness.endInput();

        assertThat(harness.extractOutputValues()).hasSize(12).allMatch(CallOutcome::isAnswered);
        assertThat(endpoint.maxInFlight()).isEqualTo(3);
    }

    @Test
    void aSnapshotHoldsTheRequestsInFlightAndARestoredOperatorCompletesEachExactlyOnce() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        for (String id : List.of("a", "b", "c")) {
            endpoint.script(id, when(never, ok())); // answered only after the operator that sent them is gone
        }
        var before = open(function(RETRY), 10);
        for (String id : List.of("a", "b", "c")) {
            before.processElement(line(id), 0);
        }
        endpoint.awaitArrivals(3);

        OperatorSubtaskState snapshot = before.snapshot(1, 1);
        harnesses.remove(before);
        before.close(); // the task fails over: nothing it had in flight was emitted
        assertThat(before.extractOutputValues()).isEmpty();

        var after = harness(function(RETRY), 10);
        after.initializeState(snapshot);
        after.open();
        after.endInput();

        List<CallOutcome<RequestLine>> outcomes = after.extractOutputValues();
        assertThat(outcomes).allMatch(CallOutcome::isAnswered)
                .extracting(o -> o.answered().input().customId()).containsExactlyInAnyOrder("a", "b", "c");
        for (String id : List.of("a", "b", "c")) {
            assertThat(endpoint.arrivalsOf(id)).as("sent before and after the restore: %s", id).isEqualTo(2);
        }
    }

    @Test
    void aRestoredOperatorKeepsWhatTheRunSpentAgainstTheSpendingCap() throws Exception {
        for (String id : List.of("a", "b", "c", "d")) {
            endpoint.script(id, ok()); // 5 tokens each
        }
        var before = open(capped(1_000), 10);
        before.processElement(line("a"), 0);
        before.processElement(line("b"), 0);
        before.endInput();
        OperatorSubtaskState snapshot = before.snapshot(1, 1);
        harnesses.remove(before);
        before.close();

        // 10 tokens spent; "c" books 1 prompt token (estimated) + 16 at most out: 27 > 26.
        var after = harness(capped(26), 10);
        after.initializeState(snapshot);
        after.open();
        after.processElement(line("c"), 0);
        after.endInput();
        var fresh = open(capped(26), 10);
        fresh.processElement(line("d"), 0);
        fresh.endInput();

        assertThat(only(after).failed().errorType()).isEqualTo(SpendCap.ERROR_TYPE);
        assertThat(only(after).failed().message()).as("the restored spending").contains("10 of 26 tokens");
        assertThat(endpoint.arrivalsOf("c")).as("sent after the restore").isZero();
        assertThat(only(fresh).isAnswered()).as("without the restored spending it fits").isTrue();
    }

    private InferenceFunction<RequestLine> capped(long maxTotalTokens) {
        return new InferenceFunction<>(config(Duration.ofSeconds(5)), PacingSettings.UNLIMITED, RETRY,
                RequestLine::request, null, new SpendLimits(maxTotalTokens, 0, Pricing.NONE));
    }

    @Test
    void endInputWaitsForTheCallsInFlight() throws Exception {
        for (String id : List.of("a", "b", "c")) {
            endpoint.script(id, after(Duration.ofMillis(300), ok()));
        }
        var harness = open(function(RETRY), 10);
        for (String id : List.of("a", "b", "c")) {
            harness.processElement(line(id), 0);
        }
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.endInput();

        assertThat(harness.extractOutputValues()).hasSize(3).allMatch(CallOutcome::isAnswered);
    }

    @Test
    void aLongRetryAfterDoesNotHoldUpTheTaskThreadNorOtherElements() throws Exception {
        endpoint.script("slow", json(429, "{}", "Retry-After: 2"));
        var harness = open(function(RETRY), 10);

        long start = System.nanoTime();
        harness.processElement(line("slow"), 0);
        endpoint.awaitArrivals(1); // the 429 is answered; the retry waits on a timer
        harness.processElement(line("fast"), 0);
        long processing = System.nanoTime() - start;
        harness.endInput();

        assertThat(processing).as("processElement returned at once").isLessThan(TimeUnit.MILLISECONDS.toNanos(1_000));
        List<String> order = harness.extractOutputValues().stream().map(o -> o.answered().input().customId()).toList();
        assertThat(order).containsExactly("fast", "slow");
        assertThat(harness.extractOutputValues().get(1).answered().attempts()).isEqualTo(2);
    }

    // ---- one client per endpoint per task manager

    /**
     * Two subtasks of one task manager calling one endpoint share a client (the second finds the first's); it
     * lives while either is open, and closing the first ends only its own calls.
     */
    @Test
    void subtasksWithTheSameEndpointShareOneClientUntilTheLastCloses() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        endpoint.script("held", when(never, ok()));
        InferenceFunction<RequestLine> first = function(RETRY);
        InferenceFunction<RequestLine> second = function(RETRY);
        EndpointConfig config = config(Duration.ofSeconds(5));
        var firstHarness = open(first, 10);
        var secondHarness = open(second, 10);

        assertThat(second.client()).isSameAs(first.client());
        assertThat(SharedClients.leases(config)).isEqualTo(2);

        firstHarness.processElement(line("held"), 0);
        endpoint.awaitArrivals(1);
        harnesses.remove(firstHarness);
        firstHarness.close();
        assertThat(SharedClients.leases(config)).isEqualTo(1);
        secondHarness.processElement(line("after"), 0);
        secondHarness.endInput();
        assertThat(only(secondHarness).isAnswered()).as("the client still serves the other subtask").isTrue();

        harnesses.remove(secondHarness);
        secondHarness.close();
        assertThat(SharedClients.leases(config)).isZero();
        assertThat(first.client().send(ApiKind.CHAT_COMPLETIONS, "{}".getBytes(StandardCharsets.UTF_8), false))
                .as("closed after both").failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining("FriendliClient is closed");
    }

    // ---- fixtures

    private InferenceFunction<RequestLine> function(RetryPolicy retry) {
        return function(retry, Duration.ofSeconds(5));
    }

    private InferenceFunction<RequestLine> function(RetryPolicy retry, Duration attemptTimeout) {
        return new InferenceFunction<>(config(attemptTimeout), PacingSettings.UNLIMITED, retry, RequestLine::request);
    }

    private EndpointConfig config(Duration attemptTimeout) {
        return EndpointConfig.builder(endpoint.url(), Deployment.SERVERLESS).token(ApiToken.none())
                .attemptTimeout(attemptTimeout).connectTimeout(Duration.ofSeconds(2)).maxConnections(16).build();
    }

    private WallClockHarness<RequestLine, CallOutcome<RequestLine>> harness(InferenceFunction<RequestLine> f, int capacity)
            throws Exception {
        var factory = new CommittingAsyncWaitOperatorFactory<RequestLine, CallOutcome<RequestLine>, InferenceFunction<RequestLine>>(
                f, OPERATOR_TIMEOUT_MS, capacity, AsyncDataStream.OutputMode.UNORDERED);
        var harness = new WallClockHarness<>(factory, LINES, f);
        harnesses.add(harness);
        return harness;
    }

    private WallClockHarness<RequestLine, CallOutcome<RequestLine>> open(InferenceFunction<RequestLine> f, int capacity)
            throws Exception {
        var harness = harness(f, capacity);
        harness.open();
        return harness;
    }

    /** Waits until a mail has come in from another thread, then runs the mails. */
    private static void awaitMail(WallClockHarness<RequestLine, CallOutcome<RequestLine>> harness) throws Exception {
        while (!harness.getTaskMailbox().hasMail()) {
            Thread.onSpinWait();
        }
        harness.runMails();
    }

    private static CallOutcome<RequestLine> only(WallClockHarness<RequestLine, CallOutcome<RequestLine>> harness) {
        List<CallOutcome<RequestLine>> outcomes = harness.extractOutputValues();
        assertThat(outcomes).hasSize(1);
        return outcomes.get(0);
    }

    private static RequestLine line(String customId) {
        return requestLine(customId, false);
    }

    private static RequestLine streamingLine(String customId) {
        return requestLine(customId, true);
    }

    private static RequestLine requestLine(String customId, boolean stream) {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + customId + "\"}]"
                + (stream ? ",\"stream\":true" : "") + ",\"max_tokens\":16}";
        String raw = "{\"custom_id\":\"" + customId + "\",\"url\":\"/v1/chat/completions\",\"body\":" + body + "}";
        return new RequestLine(customId, "/v1/chat/completions", new PreparedRequest(ApiKind.CHAT_COMPLETIONS, null,
                body.getBytes(StandardCharsets.UTF_8), "m", stream, 16, customId.length(), 0), raw,
                "requests.jsonl:" + customId);
    }
}
