package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendCapTest {

    @Test
    void aReservationThatDoesNotFitIsRefusedAndTheCapStaysReached() {
        SpendCap cap = SpendCap.forSubtask(new SpendLimits(1_000, 0, Pricing.NONE), 1);
        assertThat(cap.reserve("m", 100, 300)).isNotNull();
        assertThat(cap.reserve("m", 100, 300)).isNotNull();
        assertThat(cap.reserve("m", 100, 300)).as("800 booked, 400 more would pass 1000").isNull();
        assertThat(cap.reached()).isTrue();
        assertThat(cap.reserve("m", 1, 1)).as("nothing slips through once reached").isNull();
        assertThat(cap.describe()).contains("800 of 1000 tokens").contains("larger cap");
    }

    @Test
    void reportedUsageReplacesTheReservationAndAFailedAttemptGivesItBack() {
        SpendCap cap = SpendCap.forSubtask(new SpendLimits(1_000, 0, Pricing.NONE), 1);
        SpendCap.Reservation answered = cap.reserve("m", 100, 300);
        SpendCap.Reservation failed = cap.reserve("m", 100, 300);
        cap.settle(answered, 100, 50);
        assertThat(cap.bookedTokens()).isEqualTo(150 + 400);
        cap.release(failed);
        assertThat(cap.bookedTokens()).isEqualTo(150);
        assertThat(cap.reached()).isFalse();
    }

    @Test
    void promptEstimatesGrowToTheLargestRatioReported() {
        SpendCap cap = SpendCap.forSubtask(new SpendLimits(10_000, 0, Pricing.NONE), 1);
        cap.settle(cap.reserve("m", 100, 10), 150, 10);
        SpendCap.Reservation next = cap.reserve("m", 100, 10);
        assertThat(next.prompt()).isEqualTo(150);
    }

    @Test
    void usageBeyondTheReservationsReachesTheCapWithoutASend() {
        SpendCap cap = SpendCap.forSubtask(new SpendLimits(1_000, 0, Pricing.NONE), 1);
        cap.settle(cap.reserve("m", 100, 100), 900, 150);
        assertThat(cap.reached()).isTrue();
        assertThat(cap.bookedTokens()).isEqualTo(1_050);
    }

    @Test
    void aCostCapCountsAtEachModelsPrices() {
        Pricing prices = new Pricing(1.0, 2.0, Map.of("big", new Pricing.Price(10.0, 20.0)));
        SpendCap cap = SpendCap.forSubtask(new SpendLimits(0, 0.01, prices), 1);
        // big: 100 * 10 / 1e6 + 400 * 20 / 1e6 = 0.009
        assertThat(cap.reserve("big", 100, 400)).isNotNull();
        // small: 1000 * 1 / 1e6 + 400 * 2 / 1e6 = 0.0018, 0.0108 in all
        assertThat(cap.reserve("small", 1_000, 400)).isNull();
        assertThat(cap.describe()).contains("0.009000 of 0.010000");
    }

    @Test
    void eachSubtaskGetsItsShare() {
        SpendCap cap = SpendCap.forSubtask(new SpendLimits(1_000, 0, Pricing.NONE), 4);
        assertThat(cap.reserve("m", 100, 150)).isNotNull();
        assertThat(cap.reserve("m", 1, 0)).as("250 is this subtask's whole share").isNull();
    }

    @Test
    void aCostCapNeedsAPrice() {
        assertThatThrownBy(() -> new SpendLimits(0, 5, Pricing.NONE)).hasMessageContaining("maxCost needs a price");
    }
}
