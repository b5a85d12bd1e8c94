package io.friendliflink.operator;

import io.friendliflink.client.RateLimitHeaders;
import io.friendliflink.policy.BudgetShare;
import io.friendliflink.policy.CapacityLimit;
import io.friendliflink.policy.LimitEvidence;
import io.friendliflink.policy.Pause;
import io.friendliflink.policy.Quota;
import io.friendliflink.policy.RampingRate;
import io.friendliflink.policy.RequestQuota;
import io.friendliflink.policy.SendBudget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Decides when each request of one subtask is sent: waiting calls are served in turn, each when every policy
 * allows it: the request and token budgets (told, named by the endpoint, or measured from its {@code 429}s),
 * the ramp towards a quota not known yet, a pause the endpoint asked for, and the limit on requests in flight.
 *
 * <p>Contract:
 * <ul>
 *   <li>Fair: calls are granted first come, first served, retries before first attempts (a retry has waited
 *       its turn once already). Nobody overtakes the head of the line, so no call waits for ever while others
 *       are sent.
 *   <li>A grant is the earliest instant every {@link SendBudget} in its list allows at once (asked in turn
 *       until none moves it), and all of them are charged at that instant; at most {@link #HORIZON_NANOS}
 *       ahead: later grants would be beyond the reach of what answers say meanwhile (a {@code Retry-After},
 *       tokens refunded), so the caller is told when to ask again instead. Learning a limit adds a budget to
 *       the list; a quota known takes the ramp out.
 *   <li>Budgets hold on sends, not grants: a call that sends more than {@link Quota#SEND_MARGIN} after its grant
 *       (a timer that fired late) is refused by {@link #confirmSend} and served again first; one whose answer
 *       shows it was written later than that (its latency counts from the write: a client opening its first
 *       connections, a pause) is counted by the request budget where it arrived.
 *   <li>Adaptive ({@link PacingSettings#adaptive()}): at most {@link CapacityLimit#limit()} requests are in
 *       flight, from grant to answer; a {@code 429} lowers the request budget only when {@link LimitEvidence}
 *       says a limit was hit, and only then does its {@code Retry-After} hold every send; an isolated one is
 *       retried and changes nothing else.
 * </ul>
 *
 * <p>Nothing here reads a clock, sleeps or schedules: the caller passes the time, sends what {@link #admit}
 * grants at the times it grants, and asks again at the wake time it returns, or when an answer arrives.
 * Thread-safe (synchronized; each step is short).
 *
 * <p>{@code
 * RequestPacer<Call> pacer = RequestPacer.forSubtask(settings, parallelism, subtask, 1024);
 * pacer.enqueue(call, tokenEstimate, false, 0, now);
 * Admission<Call> a = pacer.admit(now);      // send each granted ticket at its atNanos(); wake at a.wakeAtNanos()
 * if (pacer.confirmSend(ticket, sendTime)) send(...) else pacer.admit(...);
 * pacer.onAnswer(ticket, new Answer(status, headers, usedTokens, latency, -1), later);
 * }
 *
 * @param <C> the caller's handle for one call, carried by its ticket
 */
public final class RequestPacer<C> {
    /** How far ahead a send may be booked; a later one is asked for again then. */
    static final long HORIZON_NANOS = 1_000_000_000L;
    /** No timer is needed: the next grant waits for an answer, or nothing waits. */
    public static final long NO_WAKE = Long.MIN_VALUE;
    private static final int INITIAL_CONCURRENCY = 16;
    private static final long SEND_MARGIN_NANOS = Quota.SEND_MARGIN.toNanos();

    private final int parallelism;
    private final int subtask;
    private final boolean adaptive;
    /**
     * What every send is asked of and charged to, in this order: a pause, the ramp, the request and the token
     * budget, those that apply. Never changed in place but replaced (a limit learned adds one, a quota known
     * ends the ramp), so that a ticket keeps the list it was charged to and returns a grant to just those.
     */
    private List<SendBudget> budgets;
    // The budgets again by role, for what answers teach them; null when not in the list.
    private final Pause pause = new Pause(Pause.DEFAULT_MAX);
    private final RequestQuota requests;
    private Quota tokens;
    private boolean tokensNamed;
    private RampingRate ramp;
    private final CapacityLimit concurrency;
    private final LimitEvidence evidence = new LimitEvidence();
    private final TokenEstimateScale tokenScale = new TokenEstimateScale();

    private final ArrayDeque<Ticket<C>> retries = new ArrayDeque<>();
    private final ArrayDeque<Ticket<C>> fresh = new ArrayDeque<>();
    private int inFlight;
    /** The latest time seen: callers on different threads may pass times slightly out of order. */
    private long clock = Long.MIN_VALUE;

    private RequestPacer(PacingSettings settings, int parallelism, int subtask, int maxConcurrency) {
        this.parallelism = parallelism;
        this.subtask = subtask;
        this.adaptive = settings.adaptive();
        long rpm = share("requestsPerMinute", settings.requestsPerMinute(), parallelism, subtask);
        long tpm = share("tokensPerMinute", settings.tokensPerMinute(), parallelism, subtask);
        requests = rpm > 0 ? RequestQuota.told(rpm) : adaptive ? RequestQuota.unknown() : null;
        if (tpm > 0) {
            tokens = Quota.perMinute(tpm);
        }
        if (adaptive && rpm == 0 && settings.initialRequestsPerSecond() > 0) {
            ramp = new RampingRate(settings.initialRequestsPerSecond() / parallelism, RampingRate.DEFAULT_DOUBLING);
        }
        budgets = Stream.<SendBudget>of(pause, ramp, requests, tokens).filter(Objects::nonNull).toList();
        concurrency = adaptive
                ? new CapacityLimit(Math.min(INITIAL_CONCURRENCY, maxConcurrency), maxConcurrency) : null;
    }

    /**
     * The pacer of subtask {@code subtask} of {@code parallelism}: its share of each job-wide budget.
     *
     * @param maxConcurrency how far the adaptive limit on requests in flight may grow
     */
    public static <C> RequestPacer<C> forSubtask(PacingSettings settings, int parallelism, int subtask,
            int maxConcurrency) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1 but was " + maxConcurrency);
        }
        return new RequestPacer<>(settings, parallelism, subtask, maxConcurrency);
    }

    /**
     * The shares sum to the job-wide budget. A budget smaller than the parallelism cannot be split so that
     * every subtask may send and the sum still holds, so it is refused instead of quietly exceeded.
     */
    private static long share(String name, long total, int parallelism, int subtask) {
        if (total > 0 && total < parallelism) {
            throw new IllegalArgumentException(name + " (" + total + ") is smaller than the parallelism ("
                    + parallelism + "): every subtask needs at least one per minute; lower the parallelism");
        }
        return BudgetShare.of(total, parallelism, subtask);
    }

    /**
     * Puts a call in line for one send.
     *
     * @param tokenEstimate the request's tokens as the caller estimates them (prompt and {@code max_tokens})
     * @param retry whether the call was sent before: retries are served first
     * @param timeoutNanos the request's {@code timeout_microseconds} in nanoseconds, or 0
     */
    public synchronized Ticket<C> enqueue(C caller, long tokenEstimate, boolean retry, long timeoutNanos,
            long nowNanos) {
        tick(nowNanos);
        Ticket<C> ticket = new Ticket<>(caller, tokenEstimate, timeoutNanos);
        (retry ? retries : fresh).addLast(ticket);
        return ticket;
    }

    /** Whether the call is still in line (not granted yet). */
    public synchronized boolean isWaiting(Ticket<C> ticket) {
        return ticket.state == Ticket.WAITING;
    }

    /** Takes a call out of line; {@code false} when it was granted already (or ended), so it must go on. */
    public synchronized boolean cancel(Ticket<C> ticket) {
        if (ticket.state != Ticket.WAITING) {
            return false;
        }
        ticket.state = Ticket.ENDED;
        return retries.remove(ticket) || fresh.remove(ticket);
    }

    /**
     * Grants the calls at the head of the line that may go within the horizon, in order.
     *
     * @return the grants, each to be sent at its {@link Ticket#atNanos()}, and when to call again
     *     ({@link #NO_WAKE}: when a call is added or an answer arrives)
     */
    public synchronized Admission<C> admit(long nowNanos) {
        long now = tick(nowNanos);
        List<Ticket<C>> granted = List.of();
        while (true) {
            Ticket<C> head = retries.isEmpty() ? fresh.peekFirst() : retries.peekFirst();
            if (head == null || (concurrency != null && inFlight >= concurrency.limit())) {
                return new Admission<>(granted, NO_WAKE);
            }
            long reservedTokens = tokens == null ? 0 : tokens.cap(tokenScale.apply(head.tokenEstimate));
            long at = earliest(reservedTokens, now);
            if (at - now >= HORIZON_NANOS) {
                // Ask again while half a horizon of sends is still booked ahead, so that timers firing late on a
                // busy machine do not let the schedule run dry; and after a second at the latest, since reported
                // usage may return tokens before then.
                return new Admission<>(granted, Math.min(at - HORIZON_NANOS / 2, now + HORIZON_NANOS));
            }
            (retries.isEmpty() ? fresh : retries).pollFirst();
            grant(head, at, reservedTokens);
            if (granted.isEmpty()) {
                granted = new ArrayList<>(4);
            }
            granted.add(head);
        }
    }

    /** The earliest instant every budget allows at once, from {@code now}. */
    private long earliest(long reservedTokens, long now) {
        long at = now;
        while (true) { // ends: each budget allows any time far enough after its latest grant
            long next = at;
            for (SendBudget budget : budgets) {
                next += budget.nanosUntilAvailable(reservedTokens, next);
            }
            if (next == at) {
                return at;
            }
            at = next;
        }
    }

    /** Charges every budget at {@code at}; each allows exactly {@code at} (asserted by their contracts). */
    private void grant(Ticket<C> ticket, long at, long reservedTokens) {
        for (SendBudget budget : budgets) {
            budget.reserve(reservedTokens, at);
        }
        ticket.chargedTo = budgets;
        ticket.state = Ticket.GRANTED;
        ticket.atNanos = at;
        ticket.requestAt = at;
        ticket.reservedTokens = reservedTokens;
        inFlight++;
        ticket.inFlightAtGrant = inFlight;
        ticket.sample = concurrency == null ? CapacityLimit.NOT_SAMPLED : concurrency.onSend();
    }

    /**
     * At the moment of sending a granted call: {@code false} when it is later than its grant by more than the
     * send margin while a budget applies, so that the endpoint could count it in a minute the budget did not
     * check. Its grant is then returned and the call is first in line again; call {@link #admit}.
     */
    public synchronized boolean confirmSend(Ticket<C> ticket, long nowNanos) {
        requireGranted(ticket);
        long now = tick(nowNanos);
        if (!countsArrivals(ticket.chargedTo) || now - ticket.atNanos <= SEND_MARGIN_NANOS) {
            ticket.state = Ticket.SENT;
            // Numbered as sent, not as granted: grants are booked up to a second ahead.
            ticket.send = evidence.onSend();
            return true;
        }
        returnGrant(ticket, now);
        ticket.state = Ticket.WAITING;
        retries.addFirst(ticket);
        return false;
    }

    /** A granted call that will not be sent (it ended meanwhile): its grant is returned. */
    public synchronized void release(Ticket<C> ticket, long nowNanos) {
        requireGranted(ticket);
        returnGrant(ticket, tick(nowNanos));
        ticket.state = Ticket.ENDED;
    }

    private static boolean countsArrivals(List<SendBudget> budgets) {
        for (SendBudget budget : budgets) {
            if (budget.countsArrivals()) {
                return true;
            }
        }
        return false;
    }

    private void returnGrant(Ticket<C> ticket, long now) {
        inFlight--;
        if (concurrency != null) {
            concurrency.onOtherEnd(ticket.sample);
        }
        for (SendBudget budget : ticket.chargedTo) {
            budget.release(ticket.reservedTokens, ticket.atNanos, now);
        }
        ticket.chargedTo = List.of();
        ticket.reservedTokens = 0;
    }

    /** A sent call failed without an HTTP answer (reset, timeout): its slot in flight is free again. */
    public synchronized void onFailure(Ticket<C> ticket, long nowNanos) {
        requireSent(ticket);
        tick(nowNanos);
        inFlight--;
        ticket.state = Ticket.ENDED;
        if (concurrency != null) {
            concurrency.onOtherEnd(ticket.sample);
        }
    }

    /**
     * Feeds an answer back: its slot in flight is free, the policies learn from its status, latency and headers,
     * and the token budget is corrected to the tokens the endpoint reported.
     *
     * <p>When adaptive, a limit the endpoint names in {@code X-RateLimit-Limit-Requests} or {@code -Tokens} and
     * the job was not told becomes this subtask's budget from then on, as if told: the first limit named is kept,
     * and read as per minute (the headers do not say; Friendli's limits are).
     */
    public synchronized void onAnswer(Ticket<C> ticket, Answer answer, long nowNanos) {
        requireSent(ticket);
        long now = tick(nowNanos);
        inFlight--;
        ticket.state = Ticket.ENDED;
        // When it was written (its latency counts from then): later than the send margin allows, and the endpoint
        // counted it in a minute the budget did not check, so the budget counts it there too.
        long written = nowNanos - answer.latencyNanos();
        if (requests != null && requests.isKnown() && written - ticket.requestAt > SEND_MARGIN_NANOS) {
            requests.moveGrant(ticket.requestAt, written, now);
            ticket.requestAt = written;
        }
        RateLimitHeaders headers = answer.headers() == null ? RateLimitHeaders.NONE : answer.headers();
        if (adaptive) {
            learnNamedLimits(headers, now);
            pauseWhileSpent(headers, now);
            learnFrom(ticket, answer, headers, now);
        }
        reconcileTokens(ticket, answer);
    }

    private void learnFrom(Ticket<C> ticket, Answer answer, RateLimitHeaders headers, long now) {
        if (answer.status() == 429 && isQueueTimeout(ticket, answer)) {
            // The endpoint admitted it and it waited for a generation slot: a capacity signal, not a rate one.
            concurrency.onQueueTimeout(ticket.sample, ticket.atNanos, now);
            return;
        }
        if (answer.status() == 429) {
            requests.onRefused(ticket.requestAt, now);
            concurrency.onOtherEnd(ticket.sample);
            if (evidence.on429(ticket.send, headers) == LimitEvidence.Verdict.LIMIT) {
                requests.onLimit(ticket.atNanos, now);
                endRamp(); // the quota is known now: the budget holds the rate
                if (headers.retryAfter() != null) {
                    pause.pauseFor(headers.retryAfter(), now);
                }
            }
            return;
        }
        if (answer.status() < 200 || answer.status() >= 300) {
            concurrency.onOtherEnd(ticket.sample);
            return;
        }
        long queueSignal = answer.firstOutputNanos() > 0 ? answer.firstOutputNanos() : answer.latencyNanos();
        concurrency.onAnswer(ticket.sample, answer.latencyNanos(), queueSignal, ticket.inFlightAtGrant,
                ticket.timeoutNanos);
        if (ramp != null) {
            ramp.onSuccess();
        }
        requests.onSuccess(now);
    }

    /** A {@code 429} that came after waiting about as long as the request's {@code timeout_microseconds}. */
    private static boolean isQueueTimeout(Ticket<?> ticket, Answer answer) {
        return ticket.timeoutNanos > 0 && answer.latencyNanos() >= 0.9 * ticket.timeoutNanos;
    }

    /**
     * Adopts the limits an endpoint names. The endpoint's window already holds what was sent before (this
     * job's requests in flight, other clients of the same key): the share of {@code limit - remaining} beyond
     * what this subtask has counted itself is charged now, so the first minute does not count it as free.
     */
    private void learnNamedLimits(RateLimitHeaders headers, long now) {
        if (isPositive(headers.limitRequests()) && !requests.isKnown()) {
            long mine = BudgetShare.of(headers.limitRequests(), parallelism, subtask);
            if (mine > 0) {
                requests.name(mine, usedShare(headers.limitRequests(), headers.remainingRequests()), now);
                endRamp();
            }
        }
        if (isPositive(headers.limitTokens()) && tokens == null) {
            long mine = BudgetShare.of(headers.limitTokens(), parallelism, subtask);
            if (mine > 0) {
                tokens = Quota.perMinute(mine);
                tokensNamed = true;
                long used = Math.min(mine, usedShare(headers.limitTokens(), headers.remainingTokens()));
                if (used > 0) {
                    tokens.charge(used, now);
                }
                List<SendBudget> more = new ArrayList<>(budgets);
                more.add(tokens);
                budgets = List.copyOf(more);
                endRamp();
            }
        }
    }

    /** A quota is known: its budget holds the rate from now on, and the ramp towards it is dropped. */
    private void endRamp() {
        if (ramp != null) {
            List<SendBudget> fewer = new ArrayList<>(budgets);
            fewer.remove(ramp);
            budgets = List.copyOf(fewer);
            ramp = null;
        }
    }

    private long usedShare(long limit, Long remaining) {
        return remaining == null || remaining >= limit ? 0
                : BudgetShare.of(limit - Math.max(0, remaining), parallelism, subtask);
    }

    /** {@code X-RateLimit-Remaining-*: 0} with its reset, on any response: nothing more until then. */
    private void pauseWhileSpent(RateLimitHeaders headers, long now) {
        if (isZero(headers.remainingRequests()) && headers.resetRequests() != null) {
            pause.pauseFor(headers.resetRequests(), now);
        }
        if (isZero(headers.remainingTokens()) && headers.resetTokens() != null) {
            pause.pauseFor(headers.resetTokens(), now);
        }
    }

    /**
     * Corrects the token budget to the tokens reported ({@code usedTokens}, 0 for a request refused, negative
     * when unknown and the estimate stands); a request granted before a named budget existed is charged now.
     */
    private void reconcileTokens(Ticket<C> ticket, Answer answer) {
        long used = answer.usedTokens();
        if (used < 0) {
            return;
        }
        tokenScale.learn(ticket.tokenEstimate, used);
        if (tokens == null) {
            return;
        }
        if (ticket.reservedTokens > 0) {
            tokens.reconcile(ticket.reservedTokens, used, ticket.atNanos, clock);
        } else if (used > 0 && tokensNamed) {
            tokens.charge(Math.min(used, tokens.limit()), clock);
        }
    }

    private static boolean isPositive(Long value) {
        return value != null && value > 0;
    }

    private static boolean isZero(Long value) {
        return value != null && value == 0;
    }

    private long tick(long nowNanos) {
        if (clock == Long.MIN_VALUE || nowNanos - clock > 0) {
            clock = nowNanos;
        }
        return clock;
    }

    private static void requireGranted(Ticket<?> ticket) {
        if (ticket.state != Ticket.GRANTED) {
            throw new IllegalStateException("ticket was not granted, or was sent or ended already");
        }
    }

    private static void requireSent(Ticket<?> ticket) {
        if (ticket.state != Ticket.SENT) {
            throw new IllegalStateException("ticket was not sent, or has ended already: nothing was in flight");
        }
    }

    /** Calls in line, not yet granted. */
    public synchronized int waiting() {
        return retries.size() + fresh.size();
    }

    /** Calls granted and not yet answered. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** The most calls allowed in flight now; {@link Integer#MAX_VALUE} when not adaptive. */
    public synchronized int concurrencyLimit() {
        return concurrency == null ? Integer.MAX_VALUE : concurrency.limit();
    }

    /** The request budget per minute of this subtask; {@link Long#MAX_VALUE} when none is known. */
    public synchronized long requestsPerMinute() {
        return requests == null ? Long.MAX_VALUE : requests.perMinute();
    }

    /** The rate towards a quota not known yet, per second; {@code NaN} once none applies. */
    public synchronized double rampRate() {
        return ramp == null ? Double.NaN : ramp.perSecond();
    }

    @Override
    public synchronized String toString() {
        return "RequestPacer{inFlight=" + inFlight + ", waiting=" + waiting() + ", " + concurrency + ", " + requests
                + ", tokens=" + tokens + ", ramp=" + ramp + ", " + pause + '}';
    }

    /** What an answer says, as the pacer needs it. */
    public record Answer(int status, RateLimitHeaders headers, long usedTokens, long latencyNanos,
            long firstOutputNanos) {}

    /** Grants to send, and when to call {@link #admit} again ({@link #NO_WAKE}: no timer needed). */
    public record Admission<C>(List<Ticket<C>> granted, long wakeAtNanos) {}

    /** One call's place in line and, once granted, its grant. */
    public static final class Ticket<C> {
        private static final int WAITING = 0;
        private static final int GRANTED = 1;
        private static final int SENT = 2;
        private static final int ENDED = 3;

        private final C caller;
        private final long tokenEstimate;
        private final long timeoutNanos;
        private int state = WAITING;
        private long atNanos;
        /** Where the request budget counts it: its grant, or when it was written if that was much later. */
        private long requestAt;
        private long reservedTokens;
        /** The budgets its grant was charged to, and a returned grant is given back to; empty when not granted. */
        private List<SendBudget> chargedTo = List.of();
        private int inFlightAtGrant;
        private int sample;
        private long send;

        private Ticket(C caller, long tokenEstimate, long timeoutNanos) {
            this.caller = caller;
            this.tokenEstimate = tokenEstimate;
            this.timeoutNanos = timeoutNanos;
        }

        public C caller() {
            return caller;
        }

        /** When to send, once granted. */
        public long atNanos() {
            return atNanos;
        }

        /** The tokens the budget was charged for it (0: no token budget). */
        public long reservedTokens() {
            return reservedTokens;
        }
    }
}
