package io.friendliflink.emulator.limit;

/**
 * The limiter's state as the {@code X-RateLimit-*} headers report it; a limit of {@code 0} is not configured.
 *
 * @param resetRequestsNanos time until the oldest counted request leaves the window
 * @param resetTokensNanos time until the oldest counted tokens leave the window
 */
public record RateLimitSnapshot(
        long limitRequests,
        long remainingRequests,
        long resetRequestsNanos,
        long limitTokens,
        long remainingTokens,
        long resetTokensNanos) {}
