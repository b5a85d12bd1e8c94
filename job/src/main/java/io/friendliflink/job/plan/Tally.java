package io.friendliflink.job.plan;

/**
 * Requests, prompt tokens and the bound on output tokens of one group of lines (a model, a kind, all of them).
 * Mutable: a plan adds to it line by line, on one thread.
 */
final class Tally {
    long requests;
    long promptTokens;
    long outputTokensBound;
    double costBound;

    void add(long prompt, long outputBound, double cost) {
        requests++;
        promptTokens += prompt;
        outputTokensBound += outputBound;
        costBound += cost;
    }

    long tokensBound() {
        return promptTokens + outputTokensBound;
    }
}
