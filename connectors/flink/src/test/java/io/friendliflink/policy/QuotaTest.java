package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuotaTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long MARGIN = Quota.SEND_MARGIN.toNanos();

    /**
     * The endpoint counts arrivals, and a request arrives after its grant (a timer firing late, the network):
     * up to the send margin late, no 60 s of arrivals holds more than the limit, and a greedy caller still
     * gets more than 99% of it.
     */
    @Test
    void arrivalsUpToTheSendMarginLateNeverPutMoreThanTheLimitIntoAnyMinuteAndAGreedyCallerGets99Percent() {
        for (long limit : new long[] {100, 600, 6_000}) {
            Quota quota = Quota.perMinute(limit);
            SplittableRandom random = new SplittableRandom(limit);
            WindowCheck arrivals = new WindowCheck();
            long now = 0;
            while (now < 10 * MINUTE) {
                long at = now + quota.nanosUntilAvailable(1, now);
                quota.reserve(1, at);
                arrivals.record(at + random.nextLong(MARGIN + 1), 1);
                now = at;
            }
            assertThat(arrivals.maxOverAnyWindow(MINUTE)).as("limit %d", limit).isLessThanOrEqualTo(limit);
            assertThat((long) arrivals.size()).as("limit %d", limit).isGreaterThanOrEqualTo((long) (0.99 * 10 * limit));
        }
    }

    @Test
    void aMinuteIsSpreadOverItsSecondsInsteadOfSpentAtOnce() {
        Quota quota = Quota.perMinute(6_000);
        WindowCheck grants = new WindowCheck();
        long now = 0;
        for (int i = 0; i < 3_000; i++) {
            long at = now + quota.nanosUntilAvailable(1, now);
            quota.reserve(1, at);
            grants.record(at, 1);
        }
        // 100 a second, and at most one second's share at once.
        assertThat(grants.maxOverAnyWindow(SECOND)).isLessThanOrEqualTo(200);
        assertThat(grants.last()).isGreaterThanOrEqualTo(28 * SECOND);
    }

    @Test
    void anUnlimitedQuotaGrantsAtOnceAndCountsWhatItGranted() {
        Quota quota = Quota.unlimited();
        for (int i = 0; i < 1_000; i++) {
            assertThat(quota.nanosUntilAvailable(1, i * SECOND / 100)).isZero();
            quota.reserve(1, i * SECOND / 100);
        }
        assertThat(quota.isLimited()).isFalse();
        // 10 s of grants, all inside the last minute; a request refused by the endpoint is taken out.
        quota.reconcile(1, 0, 5 * SECOND, 10 * SECOND);
        assertThat(quota.inWindow(10 * SECOND)).isEqualTo(999);
        assertThat(quota.inWindow(70 * SECOND)).as("a minute later, all but the newest have left").isLessThan(100);
    }

    @Test
    void aLimitSetWhileRunningHoldsTogetherWithWhatWasAlreadyCounted() {
        Quota quota = Quota.unlimited();
        WindowCheck grants = new WindowCheck();
        long now = 0;
        for (int i = 0; i < 500; i++) { // 500 in the first 10 s
            quota.reserve(1, now);
            grants.record(now, 1);
            now += SECOND / 50;
        }
        quota.setLimit(600);
        while (now < 5 * MINUTE) {
            long at = now + quota.nanosUntilAvailable(1, now);
            quota.reserve(1, at);
            grants.record(at, 1);
            now = at;
        }
        assertThat(quota.limit()).isEqualTo(600);
        assertThat(grants.maxOverAnyWindow(MINUTE)).isLessThanOrEqualTo(600);
        // The window holds what came before the limit: five minutes hold five minutes' worth, no more.
        assertThat((long) grants.size()).isGreaterThanOrEqualTo((long) (0.99 * 600 * 5));
    }

    @Test
    void aReleasedGrantGivesItsTurnBack() {
        Quota quota = Quota.perMinute(60);
        quota.reserve(1, 0);
        long second = quota.nanosUntilAvailable(1, 0);
        quota.reserve(1, second);
        quota.release(1, second, 0);

        assertThat(quota.nanosUntilAvailable(1, 0)).isEqualTo(second);
    }

    @Test
    void refusesAReservationTheQuotaDidNotAllow() {
        Quota quota = Quota.perMinute(60);
        quota.reserve(1, 0);
        assertThatThrownBy(() -> quota.reserve(1, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nanosUntilAvailable");
        assertThatThrownBy(() -> quota.setLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
