package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every budget keeps, so that a pacer can ask a list of them in turn: on a virtual clock. */
class SendBudgetTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    static Stream<Arguments> budgets() {
        return Stream.of(
                Arguments.of("pause", (Supplier<SendBudget>) () -> {
                    Pause pause = new Pause(Pause.DEFAULT_MAX);
                    pause.pauseFor(Duration.ofSeconds(5), 0);
                    return pause;
                }),
                Arguments.of("ramp", (Supplier<SendBudget>) () -> new RampingRate(2, RampingRate.DEFAULT_DOUBLING)),
                Arguments.of("told requests", (Supplier<SendBudget>) () -> RequestQuota.told(120)),
                Arguments.of("unknown requests", (Supplier<SendBudget>) RequestQuota::unknown),
                Arguments.of("tokens", (Supplier<SendBudget>) () -> Quota.perMinute(6_000)));
    }

    /** Each reservation at the time allowed, as a pacer makes them; the allowed times never go back. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("budgets")
    void asksChangeNothingAndReservationsAtTheAllowedTimesKeepMovingForward(String name, Supplier<SendBudget> made) {
        SendBudget budget = made.get();
        long at = 0;
        for (int i = 0; i < 200; i++) {
            long wait = budget.nanosUntilAvailable(100, at);
            assertThat(budget.nanosUntilAvailable(100, at)).as("asking again").isEqualTo(wait);
            long next = at + wait;
            assertThat(budget.nanosUntilAvailable(100, next)).as("allowed at the time it named").isZero();
            budget.reserve(100, next);
            at = next;
        }
        assertThat(budget.nanosUntilAvailable(100, at + 2 * MINUTE)).as("far enough after the last").isZero();
    }

    /** A grant given back frees its time for the next request, where the budget counts requests or tokens. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("budgets")
    void aReleasedGrantIsFreeAgainForBudgetsThatCountSends(String name, Supplier<SendBudget> made) {
        SendBudget budget = made.get();
        long at = budget.nanosUntilAvailable(100, 0);
        budget.reserve(100, at);
        long nextBefore = budget.nanosUntilAvailable(100, at);

        budget.release(100, at, at);

        long nextAfter = budget.nanosUntilAvailable(100, at);
        if (budget instanceof RequestQuota || budget instanceof Quota) {
            assertThat(nextAfter).isZero();
        } else {
            assertThat(nextAfter).as("a rate or a pause keeps its schedule").isEqualTo(nextBefore);
        }
    }
}
