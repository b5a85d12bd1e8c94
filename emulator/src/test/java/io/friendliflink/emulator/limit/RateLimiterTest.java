package io.friendliflink.emulator.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private long now = 1_000_000_000L;

    private void advanceMillis(long ms) {
        now += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    @Test
    void admitsUpToTheRequestLimitWithinAMinute() {
        RateLimiter limiter = new RateLimiter(3, 0, () -> now);

        assertThat(limiter.tryAdmit().admitted()).isTrue();
        assertThat(limiter.tryAdmit().admitted()).isTrue();
        RateLimiter.Admission third = limiter.tryAdmit();
        assertThat(third.admitted()).isTrue();
        assertThat(third.snapshot().remainingRequests()).isZero();
        RateLimiter.Admission fourth = limiter.tryAdmit();
        assertThat(fourth.outcome()).isEqualTo(RateLimiter.Admission.Outcome.REQUESTS_EXHAUSTED);
    }

    @Test
    void requestsSpreadOverGapsLongerThanTheWindowAreAdmittedEachTime() {
        RateLimiter limiter = new RateLimiter(1, 0, () -> now);

        assertThat(limiter.tryAdmit().admitted()).isTrue();
        advanceMillis(50_000);
        assertThat(limiter.tryAdmit().admitted()).as("50 s later: still within the minute").isFalse();
        advanceMillis(70_000);
        assertThat(limiter.tryAdmit().admitted()).as("120 s after the first").isTrue();
        advanceMillis(480_000);
        assertThat(limiter.tryAdmit().admitted()).as("8 minutes idle").isTrue();
        assertThat(limiter.snapshot().remainingRequests()).isZero();
    }

    @Test
    void windowSlidesSoOldRequestsStopCounting() {
        RateLimiter limiter = new RateLimiter(2, 0, () -> now);
        limiter.tryAdmit();
        advanceMillis(30_000);
        limiter.tryAdmit();
        assertThat(limiter.tryAdmit().admitted()).isFalse();

        advanceMillis(30_100);
        assertThat(limiter.snapshot().remainingRequests()).isEqualTo(1);
        assertThat(limiter.tryAdmit().admitted()).isTrue();
        assertThat(limiter.tryAdmit().admitted()).isFalse();
    }

    @Test
    void aShorterWindowRefillsTheSpentLimitWhenItsOldestRequestLeaves() {
        RateLimiter limiter = new RateLimiter(2, 0, TimeUnit.SECONDS.toNanos(1), () -> now);
        limiter.tryAdmit();
        limiter.tryAdmit();

        RateLimiter.Admission refused = limiter.tryAdmit();
        assertThat(refused.admitted()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(refused.retryAfterNanos())).isBetween(998L, 1_000L);

        advanceMillis(1_000);
        assertThat(limiter.tryAdmit().admitted()).isTrue();
        assertThat(limiter.tryAdmit().admitted()).isTrue();
        assertThat(limiter.tryAdmit().admitted()).isFalse();
    }

    @Test
    void rejectionSaysWhenTheOldestRequestLeavesTheWindow() {
        RateLimiter limiter = new RateLimiter(1, 0, () -> now);
        limiter.tryAdmit();
        advanceMillis(20_000);

        RateLimiter.Admission refused = limiter.tryAdmit();

        assertThat(TimeUnit.NANOSECONDS.toMillis(refused.retryAfterNanos())).isBetween(39_800L, 40_000L);
        assertThat(TimeUnit.NANOSECONDS.toMillis(refused.snapshot().resetRequestsNanos())).isBetween(39_800L, 40_000L);
    }

    @Test
    void tokenBudgetCountsRecordedTokensAndRefusesOnceSpent() {
        RateLimiter limiter = new RateLimiter(0, 100, () -> now);

        assertThat(limiter.tryAdmit().admitted()).isTrue();
        limiter.recordTokens(60);
        assertThat(limiter.snapshot().remainingTokens()).isEqualTo(40);
        assertThat(limiter.tryAdmit().admitted()).isTrue();
        limiter.recordTokens(60);
        assertThat(limiter.snapshot().remainingTokens()).isZero();
        assertThat(limiter.tryAdmit().outcome()).isEqualTo(RateLimiter.Admission.Outcome.TOKENS_EXHAUSTED);

        advanceMillis(60_100);
        assertThat(limiter.tryAdmit().admitted()).isTrue();
    }

    @Test
    void rejectedRequestsDoNotCount() {
        RateLimiter limiter = new RateLimiter(1, 0, () -> now);
        limiter.tryAdmit();
        for (int i = 0; i < 10; i++) {
            limiter.tryAdmit();
        }
        advanceMillis(60_100);

        assertThat(limiter.snapshot().remainingRequests()).isEqualTo(1);
    }

    @Test
    void inactiveWithoutLimits() {
        assertThat(new RateLimiter(0, 0, () -> now).isActive()).isFalse();
        assertThat(new RateLimiter(5, 0, () -> now).isActive()).isTrue();
    }

    @Test
    void negativeLimitIsRejectedByName() {
        assertThatThrownBy(() -> new RateLimiter(-1, 0, () -> now)).hasMessageContaining("requestsPerMinute");
        assertThatThrownBy(() -> new RateLimiter(0, -1, () -> now)).hasMessageContaining("tokensPerMinute");
    }
}
