package io.friendliflink.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.friendliflink.client.RateLimitHeaders;
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
import org.junit.jupiter.api.Test;

/**
 * Drives the pacers of all subtasks of a job on a virtual clock, as the async operator does: each subtask
 * keeps {@code capacity} calls in flight and reserves the next one when a call completes. What the test
 * checks is the union of all subtasks' sends, against the job-wide budgets.
 */
class RequestPacerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    @Test
    void subtasksTogetherHoldTheJobWideRequestBudgetInEverySlidingMinuteAndUseAtLeast95PercentOfIt() {
        for (int parallelism : new int[] {1, 3, 7}) {
            PacingSettings settings = new PacingSettings(6_000, 0, false, 10, 256);
            Run run = new Run(settings, parallelism).estimate(300).usage(u -> 300).simulate(10 * MINUTE);

            assertThat(run.maxRequestsInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(6_000);
            assertThat(run.requestsPerMinute(MINUTE, 10 * MINUTE))
                    .as("P=%d", parallelism).isGreaterThanOrEqualTo(0.95 * 6_000);
        }
    }

    @Test
    void subtasksTogetherHoldTheJobWideTokenBudgetInEverySlidingMinuteAndUseAtLeast95PercentOfIt() {
        for (int parallelism : new int[] {1, 3, 7}) {
            // 100k tokens per minute at 500 a request is 200 requests a minute: the request budget never binds.
            PacingSettings settings = new PacingSettings(6_000, 100_000, false, 10, 256);
            Run run = new Run(settings, parallelism).estimate(500).usage(u -> 500).simulate(10 * MINUTE);

            assertThat(run.maxTokensInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(100_000);
            assertThat(run.maxRequestsInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(6_000);
            assertThat(run.tokensPerMinute(MINUTE, 10 * MINUTE))
                    .as("P=%d", parallelism).isGreaterThanOrEqualTo(0.95 * 100_000);
        }
    }

    /** Usage below the estimate, varying: sometimes the request budget binds, sometimes the token budget. */
    @Test
    void bothBudgetsHoldTogetherWhenUsageVariesBelowTheEstimate() {
        for (int parallelism : new int[] {1, 4}) {
            PacingSettings settings = new PacingSettings(1_200, 600_000, false, 10, 256);
            SplittableRandom random = new SplittableRandom(7);
            Run run = new Run(settings, parallelism).estimate(1_000)
                    .usage(sentAt -> (sentAt / (30 * SECOND)) % 2 == 0 ? 100 : 100 + random.nextInt(901))
                    .simulate(10 * MINUTE);

            assertThat(run.maxRequestsInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(1_200);
            assertThat(run.maxTokensInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(600_000);
            double requestShare = run.requestsPerMinute(MINUTE, 10 * MINUTE) / 1_200;
            double tokenShare = run.tokensPerMinute(MINUTE, 10 * MINUTE) / 600_000;
            assertThat(Math.max(requestShare, tokenShare)).as("P=%d", parallelism).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void aToldTokenBudgetIsSpreadOverItsMinuteInsteadOfSentInTheFirstSecond() {
        for (int parallelism : new int[] {1, 3}) {
            PacingSettings settings = new PacingSettings(0, 120_000, false, 10, 256);
            Run run = new Run(settings, parallelism).estimate(44).usage(u -> 44).simulate(3 * MINUTE);

            // A sixtieth of the minute each second, plus one second's share at most at once per subtask.
            assertThat(run.maxTokensInAnyWindow(SECOND)).as("P=%d", parallelism)
                    .isLessThanOrEqualTo(2 * 2_000 + parallelism * 44);
            assertThat(run.maxTokensInAnyWindow(10 * SECOND)).as("P=%d", parallelism)
                    .isLessThanOrEqualTo(11 * 2_000 + parallelism * 44);
            assertThat(run.maxTokensInAnyWindow(MINUTE)).as("P=%d", parallelism).isLessThanOrEqualTo(120_000);
            assertThat(run.tokensPerMinute(MINUTE, 3 * MINUTE)).as("P=%d", parallelism)
                    .isGreaterThanOrEqualTo(0.95 * 120_000);
        }
    }

    /**
     * Figure 3 of the benchmarks: estimates of 29 tokens for requests the endpoint counts at 44, and an
     * endpoint that counts them only once generated. Sent all in the first second, a minute's estimates
     * would overrun its limit by half before any answer; spread, the first answers correct the estimates.
     */
    @Test
    void aToldTokenBudgetWithLowEstimatesStaysUnderAnEndpointThatCountsAfterGenerating() {
        PacingSettings settings = new PacingSettings(0, 120_000, false, 10, 256);
        Run run = new Run(settings, 2).estimate(29).usage(u -> 44).endpointCountingTokens(120_000, false)
                .capacity(256).latency(SECOND / 5).simulate(5 * MINUTE);

        assertThat(run.refusedCount()).isLessThan(run.successesBetween(0, 5 * MINUTE) / 100);
        assertThat(run.tokensPerMinute(MINUTE, 5 * MINUTE)).isGreaterThanOrEqualTo(0.95 * 120_000);
    }

    @Test
    void anAdaptivePacerToldNothingAdoptsTheTokenLimitTheEndpointNames() {
        PacingSettings settings = new PacingSettings(0, 0, true, 50, 256);
        Run named = new Run(settings, 2).estimate(29).usage(u -> 44).endpointCountingTokens(120_000, true)
                .capacity(256).latency(SECOND / 5).simulate(5 * MINUTE);
        Run unnamed = new Run(settings, 2).estimate(29).usage(u -> 44).endpointCountingTokens(120_000, false)
                .capacity(256).latency(SECOND / 5).simulate(5 * MINUTE);

        assertThat(named.refusedCount()).isLessThan(named.successesBetween(0, 5 * MINUTE) / 100);
        assertThat(named.tokensPerMinute(MINUTE, 5 * MINUTE)).isGreaterThanOrEqualTo(0.95 * 120_000);
        // Without the header only 429s (with Retry-After) tell the limit: fewer than 5% of answers, 80% of it.
        assertThat(unnamed.refusedCount()).isGreaterThan(named.refusedCount())
                .isLessThan(unnamed.successesBetween(0, 5 * MINUTE) / 20);
        assertThat(unnamed.tokensPerMinute(MINUTE, 5 * MINUTE)).isGreaterThanOrEqualTo(0.8 * 120_000);
    }

    /**
     * Probing at its starting rate, each subtask has booked seconds of sends ahead when the first answer
     * names the limit; the new budget counts them as they are answered, so the endpoint's minute is not
     * overrun by the two schedules together.
     */
    @Test
    void anAdaptivePacerToldNothingUsesTheRequestLimitTheEndpointNamesWithoutOverrunningIt() {
        PacingSettings settings = new PacingSettings(0, 0, true, 50, 256);
        Run run = new Run(settings, 2).endpointCountingRequests(6_000, true).capacity(256).latency(SECOND / 15)
                .simulate(5 * MINUTE);

        assertThat(run.refusedCount()).isLessThan(run.successesBetween(0, 5 * MINUTE) / 100);
        assertThat(run.requestsPerMinute(MINUTE, 5 * MINUTE)).isGreaterThanOrEqualTo(0.95 * 6_000);
    }

    @Test
    void anAdaptivePacerToldNothingAdoptsTheRequestLimitTheEndpointNamesAsIfTold() {
        RequestPacer pacer = RequestPacer.forSubtask(new PacingSettings(0, 0, true, 50, 256), 2, 0);
        RequestPacer.Grant first = pacer.reserve(10, 0);
        RateLimitHeaders named = new RateLimitHeaders(null, 600L, 598L, Duration.ofSeconds(1), null, null, null);
        pacer.onResponse(200, first, named, 10, SECOND / 10);

        // 600 a minute job-wide is 300 for this subtask of 2: 5 a second, evenly spaced.
        assertThat(pacer.currentRate()).isCloseTo(5.0, offset(1e-9));
        long previous = reserveWhenAllowed(pacer, SECOND / 10).atNanos();
        for (int i = 0; i < 20; i++) {
            long next = reserveWhenAllowed(pacer, previous).atNanos();
            assertThat(next - previous).isGreaterThanOrEqualTo(SECOND / 5);
            previous = next;
        }
    }

    /** Reserves as the operator does: when told to ask again later, it asks again then. */
    private static RequestPacer.Grant reserveWhenAllowed(RequestPacer pacer, long now) {
        RequestPacer.Grant grant = pacer.reserve(10, now);
        while (!grant.reserved()) {
            assertThat(grant.atNanos()).isGreaterThan(now);
            now = grant.atNanos();
            grant = pacer.reserve(10, now);
        }
        return grant;
    }

    @Test
    void reconcilingTokensWithReportedUsageLetsMoreRequestsThroughWhenEstimatesWereHigh() {
        PacingSettings settings = new PacingSettings(0, 100_000, false, 10, 256);
        Run reported = new Run(settings, 3).estimate(1_000).usage(u -> 250).simulate(10 * MINUTE);
        Run unknown = new Run(settings, 3).estimate(1_000).usage(u -> 250).usageUnknown().simulate(10 * MINUTE);

        // Each request really uses a quarter of its estimate; with the usage reported, the budget knows.
        assertThat(unknown.requestsPerMinute(MINUTE, 10 * MINUTE)).isLessThanOrEqualTo(100);
        assertThat(reported.requestsPerMinute(MINUTE, 10 * MINUTE))
                .isGreaterThanOrEqualTo(3.5 * unknown.requestsPerMinute(MINUTE, 10 * MINUTE));
        assertThat(reported.maxTokensInAnyWindow(MINUTE)).isLessThanOrEqualTo(100_000);
        assertThat(reported.tokensPerMinute(MINUTE, 10 * MINUTE)).isGreaterThanOrEqualTo(0.95 * 100_000);
    }

    @Test
    void adaptiveModeBacksOffOn429AndRecoversAfterwards() {
        // Told 1,200 a minute (20 a second); the endpoint refuses everything for 20 s after the second minute.
        PacingSettings settings = new PacingSettings(1_200, 0, true, 10, 256);
        Run run = new Run(settings, 2).estimate(100).usage(u -> 100)
                .endpoint(sentAt -> sentAt < 2 * MINUTE || sentAt >= 2 * MINUTE + 20 * SECOND)
                .simulate(20 * MINUTE);

        assertThat(run.rateAt(2 * MINUTE - SECOND)).isCloseTo(20.0, offset(1e-9));
        assertThat(run.rateAt(2 * MINUTE + 20 * SECOND)).as("rate after the 429s").isLessThan(10);
        assertThat(run.successesBetween(2 * MINUTE + 20 * SECOND, 2 * MINUTE + 80 * SECOND))
                .as("sent in the minute after the 429s").isLessThan(900);
        assertThat(run.rateAt(20 * MINUTE - SECOND)).as("rate at the end").isGreaterThanOrEqualTo(19);
        assertThat(run.successesBetween(19 * MINUTE, 20 * MINUTE)).isGreaterThanOrEqualTo(1_100);
        assertThat(run.maxRequestsInAnyWindow(MINUTE)).isLessThanOrEqualTo(1_200);
    }

    @Test
    void toldRateModeNeverExceedsTheToldRateInAnyWindow() {
        for (int parallelism : new int[] {1, 3}) {
            PacingSettings settings = new PacingSettings(1_200, 0, true, 10, 256);
            Run run = new Run(settings, parallelism).estimate(100).usage(u -> 100).simulate(5 * MINUTE);

            // The request budget alone would allow a minute's worth at once; the told rate spaces them.
            assertThat(run.maxRequestsInAnyWindow(SECOND)).as("P=%d", parallelism)
                    .isLessThanOrEqualTo(20 + parallelism);
            assertThat(run.maxRequestsInAnyWindow(10 * SECOND)).as("P=%d", parallelism)
                    .isLessThanOrEqualTo(200 + parallelism);
            assertThat(run.maxRate()).as("P=%d", parallelism).isLessThanOrEqualTo(20.0 + 1e-9);
            assertThat(run.requestsPerMinute(MINUTE, 5 * MINUTE)).as("P=%d", parallelism)
                    .isGreaterThanOrEqualTo(0.95 * 1_200);
        }
    }

    @Test
    void toldRateModeUsesItsRateWhenTheTimersThatAskAgainFireLate() {
        PacingSettings settings = new PacingSettings(6_000, 0, true, 10, 256);
        Run run = new Run(settings, 2).capacity(256).latency(SECOND / 15).lateTimers(SECOND / 3)
                .simulate(3 * MINUTE);

        assertThat(run.requestsPerMinute(MINUTE / 6, 3 * MINUTE)).isGreaterThanOrEqualTo(0.95 * 6_000);
    }

    @Test
    void a429WithRetryAfterHoldsEveryLaterGrantOfThatSubtaskUntilItEnds() {
        RequestPacer pacer = RequestPacer.forSubtask(new PacingSettings(0, 0, true, 5, 256), 1, 0);
        RequestPacer.Grant first = pacer.reserve(100, 0);
        RateLimitHeaders retryAfter = new RateLimitHeaders(Duration.ofSeconds(3), null, null, null, null, null, null);
        pacer.onResponse(429, first, retryAfter, 0, SECOND / 10);

        assertThat(reserveWhenAllowed(pacer, SECOND / 10).atNanos()).isGreaterThanOrEqualTo(SECOND / 10 + 3 * SECOND);
        assertThat(pacer.currentRate()).isLessThan(5);
    }

    @Test
    void sendsAreNotBookedMoreThanASecondAheadSoALater429StopsThem() {
        RequestPacer pacer = RequestPacer.forSubtask(new PacingSettings(0, 0, true, 4, 256), 1, 0);
        List<RequestPacer.Grant> booked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RequestPacer.Grant g = pacer.reserve(10, 0);
            if (g.reserved()) {
                booked.add(g);
            } else {
                assertThat(g.atNanos()).as("ask again while half a second is still booked").isEqualTo(SECOND / 2);
            }
        }
        // 4 a second: the grants at 0, 0.25, 0.5 and 0.75 s; the rest must ask again.
        assertThat(booked).extracting(RequestPacer.Grant::atNanos)
                .containsExactly(0L, SECOND / 4, SECOND / 2, 3 * SECOND / 4);
        RateLimitHeaders retryAfter = new RateLimitHeaders(Duration.ofSeconds(5), null, null, null, null, null, null);
        pacer.onResponse(429, booked.get(0), retryAfter, 0, SECOND / 10);

        assertThat(reserveWhenAllowed(pacer, SECOND).atNanos()).isGreaterThanOrEqualTo(SECOND / 10 + 5 * SECOND);
    }

    @Test
    void aGrantReleasedUnsentReturnsItsTokens() {
        RequestPacer pacer = RequestPacer.forSubtask(new PacingSettings(0, 1_000, false, 10, 256), 1, 0);
        RequestPacer.Grant sent = pacer.reserve(600, 0);
        RequestPacer.Grant unsent = pacer.reserve(400, 0);
        assertThat(pacer.reserve(400, 0).reserved()).as("the window is full").isFalse();

        pacer.release(unsent, SECOND / 10);

        assertThat(sent.reserved()).isTrue();
        RequestPacer.Grant again = pacer.reserve(400, SECOND / 10);
        assertThat(again.reserved()).isTrue();
        // The minute's pace spreads the two grants; the released one's turn is free again.
        assertThat(again.atNanos()).isEqualTo(unsent.atNanos()).isGreaterThan(SECOND / 10);
    }

    @Test
    void refusesABudgetThatCannotBeSplitAmongTheSubtasksWithoutExceedingIt() {
        assertThatThrownBy(() -> RequestPacer.forSubtask(new PacingSettings(3, 0, false, 10, 256), 4, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestsPerMinute (3)").hasMessageContaining("parallelism (4)");
        assertThatThrownBy(() -> RequestPacer.forSubtask(new PacingSettings(0, 2, false, 10, 256), 4, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokensPerMinute (2)");
    }

    @Test
    void aBudgetOfExactlyOnePerSubtaskHoldsJobWide() {
        PacingSettings settings = new PacingSettings(4, 0, false, 10, 256);
        Run run = new Run(settings, 4).simulate(5 * MINUTE);

        assertThat(run.maxRequestsInAnyWindow(MINUTE)).isEqualTo(4);
    }

    /** A job's subtasks on one virtual clock; each keeps {@code capacity} calls in flight. */
    private static final class Run {

        private final PacingSettings settings;
        private final List<RequestPacer> pacers = new ArrayList<>();
        private final List<Sent> sent = new ArrayList<>();
        private final List<long[]> rates = new ArrayList<>(); // {time, job-wide rate}
        private long estimate = 100;
        private LongUnaryOperator usage = u -> 100;
        private boolean usageReported = true;
        private LongPredicate accepts = sentAt -> true;
        private int capacity = 50;
        private long latency = SECOND / 2;
        private long timerLateness;
        private final SplittableRandom lateness = new SplittableRandom(11);
        /**
         * The endpoint's own limit per sliding minute (0: none), whether it counts requests (else tokens), and
         * whether its headers name it.
         */
        private long endpointLimit;
        private boolean endpointCountsRequests;
        private boolean endpointNamesLimit;
        private final ArrayDeque<long[]> counted = new ArrayDeque<>(); // {time, tokens} of the last minute
        private long countedSum;

        Run(PacingSettings settings, int parallelism) {
            this.settings = settings;
            for (int i = 0; i < parallelism; i++) {
                pacers.add(RequestPacer.forSubtask(settings, parallelism, i));
            }
        }

        Run estimate(long tokens) {
            this.estimate = tokens;
            return this;
        }

        /** Tokens a request sent at the given time really uses. */
        Run usage(LongUnaryOperator usedTokens) {
            this.usage = usedTokens;
            return this;
        }

        /** Calls each subtask keeps in flight. */
        Run capacity(int calls) {
            this.capacity = calls;
            return this;
        }

        /** Timers that ask the pacer again fire up to this much late, as on a busy machine. */
        Run lateTimers(long maxLateness) {
            this.timerLateness = maxLateness;
            return this;
        }

        /** Time from a send to its answer. */
        Run latency(long nanos) {
            this.latency = nanos;
            return this;
        }

        Run usageUnknown() {
            this.usageReported = false;
            return this;
        }

        /** Whether the endpoint answers a request sent at the given time with 200 (else 429). */
        Run endpoint(LongPredicate acceptsAt) {
            this.accepts = acceptsAt;
            return this;
        }

        /**
         * An endpoint that counts each request's tokens once generated (at its answer) and answers
         * {@code 429} to a request that finds the last minute's count at its limit, as the emulator does;
         * {@code namesLimit}: its answers carry {@code X-RateLimit-Limit-Tokens} and {@code -Remaining-Tokens}.
         */
        Run endpointCountingTokens(long tokensPerMinute, boolean namesLimit) {
            this.endpointLimit = tokensPerMinute;
            this.endpointNamesLimit = namesLimit;
            return this;
        }

        /** The same, for an endpoint that limits requests per sliding minute. */
        Run endpointCountingRequests(long requestsPerMinute, boolean namesLimit) {
            this.endpointLimit = requestsPerMinute;
            this.endpointCountsRequests = true;
            this.endpointNamesLimit = namesLimit;
            return this;
        }

        private Sent answer(Pending p, long now) {
            while (!counted.isEmpty() && counted.peekFirst()[0] <= now - MINUTE) {
                countedSum -= counted.pollFirst()[1];
            }
            boolean full = endpointLimit > 0 && countedSum >= endpointLimit;
            int status = accepts.test(p.at()) && !full ? 200 : 429;
            long tokens = status == 200 ? (usageReported ? usage.applyAsLong(p.at()) : estimate) : 0;
            long counts = endpointCountsRequests ? (status == 200 ? 1 : 0) : tokens;
            if (counts > 0) {
                counted.addLast(new long[] {now, counts});
                countedSum += counts;
            }
            return new Sent(p.subtask(), p.at(), tokens, status, p.grant());
        }

        /** As the emulator answers: {@code Retry-After} in whole seconds on a 429, the limit's headers if named. */
        private RateLimitHeaders headers(int status, long now) {
            if (endpointLimit == 0) {
                return RateLimitHeaders.NONE;
            }
            Duration reset = counted.isEmpty() ? Duration.ZERO
                    : Duration.ofNanos(counted.peekFirst()[0] + MINUTE - now);
            Duration retryAfter = status == 429 ? Duration.ofSeconds(Math.max(1, (reset.toNanos() + SECOND - 1) / SECOND))
                    : null;
            if (!endpointNamesLimit) {
                return new RateLimitHeaders(retryAfter, null, null, null, null, null, null);
            }
            long remaining = Math.max(0, endpointLimit - countedSum);
            return endpointCountsRequests
                    ? new RateLimitHeaders(retryAfter, endpointLimit, remaining, reset, null, null, null)
                    : new RateLimitHeaders(retryAfter, null, null, null, endpointLimit, remaining, reset);
        }

        long refusedCount() {
            return sent.stream().filter(s -> s.status() == 429).count();
        }

        Run simulate(long duration) {
            PriorityQueue<Event> events = new PriorityQueue<>(
                    Comparator.comparingLong(Event::at).thenComparingInt(e -> e.response() == null ? 1 : 0)
                            .thenComparingLong(Event::seq));
            long seq = 0;
            for (int subtask = 0; subtask < pacers.size(); subtask++) {
                for (int c = 0; c < capacity; c++) {
                    events.add(new Event(0, seq++, subtask, null));
                }
            }
            while (!events.isEmpty()) {
                Event e = events.poll();
                RequestPacer pacer = pacers.get(e.subtask());
                if (e.response() != null) {
                    Sent s = answer(e.response(), e.at());
                    sent.add(s);
                    long reported = s.status() == 200 ? (usageReported ? s.tokens() : -1) : 0;
                    pacer.onResponse(s.status(), s.grant(), headers(s.status(), e.at()), reported, e.at());
                    recordRate(e.at());
                    // The call is done: the operator takes the next element, which reserves at once.
                    events.add(new Event(e.at(), seq++, e.subtask(), null));
                    continue;
                }
                RequestPacer.Grant grant = pacer.reserve(estimate, e.at());
                long at = grant.atNanos();
                assertThat(at).isGreaterThanOrEqualTo(e.at());
                if (at >= duration) {
                    continue; // this caller is done
                }
                if (!grant.reserved()) {
                    long late = timerLateness == 0 ? 0 : lateness.nextLong(timerLateness);
                    events.add(new Event(at + late, seq++, e.subtask(), null)); // the operator's timer asks again
                    continue;
                }
                events.add(new Event(at + latency, seq++, e.subtask(), new Pending(e.subtask(), at, grant)));
            }
            return this;
        }

        private void recordRate(long at) {
            if (!settings.adaptive()) {
                return;
            }
            double rate = 0;
            for (RequestPacer p : pacers) {
                rate += p.currentRate();
            }
            rates.add(new long[] {at, Double.doubleToLongBits(rate)});
        }

        /** The job-wide adaptive rate as of the last response before {@code at}. */
        double rateAt(long at) {
            double rate = Double.NaN;
            for (long[] r : rates) {
                if (r[0] > at) {
                    break;
                }
                rate = Double.longBitsToDouble(r[1]);
            }
            return rate;
        }

        double maxRate() {
            return rates.stream().mapToDouble(r -> Double.longBitsToDouble(r[1])).max().orElseThrow();
        }

        long maxRequestsInAnyWindow(long length) {
            return maxInAnyWindow(length, s -> 1);
        }

        long maxTokensInAnyWindow(long length) {
            return maxInAnyWindow(length, Sent::tokens);
        }

        /** Requests sent per minute on average over {@code [from, to)}. */
        double requestsPerMinute(long from, long to) {
            return sent.stream().filter(s -> s.at() >= from && s.at() < to).count() * (double) MINUTE / (to - from);
        }

        double tokensPerMinute(long from, long to) {
            return sent.stream().filter(s -> s.at() >= from && s.at() < to).mapToLong(Sent::tokens).sum()
                    * (double) MINUTE / (to - from);
        }

        long successesBetween(long from, long to) {
            return sent.stream().filter(s -> s.status() == 200 && s.at() >= from && s.at() < to).count();
        }

        /**
         * The most any window {@code [a, a + length)} holds. A window's content is also that of the window
         * starting at its first send, so windows starting at each send cover every window.
         */
        private long maxInAnyWindow(long length, ToLongFunction<Sent> weight) {
            List<Sent> sorted = new ArrayList<>(sent);
            sorted.sort(Comparator.comparingLong(Sent::at));
            long max = 0;
            long sum = 0;
            int end = 0;
            for (int start = 0; start < sorted.size(); start++) {
                long windowEnd = sorted.get(start).at() + length;
                while (end < sorted.size() && sorted.get(end).at() < windowEnd) {
                    sum += weight.applyAsLong(sorted.get(end));
                    end++;
                }
                max = Math.max(max, sum);
                sum -= weight.applyAsLong(sorted.get(start));
            }
            return max;
        }
    }

    /** One request as answered; {@code tokens} is what it counts against the token budget in the end. */
    private record Sent(int subtask, long at, long tokens, int status, RequestPacer.Grant grant) {}

    /** A request on its way, answered when its event comes. */
    private record Pending(int subtask, long at, RequestPacer.Grant grant) {}

    /** A caller reserving ({@code response == null}) or the response to a sent request arriving. */
    private record Event(long at, long seq, int subtask, Pending response) {}
}
