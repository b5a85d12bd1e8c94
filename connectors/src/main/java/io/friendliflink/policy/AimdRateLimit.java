package io.friendliflink.policy;

import io.friendliflink.client.RateLimitHeaders;
import java.time.Duration;
import java.util.Objects;

/**
 * Additive-increase, multiplicative-decrease rate limit: backs off on {@code 429}, probes upwards while
 * the rate is in use, and pauses when the endpoint's headers say its quota is spent.
 *
 * <p>Contract:
 * <ul>
 *   <li>A {@code 429} multiplies the rate by {@code backoffRatio} (not below {@code minRate}) — once per
 *       congestion: a {@code 429} for a request sent before the last decrease (or within
 *       {@code backoffCooldown} after it, while a windowed quota drains) is not counted again. When the
 *       successes of the last minute, per second, are below that cut, the rate goes down to them instead,
 *       but by at most {@code backoffRatio} squared. When they are at least 95% of a told {@code maxRate},
 *       the told limit has held and the {@code 429} only pauses (its {@code Retry-After}), without a cut.
 *   <li>Until the first {@code 429} (slow start) a used rate doubles every {@code slowStartDoubling};
 *       afterwards it grows by {@code increaseRatioPerMinute} of the rate the last {@code 429} came at, per
 *       minute of use. Growth is counted per successful sample, so a rate nobody uses never grows, and it
 *       never exceeds {@code maxRate}.
 *   <li>{@code Retry-After} on a {@code 429}, and {@code X-RateLimit-Remaining-*: 0} with its
 *       {@code Reset-*} on any response, pause all permits until then (at most {@code maxPause}).
 * </ul>
 *
 * <p>Not thread-safe: the {@link AdaptiveRateLimiter} that owns it serializes calls.
 */
public final class AimdRateLimit implements RateLimit {
    /** The share of a told rate that, accepted over the last minute, shows the told limit holds. */
    private static final double TOLD_RATE_HELD = 0.95;

    private final AimdRateLimitConfig config;
    private final double slowStartStep;
    private final long maxPauseNanos;
    private final long cooldownNanos;

    private double rate;
    /** Until the first decrease; {@link #lastDecreaseNanos} means something only once this is false. */
    private boolean slowStart = true;
    /** Permits per second gained per second of use, after the first decrease. */
    private double increasePerSecond;
    private long lastDecreaseNanos;
    private long resumeAtNanos = Long.MIN_VALUE;
    private final AcceptedCount accepted = new AcceptedCount();

    public AimdRateLimit(AimdRateLimitConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.rate = config.initialRate();
        // A used rate r gets about r samples per second; this step per sample doubles it every period.
        this.slowStartStep = Math.log(2) / seconds(config.slowStartDoubling());
        this.maxPauseNanos = config.maxPause().toNanos();
        this.cooldownNanos = config.backoffCooldown().toNanos();
    }

    @Override
    public double permitsPerSecond() {
        return rate;
    }

    @Override
    public long resumeAtNanos() {
        return resumeAtNanos;
    }

    @Override
    public void onSuccess(long sentAtNanos, boolean utilized, RateLimitHeaders headers, long nowNanos) {
        onHeaders(headers, nowNanos);
        accepted.add(nowNanos);
        if (!utilized || sentBeforeLastDecrease(sentAtNanos)) {
            return;
        }
        double grown = slowStart ? rate + slowStartStep : rate + increasePerSecond / rate;
        rate = Math.min(grown, config.maxRate());
    }

    @Override
    public void onRateLimited(long sentAtNanos, RateLimitHeaders headers, long nowNanos) {
        onHeaders(headers, nowNanos);
        if (headers != null && headers.retryAfter() != null) {
            pauseFor(headers.retryAfter(), nowNanos);
        }
        if (!slowStart && sentAtNanos - (lastDecreaseNanos + cooldownNanos) < 0) {
            return;
        }
        double acceptedPerSecond = accepted.perSecond(nowNanos);
        if (acceptedPerSecond >= TOLD_RATE_HELD * config.maxRate()) {
            // The endpoint has been accepting the told rate for a minute: the limit is right, and this 429 came
            // from sends bunched at a window's edge (timers late on a busy machine). Cutting would cost 30%
            // for minutes; the pause above is enough.
            return;
        }
        increasePerSecond = config.increaseRatioPerMinute() * rate / 60;
        double cut = rate * config.backoffRatio();
        // A quota per minute admits, once spent, what expires from it: no more than it accepted over its last
        // minute. When that is below the usual cut, one cut goes there instead of several, 5 s apart, each
        // met with more 429s; never deeper than two usual cuts, in case the 429 was no quota's.
        if (acceptedPerSecond > 0 && acceptedPerSecond < cut) {
            cut = Math.max(acceptedPerSecond, cut * config.backoffRatio());
        }
        rate = Math.max(config.minRate(), cut);
        slowStart = false;
        lastDecreaseNanos = nowNanos;
    }

    @Override
    public void onHeaders(RateLimitHeaders headers, long nowNanos) {
        if (headers == null) {
            return;
        }
        if (isZero(headers.remainingRequests()) && headers.resetRequests() != null) {
            pauseFor(headers.resetRequests(), nowNanos);
        }
        if (isZero(headers.remainingTokens()) && headers.resetTokens() != null) {
            pauseFor(headers.resetTokens(), nowNanos);
        }
    }

    private boolean sentBeforeLastDecrease(long sentAtNanos) {
        return !slowStart && sentAtNanos - lastDecreaseNanos < 0;
    }

    private void pauseFor(Duration pause, long nowNanos) {
        long nanos = pause.isNegative() ? 0 : pause.compareTo(config.maxPause()) > 0 ? maxPauseNanos : pause.toNanos();
        long until = nowNanos + nanos;
        if (resumeAtNanos == Long.MIN_VALUE || until - resumeAtNanos > 0) {
            resumeAtNanos = until;
        }
    }

    private static boolean isZero(Long value) {
        return value != null && value == 0;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    @Override
    public String toString() {
        return "AimdRateLimit{rate=" + rate + "/s, slowStart=" + slowStart + ", " + config + '}';
    }

    /** Successes over the last minute, in one-second buckets. */
    private static final class AcceptedCount {
        private static final int SECONDS = 60;
        private static final long SECOND = 1_000_000_000L;
        private final long[] counts = new long[SECONDS];
        private long latestSecond = Long.MIN_VALUE;

        void add(long nowNanos) {
            advance(nowNanos);
            counts[(int) Math.floorMod(latestSecond, SECONDS)]++;
        }

        double perSecond(long nowNanos) {
            advance(nowNanos);
            long sum = 0;
            for (long c : counts) {
                sum += c;
            }
            return sum / (double) SECONDS;
        }

        private void advance(long nowNanos) {
            long second = Math.floorDiv(nowNanos, SECOND);
            if (latestSecond == Long.MIN_VALUE) {
                latestSecond = second;
                return;
            }
            for (long s = latestSecond + 1; s <= second && s <= latestSecond + SECONDS; s++) {
                counts[(int) Math.floorMod(s, SECONDS)] = 0;
            }
            latestSecond = Math.max(latestSecond, second);
        }
    }
}
