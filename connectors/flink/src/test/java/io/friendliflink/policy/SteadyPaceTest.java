package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SteadyPaceTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void anyIntervalHoldsAtMostOneSecondsShareMoreThanTheSteadyRateAllows() {
        SteadyPace pace = new SteadyPace(6_000); // 100 a second
        SplittableRandom random = new SplittableRandom(3);
        WindowCheck grants = new WindowCheck(); // what each grant was charged, at its time
        long now = 0;
        for (int i = 0; i < 5_000; i++) {
            now += random.nextLong(SECOND / 50);
            long permits = 1 + random.nextInt(150);
            long at = now + pace.reserve(permits, now);
            assertThat(at).isGreaterThanOrEqualTo(now);
            grants.record(at, Math.min(permits, pace.burst()));
        }
        for (long length : new long[] {SECOND / 10, SECOND, 10 * SECOND}) {
            assertThat(grants.maxOverAnyWindow(length)).as("most in any window of %d ns", length)
                    .isLessThanOrEqualTo(pace.burst() + (long) Math.ceil(length * 100.0 / SECOND));
        }
    }

    @Test
    void aCallerThatAsksForMoreThanTheSteadyRateGetsExactlyIt() {
        SteadyPace pace = new SteadyPace(120_000); // 2,000 a second
        long now = 0;
        long at = 0;
        long charged = 0;
        while (at < 60 * SECOND) {
            at = now + pace.reserve(44, now);
            charged += 44;
            now = Math.max(now, at - SECOND / 2); // callers queue up to half a second ahead
        }
        // A minute's share plus the first second's burst, nothing more, nothing much less.
        assertThat(charged).isBetween(120_000L, 122_000L + 44);
    }

    @Test
    void aReservationLargerThanOneSecondsShareIsChargedOnlyThatShare() {
        SteadyPace pace = new SteadyPace(600); // 10 a second
        assertThat(pace.reserve(500, 0)).isZero();
        // Charged 10 (a second's share), not 500: the next one waits about a second, not fifty.
        long wait = pace.reserve(10, 0);
        assertThat(wait).isBetween(SECOND - SECOND / 100, SECOND + SECOND / 100);
    }

    @Test
    void releasingAnUnsentReservationGivesItsTurnBack() {
        SteadyPace pace = new SteadyPace(600);
        pace.reserve(10, 0);
        long second = pace.reserve(10, 0);
        pace.release(10);

        assertThat(pace.reserve(10, 0)).isEqualTo(second);
    }

    @Test
    void aClockThatReadsNegativeWorksAsAnyOther() {
        long start = -5_000 * SECOND; // System.nanoTime() may be negative
        SteadyPace pace = new SteadyPace(600);
        assertThat(pace.reserve(10, start)).isZero();
        assertThat(pace.reserve(10, start)).isEqualTo(SECOND);
        assertThat(pace.reserve(10, start + 10 * SECOND)).isZero();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new SteadyPace(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permitsPerMinute");
        assertThatThrownBy(() -> new SteadyPace(60).reserve(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permits");
    }
}
