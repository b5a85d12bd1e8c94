package io.friendliflink.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitHeaderParserTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest
    @CsvSource({
        "6, PT6S",
        "0.5, PT0.5S",
        "6s, PT6S",
        "250ms, PT0.25S",
        "1m30s, PT1M30S",
        "1h2m3.5s, PT1H2M3.5S",
        "20us, PT0.00002S",
        "5ns, PT0.000000005S",
        "2m, PT2M"
    })
    void resetDurationsInSecondsOrGoStyleAreRead(String value, String expected) {
        assertThat(RateLimitHeaderParser.duration(value)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "1x", "m", "1.2.3s", "-5s", "5 s", "1s2"})
    void unreadableDurationsAreAbsent(String value) {
        assertThat(RateLimitHeaderParser.duration(value)).isNull();
    }

    @Test
    void retryAfterReadsSecondsAndHttpDatesAndIgnoresGarbage() {
        assertThat(RateLimitHeaderParser.retryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RateLimitHeaderParser.retryAfter("Wed, 01 Jan 2025 00:01:00 GMT", NOW)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RateLimitHeaderParser.retryAfter("Tue, 31 Dec 2024 23:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(RateLimitHeaderParser.retryAfter("later", NOW)).isNull();
        assertThat(RateLimitHeaderParser.retryAfter("6d", NOW)).isNull();
    }

    @Test
    void noRateLimitHeadersGiveTheSharedEmptyValue() {
        HttpHeaders h = new DefaultHttpHeaders().add("content-type", "application/json");

        assertThat(RateLimitHeaderParser.parse(h, NOW)).isSameAs(RateLimitHeaders.NONE);
    }

    @Test
    void headerNamesAreCaseInsensitiveAndBadNumbersAreAbsent() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("x-ratelimit-limit-requests", "100")
                .add("X-RATELIMIT-REMAINING-REQUESTS", "many")
                .add("X-RateLimit-Remaining-Tokens", "-3");

        RateLimitHeaders r = RateLimitHeaderParser.parse(h, NOW);

        assertThat(r).isEqualTo(new RateLimitHeaders(null, 100L, null, null, null, null, null));
    }
}
