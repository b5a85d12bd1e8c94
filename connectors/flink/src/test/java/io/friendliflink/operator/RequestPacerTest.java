package io.friendliflink.operator;

import static io.friendliflink.operator.SimulatedJob.MINUTE;
import static io.friendliflink.operator.SimulatedJob.MS;
import static io.friendliflink.operator.SimulatedJob.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.client.RateLimitHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pacer's own contract, call by call, and its budgets over whole runs of a job's subtasks on a virtual
 * clock ({@link SimulatedJob}). Adaptive behaviour against endpoints is in {@link AdaptivePacingTest}.
 */
class RequestPacerTest {

    private static final PacingSettings NOT_ADAPTIVE = new PacingSettings(0, 0, false, 10, 256);

    // ---- told budgets, over whole runs

    /**
     * The endpoint counts arrivals, and a request arrives after its grant when its timer fires late: with timers
     * up to a third of a second late, no 60 s of arrivals holds more than the budget (one over was seen against
     * a real endpoint when the budget held on grant times only), and the subtasks still use 98% of it.
     */
    @Test
    void subtasksTogetherNeverPutMoreThanTheToldRequestBudgetIntoAnyMinuteOfArrivalsAndUse98PercentOfIt() {
        for (int parallelism : new int[] {1, 3, 7}) {
            SimulatedJob job = new SimulatedJob(new PacingSettings(6_000, 0, false, 10, 256), parallelism)
                    .capacity(256).lateTimers(SECOND / 3).generation(t -> SECOND / 2).run(10 * MINUTE);

            assertThat(job.maxArrivalsInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(6_000);
            assertThat(job.arrivalsBetween(MINUTE, 10 * MINUTE) / 9.0).as("P=%d", parallelism)
                    .isGreaterThanOrEqualTo(0.98 * 6_000);
        }
    }

    /**
     * Seen in the benchmark: the first requests of a run reach the endpoint most of a second after they were
     * sent (the client opens its connections), and the minute they began overran the told limit by 8 when it
     * ended. Their latency, counted from the write, tells when they arrived, and the budget counts them there.
     */
    @Test
    void requestsThatReachTheEndpointLateAreCountedWhereTheyArrivedSoNoMinuteOfArrivalsIsOverTheLimit() {
        SimulatedJob job = new SimulatedJob(new PacingSettings(6_000, 0, false, 10, 256), 1).capacity(256)
                .generation(t -> 20 * MS).transit(sentAt -> sentAt < SECOND ? 800 * MS : 0).run(3 * MINUTE);

        assertThat(job.maxArrivalsInAnyWindow(MINUTE)).isLessThanOrEqualTo(6_000);
        assertThat(job.arrivalsBetween(MINUTE, 3 * MINUTE) / 2.0).isGreaterThanOrEqualTo(0.98 * 6_000);
    }

    /** However late the timers, a send too late for its grant is granted again: the budget holds on arrivals. */
    @Test
    void timersSecondsLateStillNeverPutMoreThanTheToldBudgetIntoAnyMinuteOfArrivals() {
        SimulatedJob job = new SimulatedJob(new PacingSettings(600, 0, false, 10, 256), 2)
                .lateTimers(3 * SECOND).generation(t -> SECOND / 2).run(10 * MINUTE);

        assertThat(job.maxArrivalsInAnyWindow(MINUTE)).isLessThanOrEqualTo(600);
        assertThat(job.arrivalsBetween(MINUTE, 10 * MINUTE)).isPositive();
    }

    @Test
    void subtasksTogetherHoldTheToldTokenBudgetInEverySlidingMinuteAndUse97PercentOfIt() {
        for (int parallelism : new int[] {1, 3, 7}) {
            // 100k tokens per minute at 500 a request is 200 requests a minute: the request budget never binds.
            SimulatedJob job = new SimulatedJob(new PacingSettings(6_000, 100_000, false, 10, 256), parallelism)
                    .estimate(500).usage(t -> 500).run(10 * MINUTE);

            assertThat(job.maxTokensInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(100_000);
            assertThat(job.tokensPerMinute(MINUTE, 10 * MINUTE)).as("P=%d", parallelism)
                    .isGreaterThanOrEqualTo(0.97 * 100_000);
        }
    }

    /** Usage below the estimate, varying: sometimes the request budget binds, sometimes the token budget. */
    @Test
    void bothBudgetsHoldTogetherWhenUsageVariesBelowTheEstimate() {
        for (int parallelism : new int[] {1, 4}) {
            SplittableRandom random = new SplittableRandom(7);
            SimulatedJob job = new SimulatedJob(new PacingSettings(1_200, 600_000, false, 10, 256), parallelism)
                    .estimate(1_000)
                    .usage(sentAt -> (sentAt / (30 * SECOND)) % 2 == 0 ? 100 : 100 + random.nextInt(901))
                    .run(10 * MINUTE);

            assertThat(job.maxArrivalsInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(1_200);
            assertThat(job.maxTokensInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(600_000);
            double requestShare = job.arrivalsBetween(MINUTE, 10 * MINUTE) / 9.0 / 1_200;
            double tokenShare = job.tokensPerMinute(MINUTE, 10 * MINUTE) / 600_000;
            assertThat(Math.max(requestShare, tokenShare)).as("P=%d", parallelism).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void aToldTokenBudgetIsSpreadOverItsMinuteInsteadOfSentInTheFirstSecond() {
        for (int parallelism : new int[] {1, 3}) {
            SimulatedJob job = new SimulatedJob(new PacingSettings(0, 120_000, false, 10, 256), parallelism)
                    .estimate(44).usage(t -> 44).run(3 * MINUTE);

            // A sixtieth of the minute each second, plus one second's share at most at once per subtask.
            assertThat(job.maxTokensInAnyWindow(SECOND)).as("P=%d", parallelism)
                    .isLessThanOrEqualTo(2 * 2_000 + parallelism * 44);
            assertThat(job.maxTokensInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(120_000);
            assertThat(job.tokensPerMinute(MINUTE, 3 * MINUTE)).as("P=%d", parallelism)
                    .isGreaterThanOrEqualTo(0.97 * 120_000);
        }
    }

    /**
     * Figure 3 of the benchmarks: estimates of 29 tokens for requests the endpoint counts at 44, and an
     * endpoint that counts them only once generated. Spread, the first answers correct the estimates in time.
     */
    @Test
    void aToldTokenBudgetWithLowEstimatesStaysUnderAnEndpointThatCountsAfterGenerating() {
        SimulatedJob job = new SimulatedJob(new PacingSettings(0, 120_000, false, 10, 256), 2)
                .estimate(29).usage(t -> 44).endpointTokenLimit(120_000, false).capacity(256)
                .generation(t -> SECOND / 5).run(5 * MINUTE);

        assertThat(job.refused()).isLessThan(job.successesBetween(0, 5 * MINUTE) / 100);
        assertThat(job.tokensPerMinute(MINUTE, 5 * MINUTE)).isGreaterThanOrEqualTo(0.97 * 120_000);
    }

    @Test
    void reconcilingTokensWithReportedUsageLetsMoreRequestsThroughWhenEstimatesWereHigh() {
        PacingSettings settings = new PacingSettings(0, 100_000, false, 10, 256);
        SimulatedJob reported = new SimulatedJob(settings, 3).estimate(1_000).usage(t -> 250).run(10 * MINUTE);
        SimulatedJob unknown = new SimulatedJob(settings, 3).estimate(1_000).usage(t -> 250).usageUnknown()
                .run(10 * MINUTE);

        // Each request really uses a quarter of its estimate; with the usage reported, the budget knows.
        assertThat(unknown.arrivalsBetween(MINUTE, 10 * MINUTE) / 9.0).isLessThanOrEqualTo(100);
        assertThat(reported.arrivalsBetween(MINUTE, 10 * MINUTE))
                .isGreaterThanOrEqualTo((long) (3.5 * unknown.arrivalsBetween(MINUTE, 10 * MINUTE)));
        assertThat(reported.maxTokensInAnyWindow(MINUTE)).isLessThanOrEqualTo(100_000);
    }

    @Test
    void aBudgetOfExactlyOnePerSubtaskHoldsJobWide() {
        SimulatedJob job = new SimulatedJob(new PacingSettings(4, 0, false, 10, 256), 4).run(5 * MINUTE);

        assertThat(job.maxArrivalsInAnyWindow(MINUTE)).isEqualTo(4);
    }

    @Test
    void refusesABudgetThatCannotBeSplitAmongTheSubtasksWithoutExceedingIt() {
        assertThatThrownBy(() -> RequestPacer.forSubtask(new PacingSettings(3, 0, false, 10, 256), 4, 0, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestsPerMinute (3)").hasMessageContaining("parallelism (4)");
        assertThatThrownBy(() -> RequestPacer.forSubtask(new PacingSettings(0, 2, false, 10, 256), 4, 3, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokensPerMinute (2)");
    }

    // ---- fairness, call by call

    @Test
    void callsAreGrantedFirstComeFirstServed() {
        RequestPacer<String> pacer = RequestPacer.forSubtask(new PacingSettings(60, 0, false, 10, 256), 1, 0, 64);
        List<String> order = new ArrayList<>();
        for (String id : List.of("a", "b", "c", "d", "e")) {
            pacer.enqueue(id, 10, false, 0, 0);
        }
        long now = 0;
        while (order.size() < 5) {
            RequestPacer.Admission<String> a = pacer.admit(now);
            a.granted().forEach(t -> order.add(t.caller()));
            now = a.wakeAtNanos() == RequestPacer.NO_WAKE ? now + SECOND : a.wakeAtNanos();
        }
        assertThat(order).containsExactly("a", "b", "c", "d", "e");
    }

    /**
     * The replay of a request seen against a real endpoint: after its first attempt was reset it waited 300 s
     * for a send slot and ended deadline_exceeded while 271 others were sent, because every waiting call asked
     * again on its own timer and whoever asked first won. At 0.2 requests a second with 30 calls waiting, a
     * retry is now the next one sent.
     */
    @Test
    void aRetryIsSentBeforeTheCallsWaitingForTheirFirstAttempt() {
        RequestPacer<String> pacer = RequestPacer.forSubtask(new PacingSettings(12, 0, false, 10, 256), 1, 0, 64);
        RequestPacer.Ticket<String> first = pacer.enqueue("retried", 10, false, 0, 0);
        RequestPacer.Admission<String> a = pacer.admit(0);
        assertThat(a.granted()).containsExactly(first);
        assertThat(pacer.confirmSend(first, 0)).isTrue();
        for (int i = 0; i < 30; i++) {
            pacer.enqueue("competitor-" + i, 10, false, 0, 0);
        }
        // the first attempt is reset; its retry joins the line a second later
        pacer.onFailure(first, SECOND);
        pacer.enqueue("retried", 10, true, 0, SECOND);

        List<String> sent = new ArrayList<>();
        long now = SECOND;
        int competitors = 30;
        while (now < 300 * SECOND) {
            RequestPacer.Admission<String> admission = pacer.admit(now);
            for (RequestPacer.Ticket<String> t : admission.granted()) {
                sent.add(t.caller());
                pacer.confirmSend(t, t.atNanos());
                pacer.onAnswer(t, new RequestPacer.Answer(200, RateLimitHeaders.NONE, 10, SECOND, -1), t.atNanos());
                // the operator takes the next element: competitors keep coming
                pacer.enqueue("competitor-" + competitors++, 10, false, 0, t.atNanos());
            }
            now = admission.wakeAtNanos() == RequestPacer.NO_WAKE ? now + SECOND : admission.wakeAtNanos();
        }
        assertThat(sent).hasSizeGreaterThanOrEqualTo(55);
        assertThat(sent.get(0)).isEqualTo("retried");
        assertThat(sent.subList(1, 31)).as("then the 30 in the order they came")
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 30).mapToObj(i -> "competitor-" + i)
                        .toList());
    }

    @Test
    void aCallTakenOutOfLineIsNeverGranted() {
        RequestPacer<String> pacer = RequestPacer.forSubtask(new PacingSettings(60, 0, false, 10, 256), 1, 0, 64);
        pacer.admit(0);
        RequestPacer.Ticket<String> a = pacer.enqueue("a", 10, false, 0, 0);
        RequestPacer.Ticket<String> b = pacer.enqueue("b", 10, false, 0, 0);
        assertThat(pacer.admit(0).granted()).containsExactly(a);

        assertThat(pacer.cancel(b)).isTrue();
        assertThat(pacer.cancel(a)).as("granted already: it goes on").isFalse();
        assertThat(pacer.admit(10 * SECOND).granted()).isEmpty();
        assertThat(pacer.waiting()).isZero();
    }

    // ---- sends that are late for their grants

    @Test
    void aSendLaterThanItsGrantByMoreThanTheMarginIsRefusedAndServedAgainFirst() {
        RequestPacer<String> pacer = RequestPacer.forSubtask(new PacingSettings(60, 0, false, 10, 256), 1, 0, 64);
        RequestPacer.Ticket<String> late = pacer.enqueue("late", 10, false, 0, 0);
        pacer.enqueue("next", 10, false, 0, 0);
        assertThat(pacer.admit(0).granted()).containsExactly(late);

        assertThat(pacer.confirmSend(late, 400 * MS)).as("400 ms after its grant").isFalse();
        RequestPacer.Admission<String> again = pacer.admit(400 * MS);
        assertThat(again.granted()).extracting(RequestPacer.Ticket::caller).containsExactly("late");
        assertThat(pacer.confirmSend(again.granted().get(0), again.granted().get(0).atNanos() + 200 * MS)).isTrue();
    }

    @Test
    void withoutABudgetASendIsNeverTooLate() {
        RequestPacer<String> pacer = RequestPacer.forSubtask(NOT_ADAPTIVE, 1, 0, 64);
        RequestPacer.Ticket<String> t = pacer.enqueue("a", 10, false, 0, 0);
        pacer.admit(0);

        assertThat(pacer.confirmSend(t, 10 * SECOND)).isTrue();
    }

    @Test
    void aGrantReleasedUnsentReturnsItsTokens() {
        RequestPacer<String> pacer = RequestPacer.forSubtask(new PacingSettings(0, 1_000, false, 10, 256), 1, 0, 64);
        pacer.enqueue("sent", 600, false, 0, 0);
        RequestPacer.Ticket<String> unsent = pacer.enqueue("unsent", 400, false, 0, 0);
        RequestPacer.Admission<String> first = pacer.admit(0);
        assertThat(first.granted()).hasSize(2);
        pacer.enqueue("waits", 400, false, 0, 0);
        assertThat(pacer.admit(0).granted()).as("the window is full").isEmpty();

        pacer.release(unsent, SECOND / 10);

        RequestPacer.Admission<String> again = pacer.admit(SECOND / 10);
        assertThat(again.granted()).extracting(RequestPacer.Ticket::caller).containsExactly("waits");
        // The minute's pace spreads the grants; the released one's turn is free again.
        assertThat(again.granted().get(0).atNanos()).isEqualTo(unsent.atNanos());
    }

    @Test
    void bookingsGoNoMoreThanASecondAheadAndTheWakeComesWhileHalfASecondIsStillBooked() {
        RequestPacer<String> pacer = RequestPacer.forSubtask(new PacingSettings(240, 0, false, 10, 256), 1, 0, 64);
        pacer.admit(0);
        for (int i = 0; i < 20; i++) {
            pacer.enqueue("c" + i, 10, false, 0, 0);
        }
        RequestPacer.Admission<String> a = pacer.admit(0);

        assertThat(a.granted()).allSatisfy(t -> assertThat(t.atNanos()).isLessThan(SECOND));
        assertThat(a.wakeAtNanos()).isBetween(SECOND / 2, SECOND);
    }

    // ---- the budgets, composed

    /**
     * A grant waits for whichever budget allows it last: the request budget alone would let a second's share
     * (10) go at once, but each request carries a whole second of the token budget, so they go a second apart.
     */
    @Test
    void aGrantIsTheEarliestInstantEveryBudgetAllowsAtOnce() {
        RequestPacer<String> requestsOnly = RequestPacer.forSubtask(new PacingSettings(600, 0, false, 0, 256), 1, 0, 64);
        RequestPacer<String> both = RequestPacer.forSubtask(new PacingSettings(600, 6_000, false, 0, 256), 1, 0, 64);
        for (RequestPacer<String> pacer : List.of(requestsOnly, both)) {
            for (int i = 0; i < 3; i++) {
                pacer.enqueue("c" + i, 100, false, 0, 0);
            }
        }

        assertThat(requestsOnly.admit(0).granted()).extracting(RequestPacer.Ticket::atNanos).containsExactly(0L, 0L, 0L);
        RequestPacer.Admission<String> first = both.admit(0);
        assertThat(first.granted()).extracting(RequestPacer.Ticket::atNanos).containsExactly(0L);
        assertThat(first.wakeAtNanos()).as("the next is a second out: asked for again half a second before")
                .isEqualTo(SECOND / 2);
        assertThat(both.admit(SECOND / 2).granted()).extracting(RequestPacer.Ticket::atNanos).containsExactly(SECOND);
    }

    /**
     * Learning a limit adds a budget: a token limit the endpoint names (10 a second here) holds the grants that
     * follow, each charged its tokens; the request granted before it was charged nothing then, and is counted
     * once its usage is reported.
     */
    @Test
    void aTokenLimitTheEndpointNamesIsAddedToTheBudgetsAndHoldsTheGrantsAfterIt() {
        RequestPacer<String> pacer = RequestPacer.forSubtask(new PacingSettings(0, 0, true, 0, 256), 1, 0, 64);
        RequestPacer.Ticket<String> before = pacer.enqueue("before", 10, false, 0, 0);
        pacer.admit(0);
        pacer.confirmSend(before, 0);
        assertThat(before.reservedTokens()).as("no token budget yet").isZero();
        RateLimitHeaders named = new RateLimitHeaders(null, null, null, null, 600L, 600L, Duration.ofMinutes(1));
        long answered = SECOND / 10;
        pacer.onAnswer(before, new RequestPacer.Answer(200, named, 10, answered, -1), answered);

        pacer.enqueue("after", 10, false, 0, answered);
        pacer.enqueue("later", 10, false, 0, answered);
        RequestPacer.Admission<String> held = pacer.admit(answered);
        assertThat(held.granted()).as("the first's 10 tokens were this second's share").isEmpty();
        assertThat(held.wakeAtNanos()).isEqualTo(answered + SECOND / 2);

        List<RequestPacer.Ticket<String>> granted = pacer.admit(answered + SECOND / 2).granted();
        assertThat(granted).extracting(RequestPacer.Ticket::caller).containsExactly("after");
        assertThat(granted.get(0).atNanos()).isEqualTo(answered + SECOND);
        assertThat(granted.get(0).reservedTokens()).isEqualTo(10);
    }

    // ---- the limit on requests in flight

    @Test
    void anAdaptivePacerGrantsNoMoreThanItsConcurrencyLimitUntilAnAnswerFreesASlot() {
        RequestPacer<Integer> pacer = RequestPacer.forSubtask(new PacingSettings(0, 0, true, 0, 256), 1, 0, 64);
        for (int i = 0; i < 20; i++) {
            pacer.enqueue(i, 10, false, 0, 0);
        }
        RequestPacer.Admission<Integer> a = pacer.admit(0);

        assertThat(a.granted()).hasSize(pacer.concurrencyLimit());
        assertThat(a.wakeAtNanos()).as("an answer, not a timer, frees the next").isEqualTo(RequestPacer.NO_WAKE);
        RequestPacer.Ticket<Integer> t = a.granted().get(0);
        pacer.confirmSend(t, 0);
        pacer.onAnswer(t, new RequestPacer.Answer(200, RateLimitHeaders.NONE, 10, SECOND, -1), SECOND);
        assertThat(pacer.admit(SECOND).granted()).hasSize(1);
    }

    /** Retry-After holds every send only when the 429 shows a limit; an isolated one delays its own retry only. */
    @Test
    void aRetryAfterHoldsEverySendOnlyWhenIts429ShowsALimit() {
        RequestPacer<Integer> pacer = RequestPacer.forSubtask(new PacingSettings(0, 0, true, 0, 256), 1, 0, 64);
        RateLimitHeaders retryAfter = new RateLimitHeaders(Duration.ofSeconds(5), null, null, null, null, null, null);
        RequestPacer.Ticket<Integer> isolated = grantAndSend(pacer, 0, 0);
        pacer.onAnswer(isolated, new RequestPacer.Answer(429, retryAfter, 0, MS, -1), MS);
        for (int i = 1; i < 60; i++) { // one a second for a minute
            RequestPacer.Ticket<Integer> ok = grantAndSend(pacer, i, i * SECOND);
            assertThat(ok.atNanos()).as("an isolated 429 holds nothing").isEqualTo(i * SECOND);
            pacer.onAnswer(ok, new RequestPacer.Answer(200, RateLimitHeaders.NONE, 10, MS, -1), i * SECOND);
        }

        long now = 61 * SECOND;
        for (int i = 0; i < 6; i++) { // then six refused in a row: a limit
            RequestPacer.Ticket<Integer> t = grantAndSend(pacer, 100 + i, now);
            pacer.onAnswer(t, new RequestPacer.Answer(429, retryAfter, 0, MS, -1), now);
        }
        pacer.enqueue(99, 10, false, 0, now);

        // The budget becomes what the endpoint accepted (59 in the last minute), whose oldest leave the window
        // within seconds; the Retry-After holds every send for its 5 s first.
        assertThat(pacer.requestsPerMinute()).isEqualTo(59);
        assertThat(pacer.admit(now + 3 * SECOND).granted()).isEmpty();
        List<RequestPacer.Ticket<Integer>> granted = pacer.admit(now + 4_500 * MS).granted();
        assertThat(granted).extracting(RequestPacer.Ticket::caller).containsExactly(99);
        assertThat(granted.get(0).atNanos()).isEqualTo(now + 5 * SECOND);
    }

    private static RequestPacer.Ticket<Integer> grantAndSend(RequestPacer<Integer> pacer, int caller, long now) {
        pacer.enqueue(caller, 10, false, 0, now);
        RequestPacer.Ticket<Integer> t = pacer.admit(now).granted().get(0);
        assertThat(pacer.confirmSend(t, t.atNanos())).isTrue();
        return t;
    }

    @Test
    void aNamedRequestLimitBecomesTheBudgetAsIfTold() {
        RequestPacer<String> pacer = RequestPacer.forSubtask(new PacingSettings(0, 0, true, 50, 256), 2, 0, 64);
        RequestPacer.Ticket<String> first = pacer.enqueue("first", 10, false, 0, 0);
        pacer.admit(0);
        pacer.confirmSend(first, 0);
        RateLimitHeaders named = new RateLimitHeaders(null, 600L, 598L, Duration.ofSeconds(1), null, null, null);
        pacer.onAnswer(first, new RequestPacer.Answer(200, named, 10, SECOND / 10, -1), SECOND / 10);

        // 600 a minute job-wide is 300 for this subtask of 2, and the ramp towards an unknown quota is gone.
        assertThat(pacer.requestsPerMinute()).isEqualTo(300);
        assertThat(pacer.rampRate()).isNaN();
    }

    @Test
    void aTicketMustBeGrantedToBeSentAndSentToBeAnswered() {
        RequestPacer<String> pacer = RequestPacer.forSubtask(NOT_ADAPTIVE, 1, 0, 64);
        RequestPacer.Ticket<String> t = pacer.enqueue("a", 10, false, 0, 0);

        assertThatThrownBy(() -> pacer.confirmSend(t, 0)).isInstanceOf(IllegalStateException.class);
        pacer.admit(0);
        assertThatThrownBy(() -> pacer.onFailure(t, 0)).isInstanceOf(IllegalStateException.class);
        pacer.confirmSend(t, 0);
        pacer.onFailure(t, 0);
        assertThatThrownBy(() -> pacer.onFailure(t, 0)).isInstanceOf(IllegalStateException.class);
    }
}
