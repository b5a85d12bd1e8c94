package io.friendliflink.emulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The decoding parameters of one request, read once from its body.
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

    static SamplingParams from(ApiKind kind, JsonNode body, Tokenizer tokenizer) {
        double temperature = Fields.number(body, "temperature", 1.0);
        if (temperature < 0) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        int topK = Fields.integer(body, "top_k", 0);
        double topP = Fields.number(body, "top_p", 1.0);
        double minP = Fields.number(body, "min_p", 0.0);
        double repetition = Fields.number(body, "repetition_penalty", 1.0);
        if (repetition <= 0) {
            throw new IllegalArgumentException("repetition_penalty must be > 0, got " + repetition);
        }

        List<Integer> biasIds = new ArrayList<>();
        List<Double> biasValues = new ArrayList<>();
        JsonNode bias = Fields.node(body, "logit_bias");
        if (bias != null) {
            if (!bias.isObject()) {
                throw new IllegalArgumentException("logit_bias must be an object of token id to bias, got " + bias);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = bias.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int id;
                try {
                    id = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("logit_bias key '" + e.getKey() + "' is not a token id");
                }
                checkToken(tokenizer, id, "logit_bias key");
                if (!e.getValue().isNumber()) {
                    throw new IllegalArgumentException("logit_bias[" + id + "] must be a number, got " + e.getValue());
                }
                biasIds.add(id);
                biasValues.add(e.getValue().doubleValue());
            }
        }

        List<int[]> badWords = new ArrayList<>();
        JsonNode words = Fields.node(body, "bad_words");
        if (words != null) {
            for (int i = 0; i < words.size(); i++) {
                int[] seq = tokenizer.encode(Fields.text(words.get(i), "bad_words[" + i + "]")).toArray();
                if (seq.length > 0) {
                    badWords.add(seq);
                }
            }
        }
        JsonNode wordTokens = Fields.node(body, "bad_word_tokens");
        if (wordTokens != null) {
            for (int i = 0; i < wordTokens.size(); i++) {
                int[] seq = sequence(wordTokens.get(i), "bad_word_tokens[" + i + "]");
                if (seq.length > 0) {
                    badWords.add(seq);
                }
            }
        }

        List<byte[]> stops = new ArrayList<>();
        JsonNode stop = Fields.node(body, "stop");
        if (stop != null) {
            if (stop.isTextual()) {
                addStop(stops, stop.textValue());
            } else {
                for (int i = 0; i < stop.size(); i++) {
                    addStop(stops, Fields.text(stop.get(i), "stop[" + i + "]"));
                }
            }
        }

        IntList stopTokens = new IntList(4);
        JsonNode stopTokenNode = Fields.node(body, "stop_tokens");
        if (stopTokenNode != null) {
            for (int i = 0; i < stopTokenNode.size(); i++) {
                int[] seq = sequence(stopTokenNode.get(i), "stop_tokens[" + i + "]");
                stopTokens.addAll(seq, 0, seq.length);
            }
        }
        JsonNode eos = Fields.node(body, "eos_token");
        if (eos != null) {
            int[] ids = Fields.intArray(eos, "eos_token");
            stopTokens.addAll(ids, 0, ids.length);
        }

        Integer maxTokens = Fields.integer(body, "max_tokens");
        if (maxTokens != null && maxTokens < 0) {
            throw new IllegalArgumentException("max_tokens must be >= 0, got " + maxTokens);
        }
        int minTokens = Fields.integer(body, "min_tokens", 0);
        Integer maxTotal = Fields.integer(body, "max_total_tokens");
        Integer minTotal = Fields.integer(body, "min_total_tokens");

        long[] seeds = null;
        JsonNode seed = Fields.node(body, "seed");
        if (seed != null) {
            if (seed.isArray()) {
                int[] given = Fields.intArray(seed, "seed");
                seeds = new long[given.length];
                for (int i = 0; i < given.length; i++) {
                    seeds[i] = given[i];
                }
            } else if (seed.isIntegralNumber()) {
                seeds = new long[] {seed.longValue()};
            } else {
                throw new IllegalArgumentException("seed must be an integer or an array of integers, got " + seed);
            }
        }
        Integer n = Fields.integer(body, "n");
        int choices = n != null ? n : (seeds != null && seeds.length > 1 ? seeds.length : 1);
        if (choices < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + choices);
        }
        if (seeds != null && seeds.length > 1 && seeds.length != choices) {
            throw new IllegalArgumentException(
                    "seed has " + seeds.length + " values but n is " + choices + "; give one seed per choice");
        }

        int alternatives;
        if (kind.isChat()) {
            alternatives = Fields.bool(body, "logprobs", false) ? Fields.integer(body, "top_logprobs", 0) : 0;
        } else {
            alternatives = Fields.integer(body, "logprobs", 0);
        }
        if (alternatives < 0) {
            throw new IllegalArgumentException("the number of top logprobs must be >= 0, got " + alternatives);
        }

        int[] forced = null;
        JsonNode forcedNode = Fields.node(body, "forced_output_tokens");
        if (forcedNode != null) {
            forced = Fields.intArray(forcedNode, "forced_output_tokens");
            for (int id : forced) {
                checkToken(tokenizer, id, "forced_output_tokens");
            }
        }
        return new SamplingParams(
                temperature,
                topK,
                topP,
                minP,
                Fields.number(body, "frequency_penalty", 0),
                Fields.number(body, "presence_penalty", 0),
                repetition,
                biasIds.stream().mapToInt(Integer::intValue).toArray(),
                biasValues.stream().mapToDouble(Double::doubleValue).toArray(),
                badWords.toArray(new int[0][]),
                stops.toArray(new byte[0][]),
                stopTokens.toArray(),
                maxTokens,
                minTokens,
                maxTotal,
                minTotal,
                choices,
                seeds,
                alternatives,
                forced);
    }

    private static void addStop(List<byte[]> stops, String phrase) {
        if (!phrase.isEmpty()) {
            stops.add(phrase.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static int[] sequence(JsonNode node, String what) {
        JsonNode tokens = node.isObject() ? node.get("tokens") : node;
        if (tokens == null) {
            throw new IllegalArgumentException(what + " must be an object {\"tokens\": [...]}, got " + node);
        }
        return Fields.intArray(tokens, what + ".tokens");
    }

    private static void checkToken(Tokenizer tokenizer, int id, String what) {
        try {
            tokenizer.checkId(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
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
