package io.friendliflink.operator;

import io.friendliflink.api.request.InvalidRequestException;
import io.friendliflink.api.request.Violation;
import io.friendliflink.api.response.ApiError;
import io.friendliflink.api.response.Usage;
import io.friendliflink.client.EndpointConfig;
import io.friendliflink.client.FriendliClient;
import io.friendliflink.client.HttpResult;
import io.friendliflink.client.PreparedRequest;
import io.friendliflink.client.TransportException;
import io.friendliflink.datastream.Answered;
import io.friendliflink.datastream.Failed;
import io.friendliflink.datastream.OutputCheck;
import io.friendliflink.datastream.RequestMapper;
import io.friendliflink.policy.FailFast;
import io.friendliflink.policy.FutureFailures;
import io.friendliflink.policy.RetryDecision;
import io.friendliflink.policy.RetryPolicy;
import io.friendliflink.policy.SpendCap;
import io.friendliflink.policy.SpendLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Sends each element's request to the endpoint and turns the answer into an {@link Answered} or a {@link Failed}.
 *
 * <p>One call reads top to bottom: wait for its turn (request and token budgets, the adaptive limits on
 * rate and on requests in flight; {@link RequestPacer}) → send → classify → retry after a backoff, first in
 * line again, or emit. Retries and waits happen here, on the operator's processing-time timers, never by
 * sleeping on the operator's thread; Flink's own retry strategy is not used because it stops retrying once a bounded
 * input ends. Every input ends as exactly one {@link CallOutcome}: a request that cannot succeed
 * (not a valid request, refused, out of attempts, past its deadline, or past the operator's timeout) becomes a
 * {@link Failed} with the cause, so the job never fails for one request. It fails, without restarts, when the endpoint cannot
 * serve the run at all ({@link FailFast}: credentials refused, unreachable; or no token where configured).
 *
 * <p>The subtasks of one task manager that call one endpoint send with one client ({@link SharedClients}).
 *
 * <p>Used with {@link CommittingAsyncWaitOperatorFactory}, which keeps checkpoints going while the tail of a
 * bounded input is answered. A program running the job in its own JVM can stop the sending through a
 * {@link SendGate}.
 *
 * <p>Users reach it through {@link io.friendliflink.datastream.FriendliInference}, which wires it with its
 * operator, types and outputs.
 */
@Internal
public final class InferenceFunction<T> extends RichAsyncFunction<T, CallOutcome<T>>
        implements CommittingAsyncWaitOperator.UnfinishedCalls, CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Duration TIMEOUT_GRACE = Duration.ofSeconds(30);
    /** The error type (and retry cause) of an answer the {@link OutputCheck} refused. */
    public static final String INVALID_OUTPUT = "invalid_output";
    /**
     * How far the adaptive concurrency limit may grow. The operator's capacity bounds what is really in flight,
     * and the limit grows only while it is used, so this only keeps it finite.
     */
    private static final int MAX_CONCURRENCY = 1 << 16;

    private final EndpointConfig endpoint;
    private final PacingSettings pacing;
    private final RetryPolicy retry;
    private final RequestMapper<T> mapper;
    /** The {@link SendGate} of the program that runs the job in its own JVM, or {@code null}. */
    private final String sendGate;
    private final SpendLimits spend;
    /** Decides whether an answer is usable, or {@code null}: every successful answer is. */
    private OutputCheck outputCheck;
    private int invalidOutputRetries;

    private transient SharedClients.Lease lease;
    private transient FriendliClient client;
    private transient SendGate gate;
    private transient FailFast failFast;
    private transient Map<ResultFuture<CallOutcome<T>>, Call> unfinished;
    private transient RequestPacer<Call> pacer;
    private transient CallMetrics metrics;
    private transient CallDeadline deadline;
    /**
     * The time and timers of every call: the operator's processing time ({@link #useOperatorTime}), or the
     * system's where there is no operator (the SQL provider's function).
     */
    private transient CallClock clock;
    private transient CallClock operatorClock;
    /** When the pump's timer is next due, or {@link RequestPacer#NO_WAKE}. */
    private transient AtomicLong nextWake;
    private transient SpendCap cap;
    /** The spending of every subtask at the checkpoint restored ({@link #initializeState}), or {@code null}. */
    private transient ListState<Tuple2<Long, Double>> spent;
    private transient long restoredTokens;
    private transient double restoredCost;

    public InferenceFunction(EndpointConfig endpoint, PacingSettings pacing, RetryPolicy retry,
            RequestMapper<T> mapper) {
        this(endpoint, pacing, retry, mapper, null);
    }

    /**
     * @param sendGate the name of the {@link SendGate} a program running the job in its own JVM may close to stop
     *     sending, or {@code null} for none
     */
    public InferenceFunction(EndpointConfig endpoint, PacingSettings pacing, RetryPolicy retry,
            RequestMapper<T> mapper, String sendGate) {
        this(endpoint, pacing, retry, mapper, sendGate, SpendLimits.NONE);
    }

    /** @param spend the run's cap on tokens and cost ({@link SpendCap}), shared out among the subtasks */
    public InferenceFunction(EndpointConfig endpoint, PacingSettings pacing, RetryPolicy retry,
            RequestMapper<T> mapper, String sendGate, SpendLimits spend) {
        this.spend = spend;
        this.endpoint = endpoint;
        this.pacing = pacing;
        this.retry = retry;
        this.mapper = mapper;
        this.sendGate = sendGate;
    }

    /**
     * The async operator's timeout, a safety net behind the call's own deadline: up to the deadline waiting for
     * a first send, the deadline again from the first attempt, one more attempt, and a grace.
     */
    public static Duration operatorTimeout(RetryPolicy retry, EndpointConfig endpoint) {
        return retry.deadline().multipliedBy(2).plus(endpoint.attemptTimeout()).plus(TIMEOUT_GRACE);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        open(getRuntimeContext().getTaskInfo(), getRuntimeContext().getMetricGroup());
    }

    /**
     * Opens the function outside an async operator's runtime context: a Table API function (the SQL model
     * provider) has the task's description and metric group, but no {@code RuntimeContext}.
     */
    public void open(TaskInfo task, MetricGroup metricGroup) {
        try {
            // One client per endpoint per task manager, shared with the other subtasks here; the token is read
            // by the first of them, on the task manager.
            lease = SharedClients.acquire(endpoint);
            client = lease.client();
        } catch (IllegalArgumentException e) {
            // No token where the configuration says: every request would fail the same way.
            throw new EndpointUnusableException("cannot call the endpoint: " + e.getMessage());
        }
        gate = sendGate == null ? null : SendGate.named(sendGate);
        failFast = FailFast.ofDefaults();
        unfinished = new ConcurrentHashMap<>();
        pacer = RequestPacer.forSubtask(pacing, task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask(),
                MAX_CONCURRENCY);
        metrics = new CallMetrics(metricGroup, pacer);
        nextWake = new AtomicLong(RequestPacer.NO_WAKE);
        deadline = new CallDeadline(retry.deadline().toNanos());
        cap = SpendCap.forSubtask(spend, task.getNumberOfParallelSubtasks());
        // The run's spending before a failover, shared out again as the cap is.
        cap.restore(restoredTokens / task.getNumberOfParallelSubtasks(),
                restoredCost / task.getNumberOfParallelSubtasks());
        clock = operatorClock != null ? operatorClock
                : CallClock.system("inference-timer-" + task.getIndexOfThisSubtask());
    }

    /**
     * With a spending cap, the run's spending so far is kept in checkpoints (union state: after a change of
     * parallelism each subtask takes its share of the total), so that a failover does not start the cap afresh.
     */
    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        if (!spend.capped()) {
            return;
        }
        spent = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("spent", Types.TUPLE(Types.LONG, Types.DOUBLE)));
        for (Tuple2<Long, Double> subtask : spent.get()) {
            restoredTokens += subtask.f0;
            restoredCost += subtask.f1;
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        if (spent != null) {
            spent.update(List.of(Tuple2.of(cap.spentTokens(), cap.spentCost())));
        }
    }

    @Override
    public void close() throws Exception {
        if (clock != null) {
            clock.close();
        }
        if (unfinished != null) {
            // The client lives on for other subtasks: this one's attempts end here, as closing its own client
            // used to end them, and those still waiting for a connection are never sent.
            for (Call call : unfinished.values()) {
                call.abandonAttempt();
            }
        }
        if (lease != null) {
            lease.close();
        }
    }

    /**
     * Checks every successful answer with {@code check}: one it refuses is asked for again up to {@code retries}
     * times (within the call's deadline), then ends as {@code invalid_output} with the check's reason.
     */
    public InferenceFunction<T> withOutputCheck(OutputCheck check, int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, was " + retries);
        }
        this.outputCheck = check;
        this.invalidOutputRetries = retries;
        return this;
    }

    @Override
    public void useOperatorTime(ProcessingTimeService time, MailboxExecutor mailbox) {
        operatorClock = new OperatorClock(time, mailbox);
    }

    /** The client this subtask sends with, shared with the other subtasks of its task manager. */
    @VisibleForTesting
    FriendliClient client() {
        return client;
    }

    @Override
    public int unfinishedCalls() {
        return unfinished.size();
    }

    @Override
    public void asyncInvoke(T input, ResultFuture<CallOutcome<T>> resultFuture) {
        PreparedRequest request;
        try {
            request = mapper.toRequest(input);
        } catch (Exception e) {
            // Not a request the API would take: the element ends at once, nothing is sent or charged.
            metrics.onFailure("invalid_request");
            resultFuture.complete(Collections.singleton(CallOutcome.of(
                    new Failed<>(input, "invalid_request", describe(e), null, 0, List.of()))));
            return;
        }
        Call call = new Call(input, request, resultFuture);
        unfinished.put(resultFuture, call);
        // e.g. tool-assisted chat on a dedicated endpoint: such lines fail before any budget is spent; a line
        // naming its own path does not need the endpoint's.
        if (request.path() == null && !client.supports(request.kind())) {
            call.fail("unsupported_request", "the endpoint (" + endpoint.deployment() + ") has no path for "
                    + request.kind() + "; name a full path such as /serverless/tools/v1/chat/completions in the line's url",
                    null);
            return;
        }
        call.enqueue(false);
    }

    @Override
    public void timeout(T input, ResultFuture<CallOutcome<T>> resultFuture) {
        // Reached only if the call's own deadline did not end it: still one error row, never a failed job. The
        // call is marked done, so it sends nothing more.
        String message = "no answer within the operator timeout of " + operatorTimeout(retry, endpoint).toSeconds()
                + " s";
        Call call = unfinished.get(resultFuture);
        if (call != null) {
            call.fail("deadline_exceeded", message, null);
            return;
        }
        metrics.onFailure("deadline_exceeded");
        resultFuture.complete(Collections.singleton(CallOutcome.of(
                new Failed<>(input, "deadline_exceeded", message, null, 0, List.of()))));
    }

    private static String describe(Exception e) {
        if (e instanceof InvalidRequestException invalid) {
            return invalid.violations().stream().map(Violation::message).collect(Collectors.joining("; "));
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * Sends what the pacer grants, each at its time, and keeps one timer for the next time to ask. Called
     * whenever a grant may have become possible: a call joined the line, an answer freed a slot, the timer
     * fired. {@code mine}, when granted at once, is sent on this thread (the common case of no limit at all).
     */
    private void pump(Call mine) {
        long now = clock.nanoTime();
        RequestPacer.Admission<Call> admission = pacer.admit(now);
        for (RequestPacer.Ticket<Call> ticket : admission.granted()) {
            Call call = ticket.caller();
            long wait = ticket.atNanos() - now;
            if (call == mine && wait <= 0) {
                call.send(ticket);
            } else {
                clock.schedule(() -> call.send(ticket), Math.max(0, wait));
            }
        }
        long wake = admission.wakeAtNanos();
        if (wake != RequestPacer.NO_WAKE) {
            long scheduled = nextWake.get();
            // One timer for the earliest wake: another is set only when it is earlier, or the last has fired.
            if ((scheduled == RequestPacer.NO_WAKE || wake - scheduled < 0 || scheduled - now <= 0)
                    && nextWake.compareAndSet(scheduled, wake)) {
                clock.schedule(() -> {
                    nextWake.compareAndSet(wake, RequestPacer.NO_WAKE);
                    pump(null);
                }, Math.max(0, wake - now));
            }
        }
    }

    private static String bodyOf(HttpResult result) {
        return result.rawBody() == null ? null : new String(result.rawBody(), StandardCharsets.UTF_8);
    }

    private static boolean isConnectFailure(Throwable failure) {
        return FutureFailures.unwrap(failure) instanceof TransportException t
                && t.reason() == TransportException.Cause.CONNECT;
    }

    /** One request's way through its turn in line, attempts and retries. Its callbacks run on the task's thread (timers) and I/O threads. */
    private final class Call {
        private final T input;
        private final PreparedRequest request;
        private final ResultFuture<CallOutcome<T>> out;
        private final long tokenEstimate;
        private final long promptEstimate;
        private final long maxOutput;
        /** What the attempt in flight booked against the spending cap, or {@code null}. */
        private volatile SpendCap.Reservation reservation;
        private final long enteredNanos = clock.nanoTime();
        private final List<String> retryCauses = new ArrayList<>(0);
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile long firstSentNanos;
        private volatile int attempts;
        private volatile int invalidOutputs;
        /** The attempt in flight, or {@code null}. */
        private volatile CompletableFuture<HttpResult> attempt;

        Call(T input, PreparedRequest request, ResultFuture<CallOutcome<T>> out) {
            this.input = input;
            this.request = request;
            this.out = out;
            int maxTokens = request.maxTokens() != null ? request.maxTokens() : pacing.defaultMaxTokens();
            // About four characters per token in English text; the budget is corrected by the reported usage.
            this.promptEstimate = request.promptTokenEstimate();
            this.tokenEstimate = promptEstimate + maxTokens;
            this.maxOutput = request.maxOutputTokens(pacing.defaultMaxTokens());
        }

        /** Takes its place in line (retries go first), and waits there no longer than its deadline allows. */
        void enqueue(boolean retry) {
            if (done.get()) {
                return;
            }
            if (gate != null && !gate.isOpen()) {
                leaveUnsent();
                return;
            }
            if (cap.reached()) {
                fail(SpendCap.ERROR_TYPE, cap.describe(), null);
                return;
            }
            RequestPacer.Ticket<Call> t = pacer.enqueue(this, tokenEstimate, retry,
                    TimeUnit.MICROSECONDS.toNanos(request.timeoutMicros()), clock.nanoTime());
            pump(this);
            if (pacer.isWaiting(t)) {
                long expiry = deadline.expiresAt(enteredNanos, attempts, firstSentNanos);
                clock.schedule(() -> expireInLine(t), Math.max(0, expiry - clock.nanoTime()));
            }
        }

        private void expireInLine(RequestPacer.Ticket<Call> t) {
            if (pacer.cancel(t)) {
                fail("deadline_exceeded", attempts == 0
                        ? "not sent within calls.deadline (" + retry.deadline().toSeconds() + " s) of entering the"
                                + " operator: the budgets did not allow it sooner"
                        : "no turn to retry within calls.deadline (" + retry.deadline().toSeconds()
                                + " s) of the first attempt", null);
            }
        }

        void send(RequestPacer.Ticket<Call> granted) {
            long sentAt = clock.nanoTime();
            if (done.get()) {
                pacer.release(granted, sentAt);
                pump(null);
                return;
            }
            if (gate != null && !gate.isOpen()) {
                pacer.release(granted, sentAt); // granted before the gate closed
                pump(null);
                leaveUnsent();
                return;
            }
            if (cap.capped()) {
                reservation = cap.reserve(request.model(), promptEstimate, maxOutput);
                if (reservation == null) {
                    pacer.release(granted, sentAt);
                    pump(null);
                    fail(SpendCap.ERROR_TYPE, cap.describe(), null);
                    return;
                }
            }
            if (!pacer.confirmSend(granted, sentAt)) {
                giveBackReservation();
                // Sent too late for its grant: back at the head of the line, where its deadline holds again (the
                // timer set when it joined the line may have fired while it held the grant).
                long expiry = deadline.expiresAt(enteredNanos, attempts, firstSentNanos);
                clock.schedule(() -> expireInLine(granted), Math.max(0, expiry - clock.nanoTime()));
                pump(null);
                return;
            }
            CompletableFuture<HttpResult> answer;
            try {
                answer = request.path() == null
                        ? client.send(request.kind(), request.body(), request.stream(), endpoint.attemptTimeout())
                        : client.send(request.kind(), request.path(), request.body(), request.stream(), endpoint.attemptTimeout());
            } catch (IllegalArgumentException e) {
                // The request cannot be sent as it is (e.g. a path the client refuses): not worth a retry.
                pacer.onFailure(granted, sentAt);
                giveBackReservation();
                pump(null);
                fail("unsupported_request", e.getMessage(), null);
                return;
            }
            attempt = answer;
            if (attempts == 0) {
                firstSentNanos = sentAt;
            }
            attempts++;
            metrics.onSent();
            if (gate != null) {
                gate.sent();
            }
            answer.whenComplete((result, failure) -> {
                attempt = null;
                if (gate != null) {
                    gate.answered();
                }
                try {
                    onAnswer(granted, result, failure, sentAt);
                } catch (RuntimeException e) {
                    // A bug here must still end the request as one row, not leave it to the operator timeout.
                    fail("unexpected", "could not handle the answer: " + e, result == null ? null : result.status());
                }
            });
        }

        private void onAnswer(RequestPacer.Ticket<Call> granted, HttpResult result, Throwable failure, long sentAt) {
            long now = clock.nanoTime();
            settleReservation(result);
            RetryDecision decision;
            String stop = null;
            if (result != null) {
                metrics.onAnswer(result.status(), result.latencyNanos());
                stop = failFast.onAnswer(result.status(), result.error() == null ? null : result.error().message());
            } else if (isConnectFailure(failure)) {
                stop = failFast.onConnectFailure(FutureFailures.unwrap(failure).getMessage(), now);
            }
            if (stop != null) {
                if (result != null) {
                    pacer.onAnswer(granted, new RequestPacer.Answer(result.status(), result.rateLimit(), 0,
                            result.latencyNanos(), result.firstOutputNanos()), now);
                } else {
                    pacer.onFailure(granted, now);
                }
                stopTheRun(stop);
                return;
            }
            if (result != null) {
                pacer.onAnswer(granted, new RequestPacer.Answer(result.status(), result.rateLimit(),
                        usedTokens(result), result.latencyNanos(), result.firstOutputNanos()), now);
                pump(null);
                if (result.isSuccess()) {
                    if (!refuseOutput(result)) {
                        succeed(result, sentAt, now);
                    }
                    return;
                }
                decision = retry.onResponse(attempts, result.status(), result.rateLimit(), firstSentNanos, now);
            } else {
                pacer.onFailure(granted, now);
                pump(null);
                decision = retry.onFailure(attempts, failure, firstSentNanos, now);
            }
            if (decision.retry()) {
                retryCauses.add(decision.category().counterName());
                metrics.onRetry(decision.category().counterName());
                clock.schedule(() -> enqueue(true), decision.delayNanos());
            } else {
                fail(decision.category().counterName(), describe(decision, result, failure),
                        result == null ? null : result.status(), result == null ? null : bodyOf(result));
            }
        }

        private void giveBackReservation() {
            SpendCap.Reservation r = reservation;
            reservation = null;
            if (r != null) {
                cap.release(r);
            }
        }

        /** The reported usage replaces the reservation; a failed attempt generated nothing; no usage keeps it. */
        private void settleReservation(HttpResult result) {
            SpendCap.Reservation r = reservation;
            reservation = null;
            if (r == null) {
                return;
            }
            if (result == null || !result.isSuccess()) {
                cap.release(r);
                return;
            }
            Usage usage = result.result() == null ? null : result.result().usage();
            if (usage != null) {
                cap.settle(r, usage.promptTokens(), usage.completionTokens());
            } else {
                cap.keep(r);
            }
        }

        /** Whether the output check refused the answer: then it is asked for again, or the call failed. */
        private boolean refuseOutput(HttpResult result) {
            if (outputCheck == null || result.result() == null) {
                return false;
            }
            String violation;
            try {
                violation = outputCheck.violation(request, result.result());
            } catch (RuntimeException e) {
                violation = "the output check failed: " + e;
            }
            if (violation == null) {
                return false;
            }
            if (invalidOutputs < invalidOutputRetries) {
                invalidOutputs++;
                retryCauses.add(INVALID_OUTPUT);
                metrics.onRetry(INVALID_OUTPUT);
                clock.schedule(() -> enqueue(true), 0);
            } else {
                fail(INVALID_OUTPUT, violation + " (after " + attempts + (attempts == 1 ? " attempt)" : " attempts)"),
                        result.status(), bodyOf(result));
            }
            return true;
        }

        void abandonAttempt() {
            CompletableFuture<HttpResult> a = attempt;
            if (a != null) {
                a.cancel(false);
            }
        }

        private long usedTokens(HttpResult result) {
            if (!result.isSuccess()) {
                return 0; // refused or failed: nothing was generated
            }
            Usage usage = result.result() == null ? null : result.result().usage();
            return usage == null ? -1 : usage.totalTokens();
        }

        private void succeed(HttpResult result, long sentAt, long now) {
            complete(CallOutcome.of(new Answered<>(
                    input,
                    result.result(),
                    new String(result.rawBody(), StandardCharsets.UTF_8),
                    result.status(),
                    attempts,
                    TimeUnit.NANOSECONDS.toMillis(now - sentAt),
                    TimeUnit.NANOSECONDS.toMillis(now - firstSentNanos),
                    retryCauses)));
        }

        private void fail(String errorType, String message, Integer status) {
            fail(errorType, message, status, null);
        }

        private void fail(String errorType, String message, Integer status, String body) {
            complete(CallOutcome.of(new Failed<>(input, errorType, message, status, attempts, retryCauses, body)));
        }

        private void complete(CallOutcome<T> outcome) {
            if (done.compareAndSet(false, true)) {
                unfinished.remove(out);
                if (outcome.isAnswered()) {
                    Usage usage = outcome.answered().result() == null ? null : outcome.answered().result().usage();
                    metrics.onSuccess(usage);
                } else {
                    metrics.onFailure(outcome.failed().errorType());
                }
                out.complete(Collections.singleton(outcome));
            }
        }

        /**
         * The run is stopping: the call ends without a row, so the operator's queue empties and the job can stop
         * with a savepoint that commits what was answered; a rerun sends this line, which has no row.
         */
        private void leaveUnsent() {
            if (done.compareAndSet(false, true)) {
                unfinished.remove(out);
                out.complete(Collections.emptyList());
            }
        }

        /** Fails the job: the endpoint cannot serve it, and every other line would end the same way. */
        private void stopTheRun(String reason) {
            if (done.compareAndSet(false, true)) {
                unfinished.remove(out);
                out.completeExceptionally(new EndpointUnusableException(reason));
            }
        }

        private String describe(RetryDecision decision, HttpResult result, Throwable failure) {
            StringBuilder message = new StringBuilder(decision.reason());
            if (result != null && result.error() != null) {
                ApiError error = result.error();
                message.append(": ").append(error.message());
            } else if (failure != null) {
                message.append(": ").append(FutureFailures.unwrap(failure).getMessage());
            }
            message.append(" (after ").append(attempts).append(attempts == 1 ? " attempt)" : " attempts)");
            return message.toString();
        }
    }
}
