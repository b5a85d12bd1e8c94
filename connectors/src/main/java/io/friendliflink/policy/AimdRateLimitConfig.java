package io.friendliflink.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration of an {@link AimdRateLimit}; rates are in permits per second.
 *
 * <p>Two modes: {@link #probing} for an endpoint whose limit is unknown (start low, double while there is
 * no {@code 429}, then additive increase), and {@link #toldLimit} for a known limit (start at it, never
 * exceed it, back off and recover below it).
 *
 * <pre>{@code
 * AimdRateLimitConfig told = AimdRateLimitConfig.toldLimit(10_000 / 60.0);   // 10,000 RPM
 * AimdRateLimitConfig probe = AimdRateLimitConfig.custom().initialRate(1).backoffRatio(0.5).build();
 * }</pre>
 */
public final class AimdRateLimitConfig {

    public static final double DEFAULT_BACKOFF_RATIO = 0.7;
    public static final double DEFAULT_INCREASE_RATIO_PER_MINUTE = 0.2;
    public static final Duration DEFAULT_SLOW_START_DOUBLING = Duration.ofSeconds(60);
    public static final Duration DEFAULT_BACKOFF_COOLDOWN = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_PAUSE = Duration.ofMinutes(2);

    private final double initialRate;
    private final double minRate;
    private final double maxRate;
    private final double backoffRatio;
    private final double increaseRatioPerMinute;
    private final Duration slowStartDoubling;
    private final Duration backoffCooldown;
    private final Duration maxPause;

    private AimdRateLimitConfig(Builder b) {
        this.initialRate = b.initialRate;
        this.minRate = Double.isNaN(b.minRate) ? Math.min(b.initialRate, 1.0 / 60) : b.minRate;
        this.maxRate = b.maxRate;
        this.backoffRatio = b.backoffRatio;
        this.increaseRatioPerMinute = b.increaseRatioPerMinute;
        this.slowStartDoubling = b.slowStartDoubling;
        this.backoffCooldown = b.backoffCooldown;
        this.maxPause = b.maxPause;
    }

    /** Told nothing: start at {@code initialRate} and probe upwards without bound. */
    public static AimdRateLimitConfig probing(double initialRate) {
        return custom().initialRate(initialRate).build();
    }

    /** Told the limit: start at it and never exceed it. */
    public static AimdRateLimitConfig toldLimit(double rate) {
        return custom().initialRate(rate).maxRate(rate).build();
    }

    public static Builder custom() {
        return new Builder();
    }

    public static Builder from(AimdRateLimitConfig prototype) {
        Objects.requireNonNull(prototype, "prototype");
        return new Builder().initialRate(prototype.initialRate).minRate(prototype.minRate)
                .maxRate(prototype.maxRate).backoffRatio(prototype.backoffRatio)
                .increaseRatioPerMinute(prototype.increaseRatioPerMinute)
                .slowStartDoubling(prototype.slowStartDoubling).backoffCooldown(prototype.backoffCooldown)
                .maxPause(prototype.maxPause);
    }

    public double initialRate() {
        return initialRate;
    }

    public double minRate() {
        return minRate;
    }

    /** {@link Double#POSITIVE_INFINITY} when the limit is unknown. */
    public double maxRate() {
        return maxRate;
    }

    public double backoffRatio() {
        return backoffRatio;
    }

    /** Additive increase per minute of use, as a share of the rate at which the last {@code 429} came. */
    public double increaseRatioPerMinute() {
        return increaseRatioPerMinute;
    }

    /** Before the first {@code 429}, a rate in use doubles this often. */
    public Duration slowStartDoubling() {
        return slowStartDoubling;
    }

    /**
     * After a decrease, a {@code 429} for a request sent within this time does not decrease again: an endpoint
     * that counts over a window keeps refusing for a moment after the caller slowed down.
     */
    public Duration backoffCooldown() {
        return backoffCooldown;
    }

    /** The longest pause a header may impose, against a wrong or hostile reset value. */
    public Duration maxPause() {
        return maxPause;
    }

    @Override
    public String toString() {
        return "AimdRateLimitConfig{initialRate=" + initialRate + "/s, minRate=" + minRate + "/s, maxRate="
                + maxRate + "/s, backoffRatio=" + backoffRatio + ", increaseRatioPerMinute="
                + increaseRatioPerMinute + ", slowStartDoubling=" + slowStartDoubling + ", backoffCooldown=" + backoffCooldown
                + ", maxPause=" + maxPause
                + '}';
    }

    /** Builder; setters check their own value, {@link #build()} the combination. */
    public static final class Builder {
        private double initialRate = Double.NaN;
        private double minRate = Double.NaN;
        private double maxRate = Double.POSITIVE_INFINITY;
        private double backoffRatio = DEFAULT_BACKOFF_RATIO;
        private double increaseRatioPerMinute = DEFAULT_INCREASE_RATIO_PER_MINUTE;
        private Duration slowStartDoubling = DEFAULT_SLOW_START_DOUBLING;
        private Duration backoffCooldown = DEFAULT_BACKOFF_COOLDOWN;
        private Duration maxPause = DEFAULT_MAX_PAUSE;

        private Builder() {
        }

        public Builder initialRate(double permitsPerSecond) {
            this.initialRate = positiveFinite("initialRate", permitsPerSecond);
            return this;
        }

        /** Defaults to one permit per minute, or the initial rate if that is lower. */
        public Builder minRate(double permitsPerSecond) {
            this.minRate = positiveFinite("minRate", permitsPerSecond);
            return this;
        }

        /** {@link Double#POSITIVE_INFINITY} (the default) when the limit is unknown. */
        public Builder maxRate(double permitsPerSecond) {
            if (!(permitsPerSecond > 0)) {
                throw new IllegalArgumentException("maxRate must be > 0 but was " + permitsPerSecond);
            }
            this.maxRate = permitsPerSecond;
            return this;
        }

        public Builder backoffRatio(double ratio) {
            if (!(ratio >= 0.1 && ratio < 1)) {
                throw new IllegalArgumentException("backoffRatio must be in [0.1, 1) but was " + ratio);
            }
            this.backoffRatio = ratio;
            return this;
        }

        public Builder increaseRatioPerMinute(double ratio) {
            if (!(ratio > 0 && ratio <= 10)) {
                throw new IllegalArgumentException("increaseRatioPerMinute must be in (0, 10] but was " + ratio);
            }
            this.increaseRatioPerMinute = ratio;
            return this;
        }

        public Builder slowStartDoubling(Duration period) {
            Objects.requireNonNull(period, "slowStartDoubling");
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("slowStartDoubling must be positive but was " + period);
            }
            this.slowStartDoubling = period;
            return this;
        }

        public Builder backoffCooldown(Duration cooldown) {
            Objects.requireNonNull(cooldown, "backoffCooldown");
            if (cooldown.isNegative() || cooldown.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("backoffCooldown must be in [0, 1 hour] but was " + cooldown);
            }
            this.backoffCooldown = cooldown;
            return this;
        }

        public Builder maxPause(Duration maxPause) {
            Objects.requireNonNull(maxPause, "maxPause");
            if (maxPause.isNegative() || maxPause.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("maxPause must be in [0, 1 day] but was " + maxPause);
            }
            this.maxPause = maxPause;
            return this;
        }

        public AimdRateLimitConfig build() {
            if (Double.isNaN(initialRate)) {
                throw new IllegalStateException("initialRate must be set");
            }
            if (initialRate > maxRate) {
                throw new IllegalStateException("initialRate (" + initialRate + ") must be <= maxRate (" + maxRate
                        + ")");
            }
            if (!Double.isNaN(minRate) && minRate > initialRate) {
                throw new IllegalStateException("minRate (" + minRate + ") must be <= initialRate (" + initialRate
                        + ")");
            }
            return new AimdRateLimitConfig(this);
        }

        private static double positiveFinite(String name, double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(name + " must be > 0 and finite but was " + value);
            }
            return value;
        }
    }
}
