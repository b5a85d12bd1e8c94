package io.friendliflink.client;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads {@link RateLimitHeaders} from a response's headers.
 *
 * <p>Lenient by design: these headers are advisory and their presence is unconfirmed, so a value that
 * does not parse is treated as absent instead of failing a response that is otherwise fine.
 */
final class RateLimitHeaderParser {
    private static final AsciiString RETRY_AFTER = AsciiString.cached("retry-after");
    private static final AsciiString RETRY_AFTER_MS = AsciiString.cached("retry-after-ms");
    private static final AsciiString LIMIT_REQUESTS = AsciiString.cached("x-ratelimit-limit-requests");
    private static final AsciiString REMAINING_REQUESTS = AsciiString.cached("x-ratelimit-remaining-requests");
    private static final AsciiString RESET_REQUESTS = AsciiString.cached("x-ratelimit-reset-requests");
    private static final AsciiString LIMIT_TOKENS = AsciiString.cached("x-ratelimit-limit-tokens");
    private static final AsciiString REMAINING_TOKENS = AsciiString.cached("x-ratelimit-remaining-tokens");
    private static final AsciiString RESET_TOKENS = AsciiString.cached("x-ratelimit-reset-tokens");

    private RateLimitHeaderParser() {}

    /** @param clock the wall clock an HTTP-date {@code Retry-After} is measured against */
    static RateLimitHeaders parse(HttpHeaders headers, Clock clock) {
        String retryAfterMs = headers.get(RETRY_AFTER_MS);
        String retryAfter = headers.get(RETRY_AFTER);
        String limitReq = headers.get(LIMIT_REQUESTS);
        String remainingReq = headers.get(REMAINING_REQUESTS);
        String resetReq = headers.get(RESET_REQUESTS);
        String limitTok = headers.get(LIMIT_TOKENS);
        String remainingTok = headers.get(REMAINING_TOKENS);
        String resetTok = headers.get(RESET_TOKENS);
        if (retryAfterMs == null && retryAfter == null && limitReq == null && remainingReq == null
                && resetReq == null && limitTok == null && remainingTok == null && resetTok == null) {
            return RateLimitHeaders.NONE; // the common case allocates nothing
        }
        // retry-after-ms is the more precise of the two, as in the OpenAI and Friendli SDKs.
        Duration wait = retryAfterMs == null ? null : decimal(retryAfterMs.trim(), 1e6);
        if (wait == null) {
            wait = retryAfter(retryAfter, clock);
        }
        return new RateLimitHeaders(
                wait,
                count(limitReq),
                count(remainingReq),
                duration(resetReq),
                count(limitTok),
                count(remainingTok),
                duration(resetTok));
    }

    /** {@code Retry-After}: delay-seconds, or an HTTP-date (a date in the past means "now"). */
    static Duration retryAfter(String value, Clock clock) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        if (Character.isDigit(v.charAt(0))) {
            return decimal(v, 1e9);
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * A reset time: plain seconds ({@code 6}, {@code 0.5}) or a Go-style duration ({@code 1m30s},
     * {@code 250ms}, {@code 1h2m3.5s}, {@code 20us}, {@code 5ns}).
     */
    static Duration duration(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        long totalNanos = 0;
        int i = 0;
        int n = v.length();
        while (i < n) {
            int numberStart = i;
            while (i < n && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) {
                i++;
            }
            if (i == numberStart) {
                return null;
            }
            double number;
            try {
                number = Double.parseDouble(v.substring(numberStart, i));
            } catch (NumberFormatException e) {
                return null;
            }
            int unitStart = i;
            while (i < n && Character.isLetter(v.charAt(i))) {
                i++;
            }
            String unit = v.substring(unitStart, i);
            if (unit.isEmpty() && (unitStart != n || numberStart != 0)) {
                return null; // a bare number is only allowed alone (seconds)
            }
            long unitNanos = unitNanos(unit);
            if (unitNanos < 0) {
                return null;
            }
            double nanos = number * unitNanos;
            if (nanos > Long.MAX_VALUE - totalNanos) {
                return null;
            }
            totalNanos += (long) nanos;
        }
        return Duration.ofNanos(totalNanos);
    }

    private static long unitNanos(String unit) {
        switch (unit) {
            case "":
            case "s":
                return 1_000_000_000L;
            case "ms":
                return 1_000_000L;
            case "us":
            case "µs":
                return 1_000L;
            case "ns":
                return 1L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            default:
                return -1;
        }
    }

    private static boolean isDecimal(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** A plain decimal number of units ({@code 1.5}), each {@code nanosPerUnit} long; {@code null} if it is not one. */
    private static Duration decimal(String v, double nanosPerUnit) {
        if (!isDecimal(v)) {
            return null;
        }
        try {
            return Duration.ofNanos((long) (Double.parseDouble(v) * nanosPerUnit));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long count(String value) {
        if (value == null) {
            return null;
        }
        try {
            long v = Long.parseLong(value.trim());
            return v < 0 ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
