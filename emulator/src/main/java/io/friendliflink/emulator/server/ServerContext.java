package io.friendliflink.emulator.server;

import io.friendliflink.emulator.fault.FaultInjector;
import io.friendliflink.emulator.latency.LatencyModel;
import io.friendliflink.emulator.limit.GenerationSlots;
import io.friendliflink.emulator.limit.RateLimiter;
import io.friendliflink.emulator.model.LanguageModel;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one emulator shares: the model, the policies and the counters.
 *
 * @param slots {@code null} when concurrency is unlimited
 */
public record ServerContext(
        LanguageModel model,
        BearerAuth auth,
        RateLimiter limiter,
        boolean retryAfter,
        boolean rateLimitHeaders,
        GenerationSlots slots,
        LatencyModel latency,
        FaultInjector faults,
        Duration slowResponseDelay,
        long seed,
        StatsRecorder stats,
        AtomicLong requestCounter) {

    /**
     * The random source of the next request: derived from the seed and the request's arrival number, so
     * a client that sends requests one at a time sees the same jitter, faults and ids on every run.
     */
    SplittableRandom nextRandom() {
        long n = requestCounter.incrementAndGet();
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + n);
    }
}
