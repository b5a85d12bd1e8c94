package io.friendliflink.operator;

import static io.friendliflink.operator.SimulatedJob.MINUTE;
import static io.friendliflink.operator.SimulatedJob.MS;
import static io.friendliflink.operator.SimulatedJob.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The adaptive pacer against the endpoints of issue 11, on a virtual clock ({@link SimulatedJob}): one whose
 * limit is capacity, one that fails a few percent of requests with no limit behind them, and quotas it is told,
 * that it is named in headers, or that it must find from 429s alone.
 */
class AdaptivePacingTest {

    /** {@code conf/dedicated.yaml}: adaptive, no request budget, no ramp towards a quota. */
    private static final PacingSettings DEDICATED = new PacingSettings(0, 0, true, 0, 256);
    /** Adaptive without a budget, approaching an unknown quota from 50 requests a second job-wide. */
    private static final PacingSettings PROBING = new PacingSettings(0, 0, true, 50, 256);

    // ---- capacity

    /**
     * Figure 1's endpoint: 32 generations at once, 490 ms each. Starting from the defaults, the limit on requests
     * in flight finds it within seconds, and the run finishes within 5% of the best fixed number in flight.
     */
    @Test
    void anEndpointWhoseLimitIsCapacityIsUsedWithin5PercentOfTheBestFixedInFlight() {
        SimulatedJob adaptive = capacityRun(DEDICATED, 256).run(10 * MINUTE);
        double best = 0;
        for (int fixed : new int[] {24, 32, 40, 48, 64, 128, 256}) {
            SimulatedJob job = capacityRun(new PacingSettings(0, 0, false, 0, 256), fixed).run(10 * MINUTE);
            best = Math.max(best, job.throughput(0, lastEnd(job) + 1));
        }
        double rate = adaptive.throughput(0, lastEnd(adaptive) + 1);

        assertThat(rate).isGreaterThanOrEqualTo(0.95 * best);
        assertThat(adaptive.concurrencyLimitAt(10 * SECOND)).isBetween(32, 48);
    }

    @Test
    void requestsThatSetATimeoutOfTwiceAGenerationRarelyTimeOutInTheQueue() {
        SimulatedJob job = capacityRun(DEDICATED, 256).requestTimeout(980 * MS).run(10 * MINUTE);

        long timedOut = job.arrivals.stream().filter(a -> a.status() == 429).count();
        assertThat(timedOut).isLessThan(job.arrivals.size() / 100);
        assertThat(job.outcomes).allMatch(SimulatedJob.Outcome::ok);
    }

    @Test
    void streamsFindTheCapacityByTheirTimeToFirstTokenWhateverTheirLength() {
        SplittableRandom lengths = new SplittableRandom(4);
        SimulatedJob job = new SimulatedJob(DEDICATED, 1).capacity(256).lines(6_000).endpointSlots(32)
                .streaming().generation(t -> 200 * MS + 10 * MS * (10 + lengths.nextInt(290))).run(10 * MINUTE);

        assertThat(job.concurrencyLimitAt(60 * SECOND)).isBetween(32, 48);
        assertThat(job.outcomes).hasSize(6_000);
    }

    private static SimulatedJob capacityRun(PacingSettings settings, int capacity) {
        return new SimulatedJob(settings, 1).capacity(capacity).lines(3_000).endpointSlots(32)
                .generation(t -> 490 * MS);
    }

    private static long lastEnd(SimulatedJob job) {
        return job.outcomes.stream().mapToLong(SimulatedJob.Outcome::endedAt).max().orElseThrow();
    }

    // ---- noise

    /**
     * Figure 2's endpoint: 5% transient 429s (half with Retry-After: 1), 2% 503s and 1% resets, no limit behind
     * them. They are retried, nothing else slows down: throughput within 10% of the same run without faults, and
     * no request ends as deadline_exceeded or out of attempts.
     */
    @Test
    void transientErrorsWithNoLimitBehindThemAreRetriedWithoutSlowingTheRest() {
        for (PacingSettings settings : new PacingSettings[] {DEDICATED, PROBING}) {
            SimulatedJob clean = noiseRun(settings).run(20 * MINUTE);
            SimulatedJob noisy = noiseRun(settings).faults(0.025, 0.025, 0.02, 0.01).run(20 * MINUTE);

            assertThat(noisy.outcomes).as("%s", settings).hasSize(3_000).allMatch(SimulatedJob.Outcome::ok);
            assertThat((double) lastEnd(clean) / lastEnd(noisy)).as("%s", settings).isGreaterThanOrEqualTo(0.9);
            assertThat(noisy.pacer(0).requestsPerMinute()).as("no limit was learned").isEqualTo(Long.MAX_VALUE);
        }
    }

    private static SimulatedJob noiseRun(PacingSettings settings) {
        return new SimulatedJob(settings, 1).capacity(256).lines(3_000).endpointSlots(32).generation(t -> 490 * MS);
    }

    // ---- quotas

    /** A told limit is never exceeded, and isolated 429s (5% of requests) do not lower it. */
    @Test
    void aToldLimitIsKeptThroughIsolated429s() {
        SimulatedJob job = new SimulatedJob(new PacingSettings(6_000, 0, true, 50, 256), 2).capacity(256)
                .generation(t -> 35 * MS).faults(0.025, 0.025, 0, 0).run(5 * MINUTE);

        assertThat(job.maxArrivalsInAnyWindow(MINUTE)).isLessThanOrEqualTo(6_000);
        assertThat(job.arrivalsBetween(MINUTE, 5 * MINUTE) / 4.0).isGreaterThanOrEqualTo(0.98 * 6_000);
        assertThat(job.pacer(0).requestsPerMinute()).isEqualTo(3_000);
    }

    /**
     * Figure 3, not told, headers on: the first answers name the limit, which becomes the budget before the ramp
     * can overrun it; under 1% 429s over the whole run.
     */
    @Test
    void aLimitTheEndpointNamesIsUsedWithUnder1PercentOf429s() {
        SimulatedJob job = new SimulatedJob(PROBING, 2).capacity(256).generation(t -> 35 * MS)
                .endpointRequestLimit(6_000, true).run(3 * MINUTE);

        assertThat(job.refused()).isLessThan(job.arrivals.size() / 100);
        assertThat(job.successesBetween(MINUTE, 3 * MINUTE) / 2.0).isGreaterThanOrEqualTo(0.97 * 6_000);
    }

    @Test
    void aTokenLimitTheEndpointNamesBecomesTheTokenBudget() {
        SimulatedJob job = new SimulatedJob(PROBING, 2).capacity(256).estimate(29).usage(t -> 44)
                .generation(t -> SECOND / 5).endpointTokenLimit(120_000, true).run(5 * MINUTE);

        assertThat(job.refused()).isLessThan(job.arrivals.size() / 100);
        assertThat(job.tokensPerMinute(MINUTE, 5 * MINUTE)).isGreaterThanOrEqualTo(0.95 * 120_000);
    }

    /**
     * Figure 4: not told, no X-RateLimit headers, only 429s with Retry-After. The ramp finds the quota, the
     * cluster of 429s at its edge sets the budget to what the endpoint accepted, and the run keeps 95% of R
     * after its first 30 s with under 2% of 429s.
     */
    @Test
    void aQuotaShownOnlyBy429sIsFoundAndKeptFullWithFew429s() {
        SimulatedJob job = new SimulatedJob(PROBING, 2).capacity(256).generation(t -> 35 * MS)
                .endpointRequestLimit(6_000, false).run(135 * SECOND);
        long from = 30 * SECOND;
        long to = 135 * SECOND;

        assertThat(job.successesBetween(from, to) * (double) MINUTE / (to - from)).isGreaterThanOrEqualTo(0.95 * 6_000);
        assertThat(job.refused()).isLessThan(job.arrivals.size() / 50);
        assertThat(job.pacer(0).requestsPerMinute()).isBetween(2_900L, 3_000L);
    }

    @Test
    void aTokenQuotaShownOnlyBy429sIsHeldToWithFew429s() {
        SimulatedJob job = new SimulatedJob(PROBING, 2).capacity(256).estimate(29).usage(t -> 44)
                .generation(t -> SECOND / 5).endpointTokenLimit(120_000, false).run(5 * MINUTE);

        assertThat(job.refused()).isLessThan(job.arrivals.size() / 20);
        assertThat(job.tokensPerMinute(2 * MINUTE, 5 * MINUTE)).isGreaterThanOrEqualTo(0.85 * 120_000);
    }

    /**
     * Told 1,200 a minute, the endpoint refuses everything for 20 s (an outage, no headers): the budget comes
     * down to what the endpoint accepted, so fewer requests go into the refusals, and climbs back to the told
     * limit within minutes; never above it.
     */
    @Test
    void aToldLimitBacksOffWhenEverythingIsRefusedAndRecoversWithinMinutes() {
        SimulatedJob job = new SimulatedJob(new PacingSettings(1_200, 0, true, 50, 256), 2).capacity(256)
                .generation(t -> SECOND / 2)
                .endpointUp(t -> t < 2 * MINUTE || t >= 2 * MINUTE + 20 * SECOND).run(15 * MINUTE);

        assertThat(job.arrivalsBetween(2 * MINUTE, 2 * MINUTE + 20 * SECOND)).as("sent into the outage")
                .isLessThan(400);
        assertThat(job.successesBetween(13 * MINUTE, 14 * MINUTE)).isGreaterThanOrEqualTo(1_140);
        assertThat(job.maxArrivalsInAnyWindow(MINUTE)).isLessThanOrEqualTo(1_200);
    }

    // ---- the deadline

    /**
     * The deadline counts from the first attempt, as the README says: a request that waited its turn for most
     * of its deadline still has all of it for its retries; one never sent ends when its deadline passes in line.
     */
    @Test
    void theDeadlineCountsFromTheFirstAttempt() {
        SimulatedJob job = new SimulatedJob(new PacingSettings(60, 0, false, 0, 256), 1).capacity(40)
                .lines(40).generation(t -> SECOND / 10).faults(0, 0, 0.3, 0)
                .retry(io.friendliflink.policy.RetryPolicy.custom().maxAttempts(20)
                        .deadline(java.time.Duration.ofSeconds(30)).initialBackoff(java.time.Duration.ofMillis(100))
                        .maxBackoff(java.time.Duration.ofMillis(100)).random(() -> 0.5).build())
                .run(5 * MINUTE);

        // One a second: the 40th waits about 39 s for its first send, longer than its 30 s deadline.
        assertThat(job.outcomes).filteredOn(o -> o.how().equals("deadline_exceeded"))
                .allSatisfy(o -> assertThat(o.attempts()).isZero()).isNotEmpty();
        assertThat(job.outcomes).filteredOn(o -> o.attempts() > 0)
                .allSatisfy(o -> assertThat(o.endedAt() - o.firstSentAt()).isLessThanOrEqualTo(30 * SECOND))
                .anySatisfy(o -> assertThat(o.endedAt() - o.enteredAt()).isGreaterThan(30 * SECOND));
        assertThat(job.outcomes).filteredOn(o -> o.attempts() > 0).allMatch(SimulatedJob.Outcome::ok);
    }
}
