package io.friendliflink.emulator.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks {@code Authorization: Bearer <token>}: any non-empty token, or exactly the configured one.
 *
 * <p>Compares in constant time and never reveals the expected token, in messages or {@link #toString()}.
 */
public final class BearerAuth {
    private static final String PREFIX = "Bearer ";
    private final byte[] expected;

    /** @param expectedToken the required token, or {@code null} to accept any */
    public BearerAuth(String expectedToken) {
        this.expected = expectedToken == null ? null : expectedToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Why the header is refused, or {@code null} when it passes. */
    String refusal(String authorization) {
        if (authorization == null) {
            return "Missing Authorization header: send 'Authorization: Bearer <token>'";
        }
        if (!authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || authorization.length() == PREFIX.length()
                || authorization.substring(PREFIX.length()).isBlank()) {
            return "Authorization header must be 'Bearer <token>'";
        }
        if (expected != null) {
            byte[] given = authorization.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(expected, given)) {
                return "Invalid token";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return expected == null ? "BearerAuth{any token}" : "BearerAuth{token required (redacted)}";
    }
}
