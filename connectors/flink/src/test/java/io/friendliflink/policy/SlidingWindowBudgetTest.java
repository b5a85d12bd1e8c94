package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SlidingWindowBudgetTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long START = 1_000 * SECOND; // arbitrary origin: grants must not depend on 0

    @Test
    void grantsImmediatelyUntilTheWindowIsFullThenMakesTheCallerWaitForTheOldestSlotToLeave() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(3));
        assertThat(budget.reserve(1, START)).isZero();
        assertThat(budget.reserve(2, START + SECOND)).isZero();

        long wait = budget.reserve(1, START + 2 * SECOND);

        // The first grant's slot [1000 s, 1001 s) must be out of every window with the new grant: 61 slots on.
        assertThat(START + 2 * SECOND + wait).isEqualTo(START + 61 * SECOND);
    }

    @Test
    void waitingCallersAreServedInTheOrderTheyReserved() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(10));
        budget.reserve(10, START);
        long big = START + budget.reserve(8, START + SECOND);
        long small = START + 2 * SECOND + budget.reserve(1, START + 2 * SECOND);

        assertThat(big).isGreaterThan(START + SECOND);
        assertThat(small).as("a small request never overtakes a waiting big one").isGreaterThanOrEqualTo(big);
        assertThat(budget.tryAcquire(1, START + 3 * SECOND)).as("nothing jumps the queue").isFalse();
    }

    @Test
    void permitsChargedAtAPastTimeCountInThatSlotAndLaterGrantsMakeRoomForThem() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(3));
        budget.reserve(1, START + 10 * SECOND);
        budget.charge(2, START + 5 * SECOND); // counted by the endpoint at 5 s, told only now

        assertThat(budget.permitsInWindow(START + 10 * SECOND)).isEqualTo(3);
        // the window is full until the slot at 5 s has left it, 61 slots on
        assertThat(START + 10 * SECOND + budget.reserve(1, START + 10 * SECOND)).isEqualTo(START + 66 * SECOND);
        budget.charge(5, START - 10 * MINUTE); // older than every window kept: in none
        assertThat(budget.permitsInWindow(START + 10 * SECOND)).isEqualTo(3);
    }

    @Test
    void peekingDoesNotReserve() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(5));
        budget.reserve(5, START);
        long peek = budget.nanosUntilAvailable(5, START + SECOND);
        assertThat(peek).isPositive();
        assertThat(budget.nanosUntilAvailable(5, START + SECOND)).isEqualTo(peek);
        assertThat(budget.reserve(5, START + SECOND)).isEqualTo(peek);
    }

    @Test
    void peekingAtALaterTimeLeavesTheBudgetAsItIsNow() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(5));
        budget.reserve(5, START);
        assertThat(budget.nanosUntilAvailable(5, START + 2 * MINUTE)).isZero();

        // The look ahead neither moved the budget's clock nor dropped the slot the refund goes to.
        budget.release(5, START, START + SECOND);
        assertThat(budget.reserve(5, START + SECOND)).isZero();
    }

    @Test
    void releasingAnUnusedReservationMakesItsPermitsAvailableAgain() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(5));
        assertThat(budget.reserve(5, START)).isZero();
        assertThat(budget.tryAcquire(1, START + SECOND)).isFalse();

        budget.release(5, START, START + 2 * SECOND);

        assertThat(budget.tryAcquire(5, START + 2 * SECOND)).isTrue();
    }

    @Test
    void overEstimateRefundedLetsMoreThrough() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(10_000));
        assertThat(budget.reserve(8_000, START)).isZero();
        assertThat(budget.tryAcquire(4_000, START + SECOND)).isFalse();

        budget.reconcile(8_000, 1_000, START, START + 2 * SECOND);

        assertThat(budget.tryAcquire(4_000, START + 2 * SECOND)).isTrue();
        assertThat(budget.tryAcquire(5_001, START + 2 * SECOND)).isFalse();
        assertThat(budget.tryAcquire(5_000, START + 2 * SECOND)).isTrue();
    }

    @Test
    void underEstimateIsChargedSoLaterGrantsMakeRoomForIt() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(10_000));
        assertThat(budget.reserve(2_000, START)).isZero();

        budget.reconcile(2_000, 9_000, START, START + SECOND);

        assertThat(budget.tryAcquire(1_001, START + SECOND)).isFalse();
        assertThat(budget.tryAcquire(1_000, START + SECOND)).isTrue();
        long wait = budget.reserve(5_000, START + SECOND);
        assertThat(START + SECOND + wait).as("waits until the charged slot leaves the window")
                .isEqualTo(START + 61 * SECOND);
    }

    @Test
    void reconcilingAGrantOlderThanAWindowChangesNothing() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(100));
        budget.reserve(100, START);
        budget.reserve(100, START + 61 * SECOND);

        budget.reconcile(100, 0, START, START + 62 * SECOND);

        assertThat(budget.tryAcquire(1, START + 62 * SECOND)).isFalse();
    }

    @Test
    void requestBudgetHoldsOverEverySlidingWindowOfALongRandomizedScheduleAndReachesTheBudget() {
        long perMinute = 600;
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(perMinute));
        SplittableRandom random = new SplittableRandom(7);
        WindowCheck grants = new WindowCheck();
        long t = START;
        long end = START + 180 * MINUTE;
        while (t < end) {
            // Phases of quiet, steady, bursty and overloaded demand; overall well above the budget.
            int phase = (int) (((t - START) / (7 * MINUTE)) % 4);
            long meanGapNanos = switch (phase) {
                case 0 -> 2 * SECOND;
                case 1 -> 100_000_000L;
                case 2 -> 50_000_000L;
                default -> 10_000_000L;
            };
            t += (long) (-Math.log(1 - random.nextDouble()) * meanGapNanos);
            int burst = random.nextInt(20) == 0 ? 1 + random.nextInt(150) : 1;
            for (int i = 0; i < burst; i++) {
                if (random.nextInt(4) == 0) {
                    if (budget.tryAcquire(1, t)) {
                        grants.record(t, 1);
                    }
                } else {
                    grants.record(t + budget.reserve(1, t), 1);
                }
            }
        }

        assertThat(grants.maxOverAnyWindow(MINUTE)).isEqualTo(perMinute);
        double minutes = (double) (grants.last() - grants.first()) / MINUTE;
        assertThat(grants.total() / (perMinute * minutes)).as("share of the budget reached").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void tokenBudgetWithExactEstimatesHoldsOverEveryWindowAndReachesTheBudget() {
        long perMinute = 200_000;
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(perMinute));
        SplittableRandom random = new SplittableRandom(11);
        WindowCheck grants = new WindowCheck();
        long t = START;
        while (t < START + 120 * MINUTE) {
            long tokens = 50 + random.nextInt(8_000);
            long grantedAt = t + budget.reserve(tokens, t);
            grants.record(grantedAt, tokens);
            t = grantedAt + random.nextInt(3) * 1_000_000L; // greedy: asks again as soon as it may send
        }

        assertThat(grants.maxOverAnyWindow(MINUTE)).isLessThanOrEqualTo(perMinute);
        double minutes = (double) (grants.last() - grants.first()) / MINUTE;
        assertThat(grants.total() / (perMinute * minutes)).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void tokenBudgetHoldsOverEveryWindowOfActualUsageWhenOverEstimatesAreRefundedLate() {
        long perMinute = 200_000;
        Run reconciled = runOverEstimatingClient(perMinute, true);
        Run unreconciled = runOverEstimatingClient(perMinute, false);

        assertThat(reconciled.actualUsage.maxOverAnyWindow(MINUTE)).isLessThanOrEqualTo(perMinute);
        assertThat(unreconciled.actualUsage.maxOverAnyWindow(MINUTE)).isLessThanOrEqualTo(perMinute);
        // Demand is 1.5x the budget in estimates but about 0.5x in actual tokens: refunds decide whether the
        // queue keeps up with it or grows without end.
        assertThat(reconciled.grantedInTime).as("requests granted before the end, with refunds")
                .isGreaterThanOrEqualTo(reconciled.arrived * 95 / 100);
        assertThat(reconciled.grantedInTime)
                .as("refunding over-estimates lets more requests through than keeping them")
                .isGreaterThan(unreconciled.grantedInTime * 4 / 3);
    }

    private record Run(WindowCheck actualUsage, int arrived, int grantedInTime) {
    }

    private record Reconciliation(long atNanos, long estimate, long actual, long grantedAt) {
    }

    /**
     * Requests arrive at random (Poisson) and each reserves its estimate; each uses 10% to 60% of it, known
     * 1 to 20 s after it was sent.
     */
    private static Run runOverEstimatingClient(long perMinute, boolean reconcile) {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(perMinute));
        SplittableRandom random = new SplittableRandom(13);
        PriorityQueue<Reconciliation> pending = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos, b.atNanos));
        WindowCheck actualUsage = new WindowCheck();
        double meanEstimate = 2_500;
        double arrivalsPerNano = 1.5 * perMinute / meanEstimate / MINUTE;
        long end = START + 120 * MINUTE;
        int arrived = 0;
        int grantedInTime = 0;
        long t = START;
        while (t < end) {
            t += (long) (-Math.log(1 - random.nextDouble()) / arrivalsPerNano);
            while (!pending.isEmpty() && pending.peek().atNanos <= t) {
                Reconciliation r = pending.poll();
                if (reconcile) {
                    budget.reconcile(r.estimate, r.actual, r.grantedAt, r.atNanos);
                }
            }
            long estimate = 500 + random.nextInt(4_001);
            long actual = Math.max(1, (long) (estimate * (0.1 + 0.5 * random.nextDouble())));
            long grantedAt = t + budget.reserve(estimate, t);
            actualUsage.record(grantedAt, actual);
            arrived++;
            if (grantedAt <= end) {
                grantedInTime++;
            }
            pending.add(new Reconciliation(grantedAt + SECOND + random.nextInt(19_000) * 1_000_000L,
                    estimate, actual, grantedAt));
        }
        return new Run(actualUsage, arrived, grantedInTime);
    }

    @Test
    void rejectsPermitsOutsideTheBudget() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(100));
        assertThatThrownBy(() -> budget.reserve(101, START))
                .hasMessage("permits must be in [1, 100] (permitsPerWindow) but was 101");
        assertThatThrownBy(() -> budget.tryAcquire(0, START))
                .hasMessage("permits must be in [1, 100] (permitsPerWindow) but was 0");
        assertThatThrownBy(() -> budget.reconcile(-1, 3, START, START)).hasMessage("reserved must be >= 0 but was -1");
        assertThatThrownBy(() -> budget.reconcile(3, -2, START, START)).hasMessage("actual must be >= 0 but was -2");
    }

    @Test
    void rejectsReconcilingAGrantThatWasNeverMade() {
        SlidingWindowBudget budget = new SlidingWindowBudget(BudgetConfig.perMinute(100));
        budget.reserve(1, START);
        assertThatThrownBy(() -> budget.reconcile(1, 0, START + 5 * SECOND, START + 5 * SECOND))
                .hasMessageContaining("grantedAtNanos " + (START + 5 * SECOND) + " is later than any grant made");
    }

    @Test
    void configValidatesEachFieldAndTheirCombination() {
        assertThatThrownBy(() -> BudgetConfig.custom().permitsPerWindow(0))
                .hasMessage("permitsPerWindow must be > 0 but was 0");
        assertThatThrownBy(() -> BudgetConfig.custom().window(Duration.ZERO))
                .hasMessage("window must be positive but was PT0S");
        assertThatThrownBy(() -> BudgetConfig.custom().slotsPerWindow(0))
                .hasMessage("slotsPerWindow must be in [1, 10000] but was 0");
        assertThatThrownBy(() -> BudgetConfig.custom().build()).hasMessage("permitsPerWindow must be set");
        assertThatThrownBy(() -> BudgetConfig.custom().permitsPerWindow(1).window(Duration.ofNanos(10))
                .slotsPerWindow(60).build())
                .hasMessage("window PT0.00000001S is shorter than slotsPerWindow (60) nanoseconds");
    }

    @Test
    void configToStringShowsEveryField() {
        BudgetConfig config = BudgetConfig.from(BudgetConfig.perMinute(600)).slotsPerWindow(120).build();
        assertThat(config).hasToString("BudgetConfig{permitsPerWindow=600, window=PT1M, slotsPerWindow=120}");
    }
}
