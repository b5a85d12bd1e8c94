package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.friendliflink.client.RateLimitHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AimdRateLimitTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 77 * SECOND;
    private static final RateLimitHeaders NONE = RateLimitHeaders.NONE;

    @Test
    void backsOffMultiplicativelyOn429() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.toldLimit(10));
        limit.onRateLimited(T0, NONE, T0 + SECOND);
        assertThat(limit.permitsPerSecond()).isCloseTo(7.0, within(1e-9));
    }

    @Test
    void a429CutsToWhatTheEndpointAcceptedOverItsLastMinuteWhenThatIsBelowTheUsualCut() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.probing(20));
        acceptTenASecondForAMinute(limit);
        limit.onRateLimited(T0 + 60 * SECOND, NONE, T0 + 60 * SECOND);
        // About 600 accepted in the last minute (counted in whole seconds): 10 a second, below the usual 14.
        assertThat(limit.permitsPerSecond()).isCloseTo(10.0, within(0.2));
    }

    @Test
    void a429CutsNoDeeperThanTwoUsualCutsHoweverLittleWasAccepted() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.probing(20));
        limit.onSuccess(T0, false, NONE, T0);
        limit.onRateLimited(T0 + SECOND, NONE, T0 + SECOND);
        assertThat(limit.permitsPerSecond()).isCloseTo(20 * 0.7 * 0.7, within(1e-9));
    }

    @Test
    void a429CutsTheUsualRatioWhenTheEndpointAcceptedMoreThanThat() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.probing(12));
        acceptTenASecondForAMinute(limit);
        limit.onRateLimited(T0 + 60 * SECOND, NONE, T0 + 60 * SECOND);
        assertThat(limit.permitsPerSecond()).isCloseTo(12 * 0.7, within(1e-9));
    }

    @Test
    void a429AfterAMinuteAtTheToldRateOnlyPausesWithoutCuttingIt() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.toldLimit(10));
        acceptTenASecondForAMinute(limit);
        RateLimitHeaders retryAfter = new RateLimitHeaders(Duration.ofSeconds(1), null, null, null, null, null, null);
        limit.onRateLimited(T0 + 60 * SECOND, retryAfter, T0 + 60 * SECOND);

        assertThat(limit.permitsPerSecond()).isEqualTo(10.0);
        assertThat(limit.resumeAtNanos()).isEqualTo(T0 + 61 * SECOND);
    }

    @Test
    void a429CutsAToldRateTheEndpointDidNotAccept() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.toldLimit(20));
        acceptTenASecondForAMinute(limit);
        limit.onRateLimited(T0 + 60 * SECOND, NONE, T0 + 60 * SECOND);
        assertThat(limit.permitsPerSecond()).isCloseTo(10.0, within(0.2));
    }

    /** Successes at 10 a second from T0 on; not "utilized", so the rate itself stays where it is. */
    private static void acceptTenASecondForAMinute(AimdRateLimit limit) {
        for (int i = 0; i < 600; i++) {
            long at = T0 + i * SECOND / 10;
            limit.onSuccess(at, false, NONE, at);
        }
    }

    @Test
    void countsOneCongestionOnceNotEvery429OfRequestsSentBeforeOrJustAfterTheDecrease() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.toldLimit(10));
        limit.onRateLimited(T0, NONE, T0 + SECOND);
        limit.onRateLimited(T0 + SECOND / 2, NONE, T0 + 2 * SECOND); // sent before the decrease
        limit.onRateLimited(T0 + 3 * SECOND, NONE, T0 + 4 * SECOND); // within the 5 s cooldown
        assertThat(limit.permitsPerSecond()).isCloseTo(7.0, within(1e-9));

        limit.onRateLimited(T0 + 7 * SECOND, NONE, T0 + 8 * SECOND);
        assertThat(limit.permitsPerSecond()).isCloseTo(4.9, within(1e-9));
    }

    @Test
    void neverFallsBelowTheMinimumRate() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.custom().initialRate(1).minRate(0.8)
                .backoffCooldown(Duration.ZERO).build());
        for (int i = 0; i < 10; i++) {
            limit.onRateLimited(T0 + i * SECOND, NONE, T0 + i * SECOND);
        }
        assertThat(limit.permitsPerSecond()).isEqualTo(0.8);
    }

    @Test
    void recoversToTheToldLimitWhileUsedAndNeverExceedsIt() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.toldLimit(10));
        limit.onRateLimited(T0, NONE, T0);
        long t = T0 + SECOND;
        int samples = 0;
        while (limit.permitsPerSecond() < 10 && samples < 100_000) {
            t += (long) (SECOND / limit.permitsPerSecond());
            limit.onSuccess(t - SECOND / 2, true, NONE, t);
            samples++;
        }
        assertThat(limit.permitsPerSecond()).isEqualTo(10.0);
        // 20% of the rate the 429 came at (10/s) per minute of use: 3/s to regain takes 1.5 minutes.
        assertThat((t - T0) / (double) SECOND).isBetween(80.0, 100.0);
        for (int i = 0; i < 1_000; i++) {
            limit.onSuccess(t, true, NONE, t += SECOND / 10);
        }
        assertThat(limit.permitsPerSecond()).isEqualTo(10.0);
    }

    @Test
    void doesNotGrowWhileTheRateIsNotUsed() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.probing(2));
        for (int i = 0; i < 10_000; i++) {
            limit.onSuccess(T0 + i * SECOND, false, NONE, T0 + i * SECOND + SECOND / 2);
        }
        assertThat(limit.permitsPerSecond()).isEqualTo(2.0);
    }

    @Test
    void slowStartDoublesAUsedRatePerPeriodUntilTheFirst429() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.probing(10));
        long t = T0;
        while (t < T0 + 60 * SECOND) { // one doubling period of samples at the current rate
            t += (long) (SECOND / limit.permitsPerSecond());
            limit.onSuccess(t, true, NONE, t);
        }
        assertThat(limit.permitsPerSecond()).isBetween(18.0, 21.0);
    }

    @Test
    void pausesUntilTheResetWhenNoRequestsRemain() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.probing(5));
        limit.onSuccess(T0, true, new RateLimitHeaders(null, 100L, 0L, Duration.ofSeconds(5), null, null, null),
                T0 + SECOND);
        assertThat(limit.resumeAtNanos()).isEqualTo(T0 + 6 * SECOND);
    }

    @Test
    void pausesUntilTheTokenResetWhenNoTokensRemain() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.probing(5));
        limit.onHeaders(new RateLimitHeaders(null, null, 40L, Duration.ofSeconds(9), 10_000L, 0L,
                Duration.ofSeconds(3)), T0);
        assertThat(limit.resumeAtNanos()).as("requests remain, tokens do not").isEqualTo(T0 + 3 * SECOND);
    }

    @Test
    void ignoresResetWhileSomethingRemains() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.probing(5));
        limit.onHeaders(new RateLimitHeaders(null, 100L, 3L, Duration.ofSeconds(5), null, null, null), T0);
        assertThat(limit.resumeAtNanos()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void honoursRetryAfterOnA429AndCapsAnAbsurdPause() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.probing(5));
        limit.onRateLimited(T0, new RateLimitHeaders(Duration.ofMillis(1_500), null, null, null, null, null, null),
                T0 + SECOND);
        assertThat(limit.resumeAtNanos()).isEqualTo(T0 + SECOND + 1_500_000_000L);

        limit.onRateLimited(T0, new RateLimitHeaders(Duration.ofDays(3), null, null, null, null, null, null),
                T0 + 2 * SECOND);
        assertThat(limit.resumeAtNanos()).isEqualTo(T0 + 2 * SECOND + Duration.ofMinutes(2).toNanos());
    }

    @Test
    void aLaterPauseNeverShortensAnEarlierOne() {
        AimdRateLimit limit = new AimdRateLimit(AimdRateLimitConfig.probing(5));
        limit.onHeaders(new RateLimitHeaders(null, null, 0L, Duration.ofSeconds(30), null, null, null), T0);
        limit.onHeaders(new RateLimitHeaders(null, null, 0L, Duration.ofSeconds(1), null, null, null), T0 + SECOND);
        assertThat(limit.resumeAtNanos()).isEqualTo(T0 + 30 * SECOND);
    }

    @Test
    void configValidatesEachFieldAndTheirCombination() {
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().initialRate(0))
                .hasMessage("initialRate must be > 0 and finite but was 0.0");
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().initialRate(Double.NaN))
                .hasMessage("initialRate must be > 0 and finite but was NaN");
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().maxRate(-1))
                .hasMessage("maxRate must be > 0 but was -1.0");
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().backoffRatio(1.0))
                .hasMessage("backoffRatio must be in [0.1, 1) but was 1.0");
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().increaseRatioPerMinute(0))
                .hasMessage("increaseRatioPerMinute must be in (0, 10] but was 0.0");
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().slowStartDoubling(Duration.ZERO))
                .hasMessage("slowStartDoubling must be positive but was PT0S");
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().backoffCooldown(Duration.ofSeconds(-1)))
                .hasMessage("backoffCooldown must be in [0, 1 hour] but was PT-1S");
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().maxPause(Duration.ofDays(2)))
                .hasMessage("maxPause must be in [0, 1 day] but was PT48H");
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().build()).hasMessage("initialRate must be set");
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().initialRate(5).maxRate(4).build())
                .hasMessage("initialRate (5.0) must be <= maxRate (4.0)");
        assertThatThrownBy(() -> AimdRateLimitConfig.custom().initialRate(5).minRate(6).build())
                .hasMessage("minRate (6.0) must be <= initialRate (5.0)");
    }

    @Test
    void configToStringShowsEveryField() {
        assertThat(AimdRateLimitConfig.from(AimdRateLimitConfig.toldLimit(2)).build()).hasToString(
                "AimdRateLimitConfig{initialRate=2.0/s, minRate=0.016666666666666666/s, maxRate=2.0/s, "
                        + "backoffRatio=0.7, increaseRatioPerMinute=0.2, slowStartDoubling=PT1M, "
                        + "backoffCooldown=PT5S, maxPause=PT2M}");
    }
}
