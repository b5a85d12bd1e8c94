package io.friendliflink.emulator.server;

import io.friendliflink.emulator.limit.RateLimitSnapshot;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Writes the {@code X-RateLimit-*} headers of the configured limits.
 *
 * <p>Reset times are durations in the style OpenAI-compatible servers use: {@code 250ms}, {@code 1.5s},
 * {@code 1m0s}.
 */
final class RateLimitHeaderWriter {
    static final AsciiString LIMIT_REQUESTS = AsciiString.cached("x-ratelimit-limit-requests");
    static final AsciiString REMAINING_REQUESTS = AsciiString.cached("x-ratelimit-remaining-requests");
    static final AsciiString RESET_REQUESTS = AsciiString.cached("x-ratelimit-reset-requests");
    static final AsciiString LIMIT_TOKENS = AsciiString.cached("x-ratelimit-limit-tokens");
    static final AsciiString REMAINING_TOKENS = AsciiString.cached("x-ratelimit-remaining-tokens");
    static final AsciiString RESET_TOKENS = AsciiString.cached("x-ratelimit-reset-tokens");

    private RateLimitHeaderWriter() {}

    static void write(RateLimitSnapshot s, HttpHeaders h) {
        if (s.limitRequests() > 0) {
            h.set(LIMIT_REQUESTS, s.limitRequests());
            h.set(REMAINING_REQUESTS, s.remainingRequests());
            h.set(RESET_REQUESTS, duration(s.resetRequestsNanos()));
        }
        if (s.limitTokens() > 0) {
            h.set(LIMIT_TOKENS, s.limitTokens());
            h.set(REMAINING_TOKENS, s.remainingTokens());
            h.set(RESET_TOKENS, duration(s.resetTokensNanos()));
        }
    }

    /** {@code 0s}, {@code 250ms}, {@code 12.5s}, {@code 1m0s}: rounded up to the millisecond. */
    static String duration(long nanos) {
        long ms = (nanos + 999_999) / 1_000_000;
        if (ms == 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        long minutes = ms / 60_000;
        long restMs = ms % 60_000;
        String seconds = restMs % 1000 == 0
                ? Long.toString(restMs / 1000)
                : java.math.BigDecimal.valueOf(restMs, 3).stripTrailingZeros().toPlainString();
        return minutes > 0 ? minutes + "m" + seconds + "s" : seconds + "s";
    }
}
