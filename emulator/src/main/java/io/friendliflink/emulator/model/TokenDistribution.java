package io.friendliflink.emulator.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's next-token distribution at one position: exact log-probabilities over the whole
 * vocabulary.
 *
 * <p>A few candidate tokens carry individual logits; every other token shares one lower logit. The
 * normalizer is computed in closed form over all {@link #vocabularySize()} tokens, so
 * {@code sum(exp(logprob(id)))} over every id is 1 up to rounding.
 */
public final class TokenDistribution {

    private final Vocabulary vocabulary;
    private final int[] candidates;
    private final double[] candidateLogits;
    private final int candidateCount;
    private final double restLogit;
    private final double logNormalizer;

    /**
     * @param logits the candidates' logits, highest first
     * @param logNormalizer {@code log(sum(exp(logit)))} over the whole vocabulary
     */
    TokenDistribution(
            Vocabulary vocabulary, int[] candidates, double[] logits, int count, double restLogit, double logNormalizer) {
        this.vocabulary = vocabulary;
        this.candidates = candidates;
        this.candidateLogits = logits;
        this.candidateCount = count;
        this.restLogit = restLogit;
        this.logNormalizer = logNormalizer;
    }

    public int vocabularySize() {
        return vocabulary.size();
    }

    /** The natural-log probability of token {@code id} at this position. */
    public double logprob(int id) {
        return logit(id) - logNormalizer;
    }

    /** The unnormalized score of {@code id}; sampling starts from these. */
    double logit(int id) {
        for (int i = 0; i < candidateCount; i++) {
            if (candidates[i] == id) {
                return candidateLogits[i];
            }
        }
        return restLogit;
    }

    /** The {@code k} most likely tokens, best first; ties (the shared logit) go to the lowest id. */
    public List<GeneratedToken.Alternative> top(int k) {
        int limit = Math.min(k, vocabulary.size());
        List<GeneratedToken.Alternative> out = new ArrayList<>(limit);
        for (int i = 0; i < candidateCount && out.size() < limit; i++) {
            out.add(alternative(candidates[i], candidateLogits[i]));
        }
        for (int id = 0; out.size() < limit; id++) {
            if (!isCandidate(id)) {
                out.add(alternative(id, restLogit));
            }
        }
        return out;
    }

    /** The most likely token (what greedy decoding picks without penalties). */
    public int argmax() {
        return candidateCount > 0 && candidateLogits[0] >= restLogit ? candidates[0] : firstNonCandidate();
    }

    private int firstNonCandidate() {
        int id = 0;
        while (isCandidate(id)) {
            id++;
        }
        return id;
    }

    private GeneratedToken.Alternative alternative(int id, double logit) {
        return new GeneratedToken.Alternative(id, vocabulary.display(id), logit - logNormalizer);
    }

    private boolean isCandidate(int id) {
        for (int i = 0; i < candidateCount; i++) {
            if (candidates[i] == id) {
                return true;
            }
        }
        return false;
    }

    int candidateCount() {
        return candidateCount;
    }

    int candidate(int index) {
        return candidates[index];
    }

    double candidateLogit(int index) {
        return candidateLogits[index];
    }

    double restLogit() {
        return restLogit;
    }
}
