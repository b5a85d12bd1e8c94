package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestQuotaTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    /** Sends {@code perSecond} for {@code seconds} from {@code from}, as the quota allows; returns the time after. */
    private static long send(RequestQuota quota, double perSecond, int seconds, long from) {
        long at = from;
        long end = from + seconds * SECOND;
        while (at < end) {
            long grant = at + quota.nanosUntilAvailable(at);
            quota.reserve(grant);
            at = grant + (long) (SECOND / perSecond);
        }
        return at;
    }

    @Test
    void anUnknownQuotaLimitsNothingUntilALimitIsShownThenBecomesWhatTheEndpointAccepted() {
        RequestQuota quota = RequestQuota.unknown();
        long now = send(quota, 20, 60, 0); // 1,200 sent in the last minute
        quota.onRefused(now - SECOND, now); // the endpoint refused one of them: it did not count it

        assertThat(quota.isKnown()).isFalse();
        assertThat(quota.onLimit(now - SECOND / 2, now)).isTrue();
        assertThat(quota.perMinute()).isBetween(1_190L, 1_199L);
    }

    @Test
    void aLimitShownAgainForARequestSentBeforeTheCutChangesNothing() {
        RequestQuota quota = RequestQuota.unknown();
        long now = send(quota, 20, 60, 0);
        quota.onLimit(now, now);
        long limit = quota.perMinute();

        assertThat(quota.onLimit(now - SECOND, now + SECOND)).as("the same congestion").isFalse();
        assertThat(quota.perMinute()).isEqualTo(limit);
    }

    @Test
    void aToldLimitTheEndpointAcceptedIsKeptAndOneItRefusedIsCutToWhatItAccepted() {
        RequestQuota held = RequestQuota.told(600);
        long now = send(held, 10, 60, 0);
        assertThat(held.onLimit(now, now)).as("600 accepted of 600").isFalse();
        assertThat(held.perMinute()).isEqualTo(600);

        RequestQuota refused = RequestQuota.told(600);
        long at = 0;
        for (int i = 0; i < 600; i++) { // one in three refused: 400 of 600 accepted
            long grant = at + refused.nanosUntilAvailable(at);
            refused.reserve(grant);
            if (i % 3 == 0) {
                refused.onRefused(grant, grant);
            }
            at = grant + SECOND / 10;
        }
        assertThat(refused.onLimit(at, at)).isTrue();
        assertThat(refused.perMinute()).isBetween(390L, 400L);
    }

    @Test
    void aMeasuredLimitInFullUseGrowsInDoublingStepsAfterTwoQuietMinutesUpToATold() {
        RequestQuota quota = RequestQuota.told(1_000);
        long at = 0;
        for (int i = 0; i < 600; i++) { // half refused: 300 accepted
            long grant = at + quota.nanosUntilAvailable(at);
            quota.reserve(grant);
            if (i % 2 == 0) {
                quota.onRefused(grant, grant);
            }
            at = grant + SECOND / 10;
        }
        quota.onLimit(at, at);
        long cut = quota.perMinute();
        long now = at;
        long[] after = new long[8];
        for (int minute = 0; minute < after.length; minute++) {
            long end = now + MINUTE;
            while (now < end) {
                long grant = now + quota.nanosUntilAvailable(now);
                quota.reserve(grant);
                quota.onSuccess(grant);
                now = grant;
            }
            after[minute] = quota.perMinute();
        }
        assertThat(after[0]).as("quiet for a minute only").isEqualTo(cut);
        assertThat(after[2]).isGreaterThan(cut).isLessThan(cut + cut / 20);
        assertThat(after[7]).isGreaterThan(2 * cut).isLessThanOrEqualTo(1_000);
    }

    @Test
    void aNamedLimitCountsWhatOthersUsedOfIt() {
        RequestQuota quota = RequestQuota.unknown();
        long now = send(quota, 1, 10, 0); // 10 of ours

        quota.name(100, 40, now); // the endpoint has counted 40: 30 are someone else's

        assertThat(quota.perMinute()).isEqualTo(100);
        long granted = 0;
        long at = now;
        while (true) {
            at += quota.nanosUntilAvailable(at);
            if (at >= 60 * SECOND) { // before our first sends leave the window
                break;
            }
            quota.reserve(at);
            granted++;
        }
        assertThat(granted).as("what is left of the minute").isEqualTo(60);
        quota.name(500, 0, now);
        assertThat(quota.perMinute()).as("the first named limit is kept").isEqualTo(100);
    }
}
