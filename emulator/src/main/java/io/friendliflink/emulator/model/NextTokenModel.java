package io.friendliflink.emulator.model;

/**
 * Derives the next-token distribution from the last three tokens of the context.
 *
 * <p>A hash of the context seeds a short ranked list of candidates drawn from word tokens, so text
 * reads like (nonsensical) English: lower-case words with a comma or period here and there, a
 * capitalized word after a sentence end, after a sentence end the end token {@code <|end|>} as
 * the top candidate half of the time, and after a colon one of {@code " A"} to {@code " D"} in an order
 * that depends on the context (so multiple-choice scoring has a deterministic, question-dependent winner). Candidate logits fall from 9 in steps of about 0.3; every other
 * token has logit {@value #REST_LOGIT}, which leaves roughly 0.1% of the mass to the rest of the
 * vocabulary. Only the last three tokens matter, so computing a distribution costs a few dozen hashes.
 */
final class NextTokenModel {

    static final double REST_LOGIT = -4.0;
    private static final int CANDIDATES = 24;
    private static final int CONTEXT = 3;

    private static final double TOP_LOGIT = 9.0;
    private static final double STEP = 0.3;
    /** Jitter levels within a step; fewer than the step so logits fall strictly from slot to slot. */
    private static final int JITTER_LEVELS = 16;
    private static final double JITTER = 0.25;
    /** exp(logit - TOP_LOGIT) for every slot and jitter level, so a distribution needs no exp calls. */
    private static final double[] WEIGHTS = new double[CANDIDATES * JITTER_LEVELS];

    static {
        for (int slot = 0; slot < CANDIDATES; slot++) {
            for (int q = 0; q < JITTER_LEVELS; q++) {
                WEIGHTS[slot * JITTER_LEVELS + q] = Math.exp(logit(slot, q) - TOP_LOGIT);
            }
        }
    }

    private final Vocabulary vocabulary;
    private final double restWeight;

    NextTokenModel(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        this.restWeight = Math.exp(REST_LOGIT - TOP_LOGIT);
    }

    private static double logit(int slot, int jitterLevel) {
        return TOP_LOGIT - STEP * slot - JITTER * jitterLevel / JITTER_LEVELS;
    }

    /** The distribution after {@code context[0, length)}. */
    TokenDistribution next(int[] context, int length) {
        long h = 0x51A7E5EEDL;
        int from = Math.max(0, length - CONTEXT);
        for (int i = from; i < length; i++) {
            h = Mix.mix(h ^ (context[i] + 1L) * 0x9E3779B97F4A7C15L);
        }
        h = Mix.mix(h + Math.min(length, CONTEXT));
        int last = length > 0 ? context[length - 1] : -1;
        boolean sentenceStart = last < 0
                || vocabulary.isSentenceEnd(last)
                || last == vocabulary.separatorId()
                || last == vocabulary.endId()
                || last == '\n';
        int[] pool = last == ':' ? vocabulary.answerLetters()
                : sentenceStart ? vocabulary.capitalWords() : vocabulary.lowerWords();

        int[] ids = new int[CANDIDATES];
        double[] logits = new double[CANDIDATES];
        int endSlot = -1;
        int periodSlot = -1;
        int commaSlot = -1;
        if (sentenceStart && vocabulary.isSentenceEnd(last)) {
            endSlot = (h & 1) == 0 ? 0 : 6;
        } else if (!sentenceStart && last != ':' && last != ',') {
            periodSlot = (int) Long.remainderUnsigned(h >>> 8, 12);
            commaSlot = (int) Long.remainderUnsigned(h >>> 20, 16);
            if (commaSlot == periodSlot) {
                commaSlot++;
            }
        }
        int count = 0;
        double weightSum = 0;
        for (int slot = 0; slot < CANDIDATES; slot++) {
            long r = Mix.mix(h + slot * 0xBF58476D1CE4E5B9L);
            int id;
            if (slot == endSlot) {
                id = vocabulary.endId();
            } else if (slot == periodSlot) {
                id = vocabulary.period();
            } else if (slot == commaSlot) {
                id = vocabulary.comma();
            } else {
                id = pool[(int) Long.remainderUnsigned(r, pool.length)];
            }
            if (contains(ids, count, id)) {
                continue;
            }
            int level = (int) (r >>> 60);
            ids[count] = id;
            logits[count] = logit(slot, level);
            weightSum += WEIGHTS[slot * JITTER_LEVELS + level];
            count++;
        }
        weightSum += (vocabulary.size() - count) * restWeight;
        return new TokenDistribution(vocabulary, ids, logits, count, REST_LOGIT, TOP_LOGIT + Math.log(weightSum));
    }

    private static boolean contains(int[] ids, int count, int id) {
        for (int i = 0; i < count; i++) {
            if (ids[i] == id) {
                return true;
            }
        }
        return false;
    }
}
