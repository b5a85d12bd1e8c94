package io.friendliflink.policy;

import io.friendliflink.api.response.MalformedBodyException;
import io.friendliflink.api.sse.TruncatedStreamException;
import io.friendliflink.client.RateLimitHeaders;
import io.friendliflink.client.TransportException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Decides, per failed attempt, whether and when to try a request again; immutable configuration and a pure
 * decision. It is serialisable and is itself what travels into the operator: the one place retry settings are
 * checked and defaulted.
 *
 * <p>Contract: {@code 429} (honouring {@code Retry-After} / {@code retry-after-ms}), {@code 500},
 * {@code 502}, {@code 503}, {@code 504}, {@code 408} and every {@link TransportException} cause are retried;
 * other statuses are not. The wait is the server's {@code Retry-After} when it sent one, otherwise a full
 * jitter backoff: uniform in {@code [0, min(maxBackoff, initialBackoff * multiplier^(attempt-1)))}. No retry
 * is scheduled past {@code maxAttempts} or the request's {@code deadline} (counted from its first attempt).
 * The defaults follow FriendliAI's SDK: 500 ms, x1.5, at most 60 s.
 *
 * <pre>{@code
 * RetryPolicy retry = RetryPolicy.custom().maxAttempts(6).deadline(Duration.ofMinutes(5)).build();
 * RetryDecision d = retry.onResponse(attempt, result.status(), result.rateLimit(), startedAt, now);
 * if (d.retry()) schedule(d.delayNanos()); else fail(d.reason());
 * }</pre>
 */
@PublicEvolving
public final class RetryPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final double DEFAULT_MULTIPLIER = 1.5;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

    private static final DoubleSupplier THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double multiplier;
    private final Duration maxBackoff;
    private final Duration deadline;
    // A jitter source is this JVM's: a policy that travels draws from ThreadLocalRandom where it lands.
    private final transient DoubleSupplier random;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private final long deadlineNanos;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.multiplier = b.multiplier;
        this.maxBackoff = b.maxBackoff;
        this.deadline = b.deadline;
        this.random = b.random;
        this.initialBackoffNanos = initialBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.deadlineNanos = deadline.toNanos();
    }

    /** After deserialisation: the same settings, checked again, with this JVM's jitter source. */
    private Object readResolve() {
        return new Builder().maxAttempts(maxAttempts).initialBackoff(initialBackoff).multiplier(multiplier)
                .maxBackoff(maxBackoff).deadline(deadline).build();
    }

    public static RetryPolicy ofDefaults() {
        return custom().build();
    }

    public static Builder custom() {
        return new Builder();
    }

    public static Builder from(RetryPolicy prototype) {
        Objects.requireNonNull(prototype, "prototype");
        return new Builder().maxAttempts(prototype.maxAttempts).initialBackoff(prototype.initialBackoff)
                .multiplier(prototype.multiplier).maxBackoff(prototype.maxBackoff).deadline(prototype.deadline)
                .random(prototype.random);
    }

    /**
     * After attempt {@code attempt} (1 for the first) was answered with a non-2xx {@code status}.
     *
     * @param startedAtNanos when the request's first attempt started; the deadline counts from it
     */
    public RetryDecision onResponse(int attempt, int status, RateLimitHeaders headers, long startedAtNanos,
            long nowNanos) {
        checkAttempt(attempt);
        if (status >= 200 && status < 300) {
            throw new IllegalArgumentException("status " + status + " is a success, not a failed attempt");
        }
        FailureCategory category = categoryOf(status);
        String what = "status " + status;
        if (!isRetryableStatus(status)) {
            return RetryDecision.giveUp(category, what + " is not retryable");
        }
        Duration retryAfter = headers == null ? null : headers.retryAfter();
        if (retryAfter != null) {
            return scheduled(attempt, category, what, toNanos(retryAfter), "Retry-After", startedAtNanos, nowNanos);
        }
        return scheduled(attempt, category, what, jitteredBackoff(attempt, nextRandom()), "backoff", startedAtNanos,
                nowNanos);
    }

    /** After attempt {@code attempt} (1 for the first) failed with no usable response. */
    public RetryDecision onFailure(int attempt, Throwable failure, long startedAtNanos, long nowNanos) {
        checkAttempt(attempt);
        Objects.requireNonNull(failure, "failure");
        Throwable cause = FutureFailures.unwrap(failure);
        FailureCategory category = categoryOf(cause);
        String what = category == FailureCategory.UNEXPECTED
                ? cause.getClass().getSimpleName()
                : category.counterName() + (cause instanceof TransportException t ? " (" + t.reason() + ")" : "");
        if (category == FailureCategory.UNEXPECTED) {
            return RetryDecision.giveUp(category, what + " is not retryable");
        }
        return scheduled(attempt, category, what, jitteredBackoff(attempt, nextRandom()), "backoff", startedAtNanos,
                nowNanos);
    }

    /** The upper bound of the backoff after attempt {@code attempt}: {@code min(max, initial * m^(attempt-1))}. */
    public long backoffCapNanos(int attempt) {
        checkAttempt(attempt);
        double cap = initialBackoffNanos * Math.pow(multiplier, attempt - 1);
        return cap >= maxBackoffNanos ? maxBackoffNanos : (long) cap;
    }

    /** Full jitter: {@code random} in {@code [0, 1)} scales the cap; a pure function of its arguments. */
    public long backoffNanos(int attempt, double random) {
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random must be in [0, 1) but was " + random);
        }
        return jitteredBackoff(attempt, random);
    }

    /** {@link #backoffNanos} for a value {@link #nextRandom} has already checked. */
    private long jitteredBackoff(int attempt, double random) {
        return (long) (random * backoffCapNanos(attempt));
    }

    private RetryDecision scheduled(int attempt, FailureCategory category, String what, long delayNanos,
            String source, long startedAtNanos, long nowNanos) {
        if (attempt >= maxAttempts) {
            return RetryDecision.giveUp(category, "gave up after " + attempt + " attempts; last: " + what);
        }
        long remaining = deadlineNanos - (nowNanos - startedAtNanos);
        if (delayNanos > remaining) {
            return RetryDecision.giveUp(category, "deadline exceeded after " + attempt + " attempts ("
                    + source + " " + delayNanos / 1_000_000 + " ms > " + Math.max(0, remaining) / 1_000_000
                    + " ms left); last: " + what);
        }
        return RetryDecision.retryAfter(delayNanos, category, what + ": " + source + " " + delayNanos / 1_000_000
                + " ms before attempt " + (attempt + 1) + " of " + maxAttempts);
    }

    private static boolean isRetryableStatus(int status) {
        return status == 429 || status == 408 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    private static FailureCategory categoryOf(int status) {
        if (status == 429) {
            return FailureCategory.RATE_LIMITED;
        }
        if (status == 408) {
            return FailureCategory.TIMEOUT;
        }
        if (status >= 500 && status < 600) {
            return FailureCategory.SERVER_ERROR;
        }
        if (status == 401 || status == 403) {
            return FailureCategory.UNAUTHORIZED;
        }
        if (status >= 400 && status < 500) {
            return FailureCategory.CLIENT_ERROR;
        }
        return FailureCategory.UNEXPECTED;
    }

    private static FailureCategory categoryOf(Throwable cause) {
        if (cause instanceof TransportException t) {
            return switch (t.reason()) {
                case CONNECT, CONNECTION_RESET -> FailureCategory.CONNECTION;
                case TIMEOUT -> FailureCategory.TIMEOUT;
                case TRUNCATED_STREAM -> FailureCategory.TRUNCATED_STREAM;
                case MALFORMED_RESPONSE -> FailureCategory.MALFORMED;
            };
        }
        if (cause instanceof TruncatedStreamException) {
            return FailureCategory.TRUNCATED_STREAM;
        }
        if (cause instanceof MalformedBodyException) {
            return FailureCategory.MALFORMED;
        }
        return FailureCategory.UNEXPECTED;
    }

    private double nextRandom() {
        double r = random.getAsDouble();
        if (!(r >= 0 && r < 1)) {
            throw new IllegalStateException("random source returned " + r + ", expected a value in [0, 1)");
        }
        return r;
    }

    private void checkAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1 but was " + attempt);
        }
    }

    /** Retry-After may be absurdly large or in the past (an HTTP date); saturate instead of overflowing. */
    private static long toNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE : d.toNanos();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public double multiplier() {
        return multiplier;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public Duration deadline() {
        return deadline;
    }

    /** Equal settings; the jitter source is not compared. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && maxAttempts == p.maxAttempts && multiplier == p.multiplier
                && initialBackoff.equals(p.initialBackoff) && maxBackoff.equals(p.maxBackoff)
                && deadline.equals(p.deadline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, initialBackoff, multiplier, maxBackoff, deadline);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", multiplier="
                + multiplier + ", maxBackoff=" + maxBackoff + ", deadline=" + deadline + ", jitter=full}";
    }

    /** Builder; setters check their own value, {@link #build()} the combination. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private double multiplier = DEFAULT_MULTIPLIER;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration deadline = DEFAULT_DEADLINE;
        private DoubleSupplier random = THREAD_LOCAL_RANDOM;

        private Builder() {
        }

        /** Attempts in all, the first included; 1 means never retry. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 1_000) {
                throw new IllegalArgumentException("maxAttempts must be in [1, 1000] but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = positiveAtMostADay("initialBackoff", initialBackoff);
            return this;
        }

        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1 && multiplier <= 10)) {
                throw new IllegalArgumentException("multiplier must be in [1, 10] but was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = positiveAtMostADay("maxBackoff", maxBackoff);
            return this;
        }

        /** The whole request's time budget, from its first attempt. */
        public Builder deadline(Duration deadline) {
            this.deadline = positiveAtMostADay("deadline", deadline);
            return this;
        }

        /** The jitter source, values in {@code [0, 1)}; inject a fixed one in tests. */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public RetryPolicy build() {
            if (initialBackoff.compareTo(maxBackoff) > 0) {
                throw new IllegalStateException("initialBackoff (" + initialBackoff + ") must be <= maxBackoff ("
                        + maxBackoff + ")");
            }
            if (initialBackoff.compareTo(deadline) >= 0) {
                throw new IllegalStateException("initialBackoff (" + initialBackoff + ") must be < deadline ("
                        + deadline + ")");
            }
            return new RetryPolicy(this);
        }

        private static Duration positiveAtMostADay(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException(name + " must be in (0, 1 day] but was " + value);
            }
            return value;
        }
    }
}
