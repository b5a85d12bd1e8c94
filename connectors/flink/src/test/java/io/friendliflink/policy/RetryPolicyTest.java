package io.friendliflink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.api.sse.TruncatedStreamException;
import io.friendliflink.client.RateLimitHeaders;
import io.friendliflink.client.TransportException;
import io.friendliflink.client.TransportException.Cause;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final long START = 900 * SECOND;
    private static final RateLimitHeaders NONE = RateLimitHeaders.NONE;

    /** Jitter fixed at half the cap, so delays are exact. */
    private static final RetryPolicy HALF = RetryPolicy.custom().random(() -> 0.5).build();

    private static RateLimitHeaders retryAfter(Duration d) {
        return new RateLimitHeaders(d, null, null, null, null, null, null);
    }

    @Test
    void retriesTransientServerErrorsWithBackoff() {
        for (int status : new int[] {500, 502, 503, 504}) {
            RetryDecision d = HALF.onResponse(1, status, NONE, START, START + SECOND);
            assertThat(d.retry()).as("status %d", status).isTrue();
            assertThat(d.delayNanos()).isEqualTo(250 * MS);
            assertThat(d.category()).isEqualTo(FailureCategory.SERVER_ERROR);
            assertThat(d.reason()).isEqualTo("status " + status + ": backoff 250 ms before attempt 2 of 8");
        }
    }

    @Test
    void retries429And408() {
        RetryDecision rateLimited = HALF.onResponse(1, 429, NONE, START, START);
        assertThat(rateLimited.retry()).isTrue();
        assertThat(rateLimited.category().counterName()).isEqualTo("rate_limited");
        RetryDecision timeout = HALF.onResponse(1, 408, NONE, START, START);
        assertThat(timeout.retry()).isTrue();
        assertThat(timeout.category().counterName()).isEqualTo("timeout");
    }

    @Test
    void doesNotRetryClientErrors() {
        for (int status : new int[] {400, 404, 409, 413, 422}) {
            RetryDecision d = HALF.onResponse(1, status, NONE, START, START);
            assertThat(d.retry()).as("status %d", status).isFalse();
            assertThat(d.category()).isEqualTo(FailureCategory.CLIENT_ERROR);
            assertThat(d.reason()).isEqualTo("status " + status + " is not retryable");
        }
    }

    @Test
    void refusedCredentialsAreNotRetriedAndHaveTheirOwnCategory() {
        for (int status : new int[] {401, 403}) {
            RetryDecision d = HALF.onResponse(1, status, NONE, START, START);
            assertThat(d.retry()).as("status %d", status).isFalse();
            assertThat(d.category()).isEqualTo(FailureCategory.UNAUTHORIZED);
        }
    }

    @Test
    void doesNotRetryOtherServerErrorsOrUnexpectedStatuses() {
        RetryDecision notImplemented = HALF.onResponse(1, 501, NONE, START, START);
        assertThat(notImplemented.retry()).isFalse();
        assertThat(notImplemented.category()).isEqualTo(FailureCategory.SERVER_ERROR);
        RetryDecision redirect = HALF.onResponse(1, 302, NONE, START, START);
        assertThat(redirect.retry()).isFalse();
        assertThat(redirect.category().counterName()).isEqualTo("unexpected");
    }

    @Test
    void rejectsASuccessAsAFailedAttempt() {
        assertThatThrownBy(() -> HALF.onResponse(1, 200, NONE, START, START))
                .hasMessage("status 200 is a success, not a failed attempt");
    }

    @Test
    void retriesEveryTransportCauseInItsCategory() {
        Object[][] cases = {
            {Cause.CONNECT, "connection"}, {Cause.CONNECTION_RESET, "connection"}, {Cause.TIMEOUT, "timeout"},
            {Cause.TRUNCATED_STREAM, "truncated_stream"}, {Cause.MALFORMED_RESPONSE, "malformed"}};
        for (Object[] c : cases) {
            Cause cause = (Cause) c[0];
            RetryDecision d = HALF.onFailure(2, new TransportException(cause, "boom"), START, START + SECOND);
            assertThat(d.retry()).as("%s", cause).isTrue();
            assertThat(d.delayNanos()).isEqualTo(375 * MS);
            assertThat(d.category().counterName()).isEqualTo(c[1]);
            assertThat(d.reason()).isEqualTo(c[1] + " (" + cause + "): backoff 375 ms before attempt 3 of 8");
        }
    }

    @Test
    void looksThroughFutureWrappersAndKnowsTheParsersExceptions() {
        RetryDecision wrapped = HALF.onFailure(1,
                new CompletionException(new TransportException(Cause.CONNECTION_RESET, "reset")), START, START);
        assertThat(wrapped.retry()).isTrue();
        assertThat(wrapped.category()).isEqualTo(FailureCategory.CONNECTION);
        RetryDecision truncated = HALF.onFailure(1, new TruncatedStreamException("cut"), START, START);
        assertThat(truncated.category()).isEqualTo(FailureCategory.TRUNCATED_STREAM);
    }

    @Test
    void doesNotRetryAnUnexpectedException() {
        RetryDecision d = HALF.onFailure(1, new IllegalStateException("bug"), START, START);
        assertThat(d.retry()).isFalse();
        assertThat(d.category()).isEqualTo(FailureCategory.UNEXPECTED);
        assertThat(d.reason()).isEqualTo("IllegalStateException is not retryable");
    }

    @Test
    void honoursRetryAfterInSecondsAndInMilliseconds() {
        RetryDecision seconds = HALF.onResponse(1, 429, retryAfter(Duration.ofSeconds(7)), START, START);
        assertThat(seconds.delayNanos()).isEqualTo(7 * SECOND);
        assertThat(seconds.reason()).isEqualTo("status 429: Retry-After 7000 ms before attempt 2 of 8");

        RetryDecision millis = HALF.onResponse(3, 503, retryAfter(Duration.ofMillis(1_250)), START, START);
        assertThat(millis.delayNanos()).isEqualTo(1_250 * MS);

        RetryDecision past = HALF.onResponse(1, 429, retryAfter(Duration.ofSeconds(-3)), START, START);
        assertThat(past.delayNanos()).as("an HTTP date in the past means now").isZero();
    }

    @Test
    void doesNotWaitPastTheDeadlineForARetryAfter() {
        RetryPolicy policy = RetryPolicy.from(HALF).deadline(Duration.ofSeconds(30)).build();
        RetryDecision d = policy.onResponse(1, 429, retryAfter(Duration.ofSeconds(25)), START, START + 10 * SECOND);
        assertThat(d.retry()).isFalse();
        assertThat(d.category()).isEqualTo(FailureCategory.RATE_LIMITED);
        assertThat(d.reason()).isEqualTo(
                "deadline exceeded after 1 attempts (Retry-After 25000 ms > 20000 ms left); last: status 429");

        RetryDecision absurd = policy.onResponse(1, 429, retryAfter(Duration.ofDays(10_000)), START, START);
        assertThat(absurd.retry()).isFalse();
    }

    @Test
    void neverSchedulesABackoffPastTheDeadline() {
        RetryPolicy policy = RetryPolicy.custom().random(() -> 0.99).deadline(Duration.ofSeconds(10)).build();
        RetryDecision within = policy.onResponse(2, 503, NONE, START, START + 9 * SECOND);
        assertThat(within.retry()).isTrue();
        RetryDecision beyond = policy.onResponse(3, 503, NONE, START, START + 9_500 * MS);
        assertThat(beyond.retry()).isFalse();
        assertThat(beyond.reason()).startsWith("deadline exceeded after 3 attempts").endsWith("last: status 503");
        RetryDecision late = policy.onFailure(1, new TransportException(Cause.TIMEOUT, "t"), START, START + 11 * SECOND);
        assertThat(late.retry()).isFalse();
        assertThat(late.reason()).isEqualTo(
                "deadline exceeded after 1 attempts (backoff 495 ms > 0 ms left); last: timeout (TIMEOUT)");
    }

    @Test
    void givesUpAfterMaxAttempts() {
        RetryPolicy policy = RetryPolicy.from(HALF).maxAttempts(3).build();
        assertThat(policy.onResponse(2, 503, NONE, START, START).retry()).isTrue();
        RetryDecision d = policy.onResponse(3, 503, NONE, START, START);
        assertThat(d.retry()).isFalse();
        assertThat(d.reason()).isEqualTo("gave up after 3 attempts; last: status 503");
        assertThat(RetryPolicy.from(HALF).maxAttempts(1).build().onResponse(1, 500, NONE, START, START).retry())
                .as("one attempt means never retry").isFalse();
    }

    @Test
    void backoffCapGrowsExponentiallyUpToTheMaximum() {
        RetryPolicy policy = RetryPolicy.custom().initialBackoff(Duration.ofMillis(500)).multiplier(2)
                .maxBackoff(Duration.ofSeconds(60)).build();
        assertThat(policy.backoffCapNanos(1)).isEqualTo(500 * MS);
        assertThat(policy.backoffCapNanos(2)).isEqualTo(1_000 * MS);
        assertThat(policy.backoffCapNanos(4)).isEqualTo(4_000 * MS);
        assertThat(policy.backoffCapNanos(8)).isEqualTo(60 * SECOND);
        assertThat(policy.backoffCapNanos(1_000)).isEqualTo(60 * SECOND);
    }

    @Test
    void fullJitterSpansZeroToTheCap() {
        RetryPolicy policy = RetryPolicy.ofDefaults();
        assertThat(policy.backoffNanos(3, 0.0)).isZero();
        assertThat(policy.backoffNanos(3, Math.nextDown(1.0))).isEqualTo(policy.backoffCapNanos(3) - 1);
        SplittableRandom random = new SplittableRandom(3);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long delay = policy.backoffNanos(5, random.nextDouble());
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        long cap = policy.backoffCapNanos(5); // 500 ms * 1.5^4 = 2531.25 ms
        assertThat(cap).isEqualTo(2_531_250_000L);
        assertThat(min).isBetween(0L, cap / 100);
        assertThat(max).isBetween(cap * 99 / 100, cap - 1);
        assertThatThrownBy(() -> policy.backoffNanos(1, 1.0)).hasMessage("random must be in [0, 1) but was 1.0");
    }

    @Test
    void decisionsDrawJitterFromTheInjectedSource() {
        double[] values = {0.0, 0.2, 0.9};
        int[] next = {0};
        RetryPolicy policy = RetryPolicy.custom().random(() -> values[next[0]++]).build();
        assertThat(policy.onResponse(1, 500, NONE, START, START).delayNanos()).isZero();
        assertThat(policy.onResponse(2, 500, NONE, START, START).delayNanos()).isEqualTo(150 * MS);
        assertThat(policy.onResponse(3, 500, NONE, START, START).delayNanos()).isEqualTo(1_012_500_000L);

        RetryPolicy broken = RetryPolicy.custom().random(() -> 2.0).build();
        assertThatThrownBy(() -> broken.onResponse(1, 500, NONE, START, START))
                .hasMessage("random source returned 2.0, expected a value in [0, 1)");
    }

    @Test
    void configValidatesEachFieldAndTheirCombination() {
        assertThatThrownBy(() -> RetryPolicy.custom().maxAttempts(0))
                .hasMessage("maxAttempts must be in [1, 1000] but was 0");
        assertThatThrownBy(() -> RetryPolicy.custom().initialBackoff(Duration.ZERO))
                .hasMessage("initialBackoff must be in (0, 1 day] but was PT0S");
        assertThatThrownBy(() -> RetryPolicy.custom().multiplier(0.9))
                .hasMessage("multiplier must be in [1, 10] but was 0.9");
        assertThatThrownBy(() -> RetryPolicy.custom().maxBackoff(Duration.ofSeconds(-1)))
                .hasMessage("maxBackoff must be in (0, 1 day] but was PT-1S");
        assertThatThrownBy(() -> RetryPolicy.custom().deadline(Duration.ofDays(2)))
                .hasMessage("deadline must be in (0, 1 day] but was PT48H");
        assertThatThrownBy(() -> RetryPolicy.custom().random(null)).hasMessage("random");
        assertThatThrownBy(() -> RetryPolicy.custom().initialBackoff(Duration.ofSeconds(2))
                .maxBackoff(Duration.ofSeconds(1)).build())
                .hasMessage("initialBackoff (PT2S) must be <= maxBackoff (PT1S)");
        assertThatThrownBy(() -> RetryPolicy.custom().deadline(Duration.ofMillis(500)).build())
                .hasMessage("initialBackoff (PT0.5S) must be < deadline (PT0.5S)");
        assertThatThrownBy(() -> HALF.onResponse(0, 500, NONE, START, START))
                .hasMessage("attempt must be >= 1 but was 0");
    }

    @Test
    void toStringShowsTheConfiguration() {
        assertThat(RetryPolicy.ofDefaults()).hasToString("RetryPolicy{maxAttempts=8, initialBackoff=PT0.5S, "
                + "multiplier=1.5, maxBackoff=PT1M, deadline=PT10M, jitter=full}");
    }

    @Test
    void travelsIntoAnOperatorWithItsSettingsAndAJitterSourceThere() throws Exception {
        RetryPolicy told = RetryPolicy.custom().maxAttempts(3).initialBackoff(Duration.ofMillis(5))
                .deadline(Duration.ofSeconds(2)).random(() -> 0.5).build();

        RetryPolicy landed = InstantiationUtil.clone(told);

        assertThat(landed).isEqualTo(told).hasToString(told.toString());
        assertThat(landed.onResponse(1, 503, NONE, START, START).retry()).isTrue();
    }

    @Test
    void aDecisionToGiveUpCarriesNoDelay() {
        assertThatThrownBy(() -> new RetryDecision(false, 5, "x", FailureCategory.TIMEOUT))
                .hasMessage("a decision to give up has no delay but had 5");
    }
}
