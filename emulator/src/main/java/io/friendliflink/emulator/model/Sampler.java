package io.friendliflink.emulator.model;

import java.util.Arrays;

/**
 * Picks the next token from a {@link TokenDistribution} under a request's sampling parameters.
 *
 * <p>The distribution is sparse (a few candidates plus one shared logit for the rest), and so is the
 * work here: every token whose logit a parameter changes (candidates, tokens already generated or in
 * the prompt for penalties, {@code logit_bias} keys, banned tokens) becomes an explicit entry; all other
 * tokens stay one block of equal logits that filters and the draw handle in closed form, taking its
 * members in ascending id order. Order of operations: repetition penalty (prompt and output, Keskar et
 * al.), frequency and presence penalties (output), {@code logit_bias}, bans, then temperature
 * (0 = greedy, ties to the lower id), {@code top_k}, {@code top_p}, {@code min_p}, and the draw.
 *
 * <p>Not thread-safe: one instance per thread (it reuses scratch arrays sized to the vocabulary).
 */
final class Sampler {

    private final int vocabularySize;
    private final int[] stamp;
    private final int[] slotOf;
    private int epoch;

    private int[] ids = new int[64];
    private double[] logits = new double[64];
    private int[] outputCounts = new int[64];
    private boolean[] inPrompt = new boolean[64];
    private double[] weights = new double[64];
    private int[] order = new int[64];
    private int[] orderTemp = new int[64];
    private int count;

    Sampler(int vocabularySize) {
        this.vocabularySize = vocabularySize;
        this.stamp = new int[vocabularySize];
        this.slotOf = new int[vocabularySize];
    }

    /**
     * Chooses a token.
     *
     * @param output the tokens generated so far
     * @param prompt the prompt tokens (only read for the repetition penalty)
     * @param banned ids that must not be chosen at this step
     * @param uniform a uniform draw in [0, 1), ignored when greedy
     */
    int choose(
            TokenDistribution d,
            SamplingParams p,
            IntList prompt,
            IntList output,
            int[] banned,
            int bannedCount,
            double uniform) {
        begin();
        for (int i = 0; i < d.candidateCount(); i++) {
            slot(d.candidate(i), d.candidateLogit(i));
        }
        double rest = d.restLogit();
        boolean penalize = p.frequencyPenalty() != 0 || p.presencePenalty() != 0 || p.repetitionPenalty() != 1;
        if (penalize) {
            for (int i = 0; i < output.size(); i++) {
                int s = slot(output.get(i), rest);
                outputCounts[s]++;
            }
            if (p.repetitionPenalty() != 1) {
                for (int i = 0; i < prompt.size(); i++) {
                    int s = slot(prompt.get(i), rest);
                    inPrompt[s] = true;
                }
            }
            for (int s = 0; s < count; s++) {
                double logit = logits[s];
                if (p.repetitionPenalty() != 1 && (inPrompt[s] || outputCounts[s] > 0)) {
                    logit = logit > 0 ? logit / p.repetitionPenalty() : logit * p.repetitionPenalty();
                }
                if (outputCounts[s] > 0) {
                    logit -= p.frequencyPenalty() * outputCounts[s] + p.presencePenalty();
                }
                logits[s] = logit;
            }
        }
        int[] biasIds = p.logitBiasIds();
        for (int i = 0; i < biasIds.length; i++) {
            int s = slot(biasIds[i], rest);
            logits[s] += p.logitBiasValues()[i];
        }
        for (int i = 0; i < bannedCount; i++) {
            int s = slot(banned[i], rest);
            logits[s] = Double.NEGATIVE_INFINITY;
        }
        if (p.temperature() == 0 || p.topK() == 1) {
            return greedy(rest);
        }
        return sample(rest, p, uniform);
    }

    private void begin() {
        epoch++;
        if (epoch == 0) {
            Arrays.fill(stamp, 0);
            epoch = 1;
        }
        count = 0;
    }

    private int slot(int id, double initialLogit) {
        if (stamp[id] == epoch) {
            return slotOf[id];
        }
        if (count == ids.length) {
            grow();
        }
        stamp[id] = epoch;
        slotOf[id] = count;
        ids[count] = id;
        logits[count] = initialLogit;
        outputCounts[count] = 0;
        inPrompt[count] = false;
        return count++;
    }

    private void grow() {
        int n = ids.length * 2;
        ids = Arrays.copyOf(ids, n);
        logits = Arrays.copyOf(logits, n);
        outputCounts = Arrays.copyOf(outputCounts, n);
        inPrompt = Arrays.copyOf(inPrompt, n);
        weights = Arrays.copyOf(weights, n);
        order = Arrays.copyOf(order, n);
        orderTemp = Arrays.copyOf(orderTemp, n);
    }

    private int restCount() {
        return vocabularySize - count;
    }

    private int greedy(double rest) {
        int best = -1;
        for (int s = 0; s < count; s++) {
            if (best < 0 || logits[s] > logits[best] || (logits[s] == logits[best] && ids[s] < ids[best])) {
                best = s;
            }
        }
        if (restCount() > 0) {
            int restId = restMember(0);
            if (best < 0 || rest > logits[best] || (rest == logits[best] && restId < ids[best])) {
                return restId;
            }
        }
        return ids[best];
    }

    private int sample(double rest, SamplingParams p, double uniform) {
        double t = p.temperature();
        boolean filtered = (p.topK() > 0 && p.topK() < vocabularySize) || p.topP() < 1 || p.minP() > 0;
        int restCount = restCount();
        double restScaled = rest / t;
        double max = restCount > 0 ? restScaled : Double.NEGATIVE_INFINITY;
        int above;
        if (filtered) {
            sortByLogit();
            // Sequence order: explicit entries at or above the block, the block, the explicit rest.
            above = 0;
            while (above < count && logits[order[above]] >= rest) {
                above++;
            }
        } else {
            // Without filters only the draw needs an order, and any fixed one will do: skip the sort.
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            above = count;
        }
        for (int i = 0; i < count; i++) {
            max = Math.max(max, logits[i] / t);
        }
        for (int i = 0; i < count; i++) {
            int s = order[i];
            weights[i] = Math.exp(logits[s] / t - max);
        }
        double restWeight = restCount > 0 ? Math.exp(restScaled - max) : 0;
        int restKept = restCount;

        int topK = p.topK();
        if (topK > 0 && topK < vocabularySize) {
            int left = topK;
            for (int i = 0; i < above; i++) {
                left = keep(i, left);
            }
            int fromBlock = Math.min(left, restKept);
            restKept = fromBlock;
            left -= fromBlock;
            for (int i = above; i < count; i++) {
                left = keep(i, left);
            }
        }
        if (p.topP() < 1) {
            double total = keptTotal(restWeight, restKept);
            double target = p.topP() * total;
            double cumulative = 0;
            boolean done = false;
            for (int i = 0; i < above; i++) {
                if (done) {
                    weights[i] = 0;
                } else {
                    cumulative += weights[i];
                    done = cumulative >= target;
                }
            }
            if (done) {
                restKept = 0;
            } else if (restKept > 0 && restWeight > 0) {
                long needed = (long) Math.ceil((target - cumulative) / restWeight);
                int taken = (int) Math.max(1, Math.min(restKept, needed));
                cumulative += taken * restWeight;
                restKept = taken;
                done = cumulative >= target;
            }
            for (int i = above; i < count; i++) {
                if (done) {
                    weights[i] = 0;
                } else {
                    cumulative += weights[i];
                    done = cumulative >= target;
                }
            }
        }
        if (p.minP() > 0) {
            double best = restKept > 0 ? restWeight : 0;
            for (int i = 0; i < count; i++) {
                best = Math.max(best, weights[i]);
            }
            double threshold = p.minP() * best;
            for (int i = 0; i < count; i++) {
                if (weights[i] < threshold) {
                    weights[i] = 0;
                }
            }
            if (restWeight < threshold) {
                restKept = 0;
            }
        }
        double total = keptTotal(restWeight, restKept);
        if (!(total > 0)) {
            return greedy(rest);
        }
        double x = uniform * total;
        for (int i = 0; i < above; i++) {
            if (x < weights[i]) {
                return ids[order[i]];
            }
            x -= weights[i];
        }
        double block = restKept * restWeight;
        if (restKept > 0 && x < block) {
            return restMember((int) Math.min(restKept - 1, (long) (x / restWeight)));
        }
        x -= block;
        int lastKept = -1;
        for (int i = above; i < count; i++) {
            if (weights[i] > 0) {
                lastKept = i;
                if (x < weights[i]) {
                    return ids[order[i]];
                }
                x -= weights[i];
            }
        }
        // Rounding left x just past the end: take the last kept entry.
        if (lastKept >= 0) {
            return ids[order[lastKept]];
        }
        if (restKept > 0) {
            return restMember(restKept - 1);
        }
        for (int i = above - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return ids[order[i]];
            }
        }
        return greedy(rest);
    }

    private int keep(int i, int left) {
        if (left > 0) {
            return left - 1;
        }
        weights[i] = 0;
        return 0;
    }

    private double keptTotal(double restWeight, int restKept) {
        double total = restKept * restWeight;
        for (int i = 0; i < count; i++) {
            total += weights[i];
        }
        return total;
    }

    /** The {@code index}-th token (ascending id) that has no explicit entry. */
    private int restMember(int index) {
        int[] explicit = Arrays.copyOf(ids, count);
        Arrays.sort(explicit);
        int id = index;
        for (int e : explicit) {
            if (e <= id) {
                id++;
            } else {
                break;
            }
        }
        return id;
    }

    /** Stable merge sort of the slots by logit, highest first, ties by lower id. */
    private void sortByLogit() {
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int width = 1; width < count; width *= 2) {
            for (int lo = 0; lo < count; lo += 2 * width) {
                int mid = Math.min(lo + width, count);
                int hi = Math.min(lo + 2 * width, count);
                int a = lo;
                int b = mid;
                int k = lo;
                while (a < mid && b < hi) {
                    orderTemp[k++] = before(order[b], order[a]) ? order[b++] : order[a++];
                }
                while (a < mid) {
                    orderTemp[k++] = order[a++];
                }
                while (b < hi) {
                    orderTemp[k++] = order[b++];
                }
            }
            int[] swap = order;
            order = orderTemp;
            orderTemp = swap;
        }
    }

    private boolean before(int s, int t) {
        return logits[s] > logits[t] || (logits[s] == logits[t] && ids[s] < ids[t]);
    }
}
