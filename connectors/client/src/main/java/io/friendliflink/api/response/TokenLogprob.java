package io.friendliflink.api.response;

import java.util.List;

/**
 * The log-probability of one generated token, in the one shape that both API shapes map onto.
 *
 * <p>Completions report {@code logprobs.tokens[i]}, {@code token_logprobs[i]}, {@code top_logprobs[i]}
 * (an object token→logprob) and {@code text_offset[i]}; chat reports {@code content[i].token},
 * {@code logprob}, {@code bytes} and {@code top_logprobs[]}. The older API returned a flat list of floats,
 * which maps onto entries whose {@code token} is {@code null}. Fields a shape lacks are {@code null}.
 *
 * @param token the token's text, or {@code null} when the shape gave only numbers
 * @param logprob the natural-log probability of the token; may be {@code -Infinity} or {@code NaN} only
 *     when the endpoint said so
 * @param bytes UTF-8 bytes of the token (chat shape), or {@code null}
 * @param textOffset character offset of the token in the text (completions shape), or {@code null}
 * @param topLogprobs the most likely alternatives at this position, best first; empty when not asked for
 */
public record TokenLogprob(
        String token, double logprob, List<Integer> bytes, Integer textOffset, List<TopLogprob> topLogprobs) {
    public TokenLogprob {
        bytes = bytes == null ? null : List.copyOf(bytes);
        topLogprobs = topLogprobs == null ? List.of() : List.copyOf(topLogprobs);
    }
}
