package io.friendliflink.emulator.model;

import java.util.List;

/**
 * One generated token with its log-probability under the model's (unfiltered) distribution.
 *
 * @param top the most likely alternatives at this position, best first; as many as the request asked
 *     for ({@code logprobs} for completions, {@code top_logprobs} for chat), else empty
 */
public record GeneratedToken(int id, String text, double logprob, List<Alternative> top) {
    public GeneratedToken {
        top = List.copyOf(top);
    }

    /** A candidate token at a position. */
    public record Alternative(int id, String text, double logprob) {}
}
