package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.client.RateLimitHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 500 * SECOND;

    private static AdaptiveRateLimiter limiter(AimdRateLimitConfig config, int burst) {
        return new AdaptiveRateLimiter(new AimdRateLimit(config), burst);
    }

    @Test
    void spacesPermitsAtTheRateAndServesCallersInOrder() {
        AdaptiveRateLimiter limiter = limiter(AimdRateLimitConfig.toldLimit(4), 1);
        assertThat(limiter.reserve(T0)).isZero();
        assertThat(limiter.reserve(T0)).isEqualTo(250_000_000L);
        assertThat(limiter.reserve(T0)).isEqualTo(500_000_000L);
        assertThat(limiter.reserve(T0 + 100_000_000L)).isEqualTo(650_000_000L);
    }

    @Test
    void tellsTheWaitOfTheNextReservationWithoutReserving() {
        AdaptiveRateLimiter limiter = limiter(AimdRateLimitConfig.toldLimit(4), 1);
        assertThat(limiter.nanosUntilAvailable(T0)).isZero();
        limiter.reserve(T0);
        assertThat(limiter.nanosUntilAvailable(T0)).isEqualTo(250_000_000L);
        assertThat(limiter.nanosUntilAvailable(T0)).isEqualTo(250_000_000L);
        assertThat(limiter.reserve(T0)).isEqualTo(250_000_000L);
        assertThat(limiter.nanosUntilAvailable(T0 + 600_000_000L)).isZero();
    }

    @Test
    void grantsABurstAtOnceThenPaces() {
        AdaptiveRateLimiter limiter = limiter(AimdRateLimitConfig.toldLimit(10), 3);
        assertThat(limiter.reserve(T0)).isZero();
        assertThat(limiter.reserve(T0)).isZero();
        assertThat(limiter.reserve(T0)).isZero();
        assertThat(limiter.reserve(T0)).isEqualTo(100_000_000L);
    }

    @Test
    void aRateLimitedResponseSlowsLaterReservations() {
        AdaptiveRateLimiter limiter = limiter(AimdRateLimitConfig.toldLimit(10), 1);
        limiter.reserve(T0);
        limiter.onResponse(429, T0, RateLimitHeaders.NONE, T0 + SECOND);
        long first = limiter.reserve(T0 + SECOND);
        long second = limiter.reserve(T0 + SECOND);
        assertThat(second - first).isEqualTo((long) Math.ceil(1e9 / 7));
    }

    @Test
    void followsRemainingZeroAndResetByPausingEveryone() {
        AdaptiveRateLimiter limiter = limiter(AimdRateLimitConfig.toldLimit(100), 1);
        limiter.reserve(T0);
        limiter.onResponse(200, T0, new RateLimitHeaders(null, 600L, 0L, Duration.ofSeconds(5), null, null, null),
                T0 + SECOND);

        assertThat(limiter.reserve(T0 + SECOND)).isEqualTo(5 * SECOND);
        assertThat(limiter.reserve(T0 + SECOND)).as("later callers queue behind the pause")
                .isEqualTo(5 * SECOND + 10_000_000L);
    }

    @Test
    void honoursRetryAfterOfA429() {
        AdaptiveRateLimiter limiter = limiter(AimdRateLimitConfig.probing(100), 1);
        limiter.reserve(T0);
        limiter.onResponse(429, T0, new RateLimitHeaders(Duration.ofSeconds(2), null, null, null, null, null, null),
                T0 + SECOND);
        assertThat(limiter.reserve(T0 + SECOND)).isEqualTo(2 * SECOND);
    }

    @Test
    void aGreedyCallerGrowsTheRateButAnIdleOneDoesNot() {
        AdaptiveRateLimiter greedy = limiter(AimdRateLimitConfig.probing(10), 1);
        AdaptiveRateLimiter idle = limiter(AimdRateLimitConfig.probing(10), 1);
        long t = T0;
        for (int i = 0; i < 300; i++) {
            long sendAt = t + greedy.reserve(t);
            greedy.onResponse(200, sendAt, RateLimitHeaders.NONE, sendAt + 50_000_000L);
            t = sendAt;
        }
        // The idle caller sends once every 2 s though it may send ten times a second.
        for (int i = 0; i < 300; i++) {
            long now = T0 + i * 2 * SECOND;
            long sendAt = now + idle.reserve(now);
            idle.onResponse(200, sendAt, RateLimitHeaders.NONE, sendAt + 50_000_000L);
        }
        assertThat(greedy.permitsPerSecond()).isGreaterThan(12.0);
        assertThat(idle.permitsPerSecond()).isEqualTo(10.0);
    }

    @Test
    void otherFailuresNeitherGrowNorShrinkTheRate() {
        AdaptiveRateLimiter limiter = limiter(AimdRateLimitConfig.probing(10), 1);
        long sendAt = T0 + limiter.reserve(T0);
        limiter.onResponse(503, sendAt, RateLimitHeaders.NONE, sendAt);
        limiter.onResponse(422, sendAt, RateLimitHeaders.NONE, sendAt);
        assertThat(limiter.permitsPerSecond()).isEqualTo(10.0);
    }

    @Test
    void rejectsAnEmptyBurst() {
        assertThatThrownBy(() -> limiter(AimdRateLimitConfig.probing(1), 0))
                .hasMessage("burst must be >= 1 but was 0");
    }
}
