package io.friendliflink.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ToldBudgetTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aMinutesBudgetIsNotGrantedInItsFirstSecond() {
        ToldBudget budget = ToldBudget.perMinute(600); // 10 in any second

        for (int i = 0; i < 10; i++) {
            assertThat(budget.reserve(1, 0)).isZero();
        }
        assertThat(budget.reserve(1, 0)).isGreaterThanOrEqualTo(SECOND);
    }

    @Test
    void theLongRunRateIsTheMinutesEvenWhenItDoesNotDivideIntoSeconds() {
        ToldBudget budget = ToldBudget.perMinute(90); // 1.5 a second, rounded up to 2

        long last = 0;
        for (int i = 0; i < 90; i++) {
            last = budget.reserve(1, 0);
        }
        // 2 a second would take 45 s; the minute's 60/61 share of 90 takes about a minute
        assertThat(last).isBetween(44 * SECOND, 62 * SECOND);
        assertThat(budget.reserve(1, 0)).isGreaterThanOrEqualTo(60 * SECOND);
    }

    @Test
    void aRefundFreesBothTheSecondAndTheMinute() {
        ToldBudget budget = ToldBudget.perMinute(600);
        long grant = budget.reserve(10, 0);

        budget.reconcile(10, 0, grant, 1);

        assertThat(budget.reserve(10, 2)).isZero();
    }

    @Test
    void oneReservationTakesAtMostTheSecondsShare() {
        assertThat(ToldBudget.perMinute(600).maxPermits()).isEqualTo(10);
        assertThat(ToldBudget.perMinute(59).maxPermits()).isEqualTo(1);
    }

    @Test
    void anUnspreadBudgetGrantsTheWholeMinuteAtOnce() {
        ToldBudget budget = ToldBudget.unspread(
                new io.friendliflink.policy.SlidingWindowBudget(io.friendliflink.policy.BudgetConfig.perMinute(600)));

        assertThat(budget.reserve(600, 0)).isZero();
        assertThat(budget.maxPermits()).isEqualTo(600);
    }
}
