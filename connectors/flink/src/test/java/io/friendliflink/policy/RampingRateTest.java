package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RampingRateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void spacesPermitsEvenlyAtItsRate() {
        RampingRate rate = new RampingRate(4, Duration.ofSeconds(30));
        long at = 0;
        rate.reserve(at);
        for (int i = 0; i < 5; i++) {
            long next = at + rate.nanosUntilAvailable(at);
            assertThat(next - at).isEqualTo(SECOND / 4);
            rate.reserve(next);
            at = next;
        }
    }

    @Test
    void aRateInUseDoublesEveryPeriodWhileItsRequestsSucceed() {
        RampingRate rate = new RampingRate(10, Duration.ofSeconds(10));
        long at = 0;
        while (at < 10 * SECOND) {
            at += rate.nanosUntilAvailable(at);
            rate.reserve(at);
            rate.onSuccess();
        }
        // Growing per success at ln 2 / 10 s: continuous doubling in 10 s, to within the per-step rounding.
        assertThat(rate.perSecond()).isCloseTo(20, within(1.0));
    }

    @Test
    void aRateNobodyUsesDoesNotGrow() {
        RampingRate rate = new RampingRate(10, Duration.ofSeconds(10));
        for (int i = 0; i < 100; i++) {
            rate.reserve(i * SECOND); // one a second, far below ten a second
            rate.onSuccess();
        }
        assertThat(rate.perSecond()).isEqualTo(10);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RampingRate(0, Duration.ofSeconds(1))).hasMessageContaining("initialPerSecond");
        assertThatThrownBy(() -> new RampingRate(1, Duration.ZERO)).hasMessageContaining("doubling");
    }
}
