package io.friendliflink.operator;

import io.friendliflink.client.RateLimitHeaders;
import io.friendliflink.client.TransportException;
import io.friendliflink.policy.RetryDecision;
import io.friendliflink.policy.RetryPolicy;
import io.friendliflink.policy.WindowCheck;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;
import java.util.function.ToLongFunction;

/**
 * TEST FIXTURE: the operator's subtasks, their pacers and an endpoint, on one virtual clock.
 *
 * <p>Each subtask works as {@link InferenceFunction} does: it keeps {@code capacity} calls (the async operator's
 * capacity), each call takes its turn from the pacer, is sent when its grant is due (a timer that may fire
 * late), retried by a {@link RetryPolicy} and put in line again first, and ended at its deadline when still
 * waiting for a turn. The endpoint counts, limits, queues and fails as the emulator does: a sliding-minute
 * quota of requests (counted on arrival) or tokens (counted when generated), generation slots with a FIFO
 * queue and {@code timeout_microseconds}, and faults drawn per request.
 */
final class SimulatedJob {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000 * MS;
    static final long MINUTE = 60 * SECOND;

    private final List<RequestPacer<Call>> pacers = new ArrayList<>();
    private final long[] nextWake;
    private final PriorityQueue<Event> events =
            new PriorityQueue<>(Comparator.comparingLong(Event::at).thenComparingLong(Event::seq));
    private long seq;
    private long now;
    private final SplittableRandom random = new SplittableRandom(17);

    // the job
    private int capacity = 50;
    private long lines = Long.MAX_VALUE;
    private long started;
    private long estimate = 100;
    private LongUnaryOperator usage = sentAt -> 100;
    private boolean usageReported = true;
    private long timerLateness;
    private long timeoutNanos;
    private boolean stream;
    private LongUnaryOperator transit = sentAt -> 0;
    private RetryPolicy retry = RetryPolicy.custom().maxAttempts(8).deadline(Duration.ofMinutes(10))
            .random(new SplittableRandom(3)::nextDouble).build();

    // the endpoint
    private long requestLimit;
    private long tokenLimit;
    private boolean namesLimit;
    private int slots;
    private LongUnaryOperator generation = sentAt -> SECOND / 2;
    private long firstToken = 200 * MS;
    private LongPredicate up = t -> true;
    private double p429;
    private double p429RetryAfter;
    private double p5xx;
    private double pReset;
    private final ArrayDeque<long[]> counted = new ArrayDeque<>(); // {time, amount} in the last minute
    private long countedSum;
    private int busy;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();

    // what happened
    final List<Arrival> arrivals = new ArrayList<>();
    final List<Outcome> outcomes = new ArrayList<>();
    final List<long[]> concurrency = new ArrayList<>(); // {time, limit of subtask 0}

    SimulatedJob(PacingSettings settings, int parallelism) {
        this.nextWake = new long[parallelism];
        java.util.Arrays.fill(nextWake, RequestPacer.NO_WAKE);
        for (int i = 0; i < parallelism; i++) {
            pacers.add(RequestPacer.forSubtask(settings, parallelism, i, 1 << 16));
        }
    }

    // ---- the job's side

    /** Calls each subtask keeps in the operator. */
    SimulatedJob capacity(int calls) {
        this.capacity = calls;
        return this;
    }

    /** Lines in the input, over all subtasks; unbounded by default. */
    SimulatedJob lines(long count) {
        this.lines = count;
        return this;
    }

    SimulatedJob estimate(long tokens) {
        this.estimate = tokens;
        return this;
    }

    /** Tokens a request sent at the given time really uses. */
    SimulatedJob usage(LongUnaryOperator usedTokens) {
        this.usage = usedTokens;
        return this;
    }

    SimulatedJob usageUnknown() {
        this.usageReported = false;
        return this;
    }

    /** Timers (sends, wakes) fire up to this much late, as on a busy machine. */
    SimulatedJob lateTimers(long maxLateness) {
        this.timerLateness = maxLateness;
        return this;
    }

    /** Requests set {@code timeout_microseconds}. */
    SimulatedJob requestTimeout(long nanos) {
        this.timeoutNanos = nanos;
        return this;
    }

    /** Requests are streamed: their time to first token is known. */
    SimulatedJob streaming() {
        this.stream = true;
        return this;
    }

    /**
     * How long after it is sent a request sent at the given time is written and reaches the endpoint (a client
     * that opens its first connections, a pause); the answer's latency counts from then, as the client's does.
     */
    SimulatedJob transit(LongUnaryOperator nanos) {
        this.transit = nanos;
        return this;
    }

    SimulatedJob retry(RetryPolicy policy) {
        this.retry = policy;
        return this;
    }

    // ---- the endpoint's side

    /** At most this many requests arrive per sliding minute; more are answered 429. */
    SimulatedJob endpointRequestLimit(long perMinute, boolean names) {
        this.requestLimit = perMinute;
        this.namesLimit = names;
        return this;
    }

    /** At most this many tokens per sliding minute, counted once generated. */
    SimulatedJob endpointTokenLimit(long perMinute, boolean names) {
        this.tokenLimit = perMinute;
        this.namesLimit = names;
        return this;
    }

    /** Generations at once; the rest wait first come, first served. */
    SimulatedJob endpointSlots(int generating) {
        this.slots = generating;
        return this;
    }

    /** How long a request sent at the given time generates. */
    SimulatedJob generation(LongUnaryOperator nanos) {
        this.generation = nanos;
        return this;
    }

    /** Whether the endpoint answers at all at the given time (else every request gets a 429, no header). */
    SimulatedJob endpointUp(LongPredicate upAt) {
        this.up = upAt;
        return this;
    }

    /** Transient faults tied to no limit, drawn per request. */
    SimulatedJob faults(double transient429, double transient429RetryAfter, double serverError, double reset) {
        this.p429 = transient429;
        this.p429RetryAfter = transient429RetryAfter;
        this.p5xx = serverError;
        this.pReset = reset;
        return this;
    }

    // ---- running

    SimulatedJob run(long duration) {
        for (int s = 0; s < pacers.size(); s++) {
            for (int c = 0; c < capacity && started < lines; c++) {
                startCall(s);
            }
        }
        while (!events.isEmpty()) {
            Event e = events.poll();
            if (e.at() > duration) {
                break;
            }
            now = e.at();
            e.action().run();
        }
        return this;
    }

    private void startCall(int subtask) {
        started++;
        Call call = new Call(started, subtask, now);
        enqueue(call, false);
    }

    private void at(long time, Runnable action) {
        events.add(new Event(Math.max(time, now), seq++, action));
    }

    private long late() {
        return timerLateness == 0 ? 0 : random.nextLong(timerLateness);
    }

    private void enqueue(Call call, boolean isRetry) {
        RequestPacer.Ticket<Call> t = pacers.get(call.subtask).enqueue(call, estimate, isRetry, timeoutNanos, now);
        call.ticket = t;
        pump(call.subtask);
        long expiry = new CallDeadline(retry.deadline().toNanos()).expiresAt(call.entered, call.attempts, call.firstSent);
        at(expiry, () -> {
            if (pacers.get(call.subtask).cancel(t)) {
                end(call, false, "deadline_exceeded");
            }
        });
    }

    private void pump(int subtask) {
        RequestPacer<Call> pacer = pacers.get(subtask);
        RequestPacer.Admission<Call> a = pacer.admit(now);
        for (RequestPacer.Ticket<Call> t : a.granted()) {
            at(t.atNanos() + late(), () -> send(t));
        }
        long wake = a.wakeAtNanos();
        // One timer per subtask, as the operator keeps: another only when earlier, or once the last has fired.
        if (wake != RequestPacer.NO_WAKE && (nextWake[subtask] == RequestPacer.NO_WAKE || wake < nextWake[subtask]
                || nextWake[subtask] <= now)) {
            nextWake[subtask] = wake;
            at(wake + late(), () -> {
                if (nextWake[subtask] == wake) {
                    nextWake[subtask] = RequestPacer.NO_WAKE;
                }
                pump(subtask);
            });
        }
        if (subtask == 0 && (concurrency.isEmpty() || concurrency.get(concurrency.size() - 1)[1]
                != pacer.concurrencyLimit())) {
            concurrency.add(new long[] {now, pacer.concurrencyLimit()});
        }
    }

    private void send(RequestPacer.Ticket<Call> t) {
        Call call = t.caller();
        RequestPacer<Call> pacer = pacers.get(call.subtask);
        if (!pacer.confirmSend(t, now)) {
            pump(call.subtask);
            return;
        }
        if (call.attempts == 0) {
            call.firstSent = now;
        }
        call.attempts++;
        long arrival = now + transit.applyAsLong(now);
        at(arrival, () -> arrive(new Pending(call, t, arrival)));
    }

    // ---- the endpoint

    private void arrive(Pending p) {
        long t = p.sentAt;
        expireCounts(t);
        if (!up.test(t)) {
            answer(p, t + MS, 429, RateLimitHeaders.NONE, false, 0, -1);
            return;
        }
        long limit = requestLimit > 0 ? requestLimit : tokenLimit;
        if (limit > 0 && countedSum >= limit) {
            answer(p, t + MS, 429, limitHeaders(t, true), false, 0, -1);
            return;
        }
        if (requestLimit > 0) {
            count(t, 1);
        }
        double draw = random.nextDouble();
        if (draw < p429) {
            answer(p, t + MS, 429, limitHeaders(t, false), false, 0, -1);
            return;
        }
        if (draw < p429 + p429RetryAfter) {
            answer(p, t + MS, 429, new RateLimitHeaders(Duration.ofSeconds(1), null, null, null, null, null, null),
                    false, 0, -1);
            return;
        }
        if (draw < p429 + p429RetryAfter + p5xx) {
            answer(p, t + MS, 503, RateLimitHeaders.NONE, false, 0, -1);
            return;
        }
        p.reset = draw < p429 + p429RetryAfter + p5xx + pReset;
        if (slots == 0 || busy < slots) {
            generate(p, t);
            return;
        }
        queue.addLast(p);
        if (timeoutNanos > 0) {
            at(t + timeoutNanos, () -> {
                if (queue.remove(p)) {
                    answer(p, now, 429, RateLimitHeaders.NONE, false, 0, -1);
                }
            });
        }
    }

    private void generate(Pending p, long start) {
        busy++;
        long end = start + generation.applyAsLong(p.sentAt);
        at(end, () -> {
            busy--;
            Pending next = queue.pollFirst();
            if (next != null) {
                generate(next, now);
            }
            long tokens = usage.applyAsLong(p.sentAt);
            if (tokenLimit > 0) {
                expireCounts(now);
                count(now, tokens);
            }
            long ttft = stream ? start + firstToken - p.sentAt : -1;
            answer(p, now, 200, limitHeaders(now, false), p.reset, tokens, ttft);
        });
    }

    private void expireCounts(long t) {
        while (!counted.isEmpty() && counted.peekFirst()[0] <= t - MINUTE) {
            countedSum -= counted.pollFirst()[1];
        }
    }

    private void count(long t, long amount) {
        counted.addLast(new long[] {t, amount});
        countedSum += amount;
    }

    /** As the emulator: Retry-After on a limit 429 in whole seconds, the limit's headers when it names it. */
    private RateLimitHeaders limitHeaders(long t, boolean refused) {
        long limit = requestLimit > 0 ? requestLimit : tokenLimit;
        if (limit == 0) {
            return RateLimitHeaders.NONE;
        }
        Duration reset = counted.isEmpty() ? Duration.ZERO : Duration.ofNanos(counted.peekFirst()[0] + MINUTE - t);
        Duration after = refused
                ? Duration.ofSeconds(Math.max(1, (reset.toNanos() + SECOND - 1) / SECOND)) : null;
        if (!namesLimit) {
            return new RateLimitHeaders(after, null, null, null, null, null, null);
        }
        long remaining = Math.max(0, limit - countedSum);
        return requestLimit > 0
                ? new RateLimitHeaders(after, limit, remaining, reset, null, null, null)
                : new RateLimitHeaders(after, null, null, null, limit, remaining, reset);
    }

    // ---- the call's side of an answer

    private void answer(Pending p, long at, int status, RateLimitHeaders headers, boolean reset, long tokens,
            long ttft) {
        at(at, () -> {
            arrivals.add(new Arrival(p.call.subtask, p.sentAt, status, reset ? 0 : tokens, now));
            Call call = p.call;
            RequestPacer<Call> pacer = pacers.get(call.subtask);
            RetryDecision decision;
            if (reset) {
                pacer.onFailure(p.ticket, now);
                pump(call.subtask);
                decision = retry.onFailure(call.attempts,
                        new TransportException(TransportException.Cause.CONNECTION_RESET, "reset", null),
                        call.firstSent, now);
            } else {
                long reported = status == 200 ? (usageReported ? tokens : -1) : 0;
                pacer.onAnswer(p.ticket, new RequestPacer.Answer(status, headers, reported, now - p.sentAt, ttft), now);
                pump(call.subtask);
                if (status == 200) {
                    end(call, true, "ok");
                    return;
                }
                decision = retry.onResponse(call.attempts, status, headers, call.firstSent, now);
            }
            if (decision.retry()) {
                at(now + decision.delayNanos() + late(), () -> enqueue(call, true));
            } else {
                end(call, false, decision.category().counterName());
            }
        });
    }

    private void end(Call call, boolean ok, String how) {
        outcomes.add(new Outcome(call.id, ok, call.attempts, how, now, call.firstSent, call.entered));
        if (started < lines) {
            startCall(call.subtask);
        }
    }

    // ---- what happened, measured

    long arrivalsBetween(long from, long to) {
        return arrivals.stream().filter(a -> a.sentAt() >= from && a.sentAt() < to).count();
    }

    long refused() {
        return arrivals.stream().filter(a -> a.status() == 429).count();
    }

    long successesBetween(long from, long to) {
        return arrivals.stream().filter(a -> a.status() == 200 && a.sentAt() >= from && a.sentAt() < to).count();
    }

    /** Successes per second answered in [from, to). */
    double throughput(long from, long to) {
        return outcomes.stream().filter(o -> o.ok() && o.endedAt() >= from && o.endedAt() < to).count()
                * (double) SECOND / (to - from);
    }

    double tokensPerMinute(long from, long to) {
        return arrivals.stream().filter(a -> a.sentAt() >= from && a.sentAt() < to).mapToLong(Arrival::tokens).sum()
                * (double) MINUTE / (to - from);
    }

    long maxArrivalsInAnyWindow(long length) {
        return maxInAnyWindow(length, a -> 1);
    }

    long maxTokensInAnyWindow(long length) {
        return maxInAnyWindow(length, Arrival::tokens);
    }

    private long maxInAnyWindow(long length, ToLongFunction<Arrival> weight) {
        WindowCheck check = new WindowCheck();
        arrivals.forEach(a -> check.record(a.sentAt(), weight.applyAsLong(a)));
        return check.maxOverAnyWindow(length);
    }

    int concurrencyLimitAt(long at) {
        long value = 0;
        for (long[] c : concurrency) {
            if (c[0] > at) {
                break;
            }
            value = c[1];
        }
        return (int) value;
    }

    RequestPacer<Call> pacer(int subtask) {
        return pacers.get(subtask);
    }

    /** One request as the endpoint saw it: sent (arrived) at, answered with, the tokens it counted. */
    record Arrival(int subtask, long sentAt, int status, long tokens, long answeredAt) {}

    /** How one call ended. */
    record Outcome(long id, boolean ok, int attempts, String how, long endedAt, long firstSentAt, long enteredAt) {}

    static final class Call {
        final long id;
        final int subtask;
        final long entered;
        long firstSent;
        int attempts;
        RequestPacer.Ticket<Call> ticket;

        Call(long id, int subtask, long entered) {
            this.id = id;
            this.subtask = subtask;
            this.entered = entered;
        }
    }

    private static final class Pending {
        final Call call;
        final RequestPacer.Ticket<Call> ticket;
        final long sentAt;
        boolean reset;

        Pending(Call call, RequestPacer.Ticket<Call> ticket, long sentAt) {
            this.call = call;
            this.ticket = ticket;
            this.sentAt = sentAt;
        }
    }

    private record Event(long at, long seq, Runnable action) {}
}
