package io.friendliflink.api.response;

import java.util.List;

/** The per-token log-probabilities of one choice, whichever shape the endpoint answered with. */
public record Logprobs(List<TokenLogprob> content) {
    public Logprobs {
        content = List.copyOf(content);
    }

    /** The sum of the tokens' log-probabilities: the score of a forced continuation. */
    public double sum() {
        double total = 0;
        for (TokenLogprob t : content) {
            total += t.logprob();
        }
        return total;
    }
}
