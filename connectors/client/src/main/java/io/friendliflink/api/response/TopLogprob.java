package io.friendliflink.api.response;

import java.util.List;

/**
 * One alternative at a position of a {@link TokenLogprob}.
 *
 * @param bytes UTF-8 bytes of the token as the chat shape reports them, or {@code null}
 */
public record TopLogprob(String token, double logprob, List<Integer> bytes) {
    public TopLogprob {
        bytes = bytes == null ? null : List.copyOf(bytes);
    }
}
