package io.friendliflink.emulator.model;

import io.friendliflink.api.request.ChatCompletionsRequest;
import io.friendliflink.api.request.CommonFields;
import io.friendliflink.api.request.CompletionsRequest;
import io.friendliflink.api.request.InferenceRequest;
import io.friendliflink.api.request.Seed;
import io.friendliflink.api.request.TokenSequence;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoding parameters of one request, taken from its checked typed form (no second reading of the body).
 *
 * @param stopTokens ids that end generation: every id in {@code stop_tokens[].tokens} and {@code eos_token}
 * @param badWords token sequences from {@code bad_words} (tokenized) and {@code bad_word_tokens}
 * @param maxTokens {@code max_tokens}, or null when absent
 * @param seeds {@code seed} as given (one element for a single int), or null when absent
 * @param alternatives how many top alternatives to report per token (0 = none)
 * @param forcedOutput {@code forced_output_tokens}, or null
 */
record SamplingParams(
        double temperature,
        int topK,
        double topP,
        double minP,
        double frequencyPenalty,
        double presencePenalty,
        double repetitionPenalty,
        int[] logitBiasIds,
        double[] logitBiasValues,
        int[][] badWords,
        byte[][] stopPhrases,
        int[] stopTokens,
        Integer maxTokens,
        int minTokens,
        Integer maxTotalTokens,
        Integer minTotalTokens,
        int n,
        long[] seeds,
        int alternatives,
        int[] forcedOutput) {

    /**
     * The parameters of {@code request}, which passed the shared rules: absent fields take the API's defaults.
     * Only what needs the model is checked here: token ids in {@code logit_bias} and {@code forced_output_tokens}.
     */
    static SamplingParams of(InferenceRequest request, Tokenizer tokenizer) {
        CommonFields c = request.common();
        List<int[]> badWords = new ArrayList<>();
        IntList stopTokens = new IntList(4);
        int[] biasIds = new int[0];
        double[] biasValues = new double[0];
        Integer maxTotalTokens = null;
        Integer minTotalTokens = null;
        int alternatives = 0;
        int[] forced = null;
        if (request instanceof CompletionsRequest r) {
            for (String word : orEmpty(r.badWords())) {
                addNonEmpty(badWords, tokenizer.encode(word).toArray());
            }
            for (TokenSequence sequence : orEmpty(r.badWordTokens())) {
                addNonEmpty(badWords, ints(sequence.tokens()));
            }
            for (TokenSequence sequence : orEmpty(r.stopTokens())) {
                int[] ids = ints(sequence.tokens());
                stopTokens.addAll(ids, 0, ids.length);
            }
            maxTotalTokens = r.maxTotalTokens();
            minTotalTokens = r.minTotalTokens();
            alternatives = r.logprobs() == null ? 0 : r.logprobs();
            if (r.forcedOutputTokens() != null) {
                forced = checkedIds(tokenizer, r.forcedOutputTokens(), "forced_output_tokens");
            }
        } else if (request instanceof ChatCompletionsRequest r) {
            if (r.logitBias() != null) {
                biasIds = checkedIds(tokenizer, new ArrayList<>(r.logitBias().keySet()), "logit_bias key");
                biasValues = r.logitBias().values().stream().mapToDouble(Double::doubleValue).toArray();
            }
            alternatives = Boolean.TRUE.equals(r.logprobs()) && r.topLogprobs() != null ? r.topLogprobs() : 0;
        }
        int[] eos = ints(c.eosToken());
        stopTokens.addAll(eos, 0, eos.length);
        List<byte[]> stops = new ArrayList<>();
        for (String phrase : orEmpty(c.stop())) {
            if (!phrase.isEmpty()) {
                stops.add(phrase.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new SamplingParams(
                orDefault(c.temperature(), 1.0),
                orDefault(c.topK(), 0),
                orDefault(c.topP(), 1.0),
                orDefault(c.minP(), 0.0),
                orDefault(c.frequencyPenalty(), 0.0),
                orDefault(c.presencePenalty(), 0.0),
                orDefault(c.repetitionPenalty(), 1.0),
                biasIds,
                biasValues,
                badWords.toArray(new int[0][]),
                stops.toArray(new byte[0][]),
                stopTokens.toArray(),
                c.maxTokens(),
                orDefault(c.minTokens(), 0),
                maxTotalTokens,
                minTotalTokens,
                orDefault(c.n(), 1),
                seeds(c.seed()),
                alternatives,
                forced);
    }

    /** A single seed as one element; one seed per choice as given (the shared rules made its length n). */
    private static long[] seeds(Seed seed) {
        if (seed instanceof Seed.Single single) {
            return new long[] {single.value()};
        }
        if (seed instanceof Seed.PerChoice perChoice) {
            return perChoice.values().stream().mapToLong(Long::longValue).toArray();
        }
        return null;
    }

    private static int[] checkedIds(Tokenizer tokenizer, List<Integer> ids, String field) {
        int[] out = ints(ids);
        for (int id : out) {
            try {
                tokenizer.checkId(id);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static void addNonEmpty(List<int[]> sequences, int[] sequence) {
        if (sequence.length > 0) {
            sequences.add(sequence);
        }
    }

    private static int[] ints(List<Integer> ids) {
        return ids == null ? new int[0] : ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    boolean isStopToken(int id) {
        for (int stop : stopTokens) {
            if (stop == id) {
                return true;
            }
        }
        return false;
    }
}
