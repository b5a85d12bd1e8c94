package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code /v1/completions} body: {@code prompt} or {@code tokens} in, text out.
 *
 * <p>Every component maps to the body field of the same name in snake case; {@code null} means the field
 * is absent and is not sent, while an empty list is sent as {@code []}. Construction does not validate:
 * {@link RequestCheck#check(InferenceRequest)} applies the API's rules. {@code JsonNode} values are shared,
 * not copied, and must not be modified afterwards.
 *
 * <pre>{@code
 * CompletionsRequest request = CompletionsRequest.builder("meta-llama-3.1-8b-instruct")
 *         .prompt(Prompt.of("Say this is a test"))
 *         .maxTokens(16)
 *         .build();
 * }</pre>
 *
 * @param prompt {@code prompt}; exactly one of {@code prompt} and {@code tokens} is required
 * @param tokens {@code tokens}: the prompt as token ids
 * @param logprobs {@code logprobs}: how many top alternatives to return per position (an integer here)
 * @param embeddingToReplace {@code embedding_to_replace}: flattened embedding vectors, one per index in
 *     {@code tokenIndexToReplace}
 * @param extraFields top-level fields this version does not know, in their given order, sent unchanged
 */
public record CompletionsRequest(
        String model,
        Prompt prompt,
        List<Integer> tokens,
        Integer maxTokens,
        Integer maxTotalTokens,
        Integer minTokens,
        Integer minTotalTokens,
        Integer n,
        Double temperature,
        Double topP,
        Integer topK,
        Double minP,
        Double frequencyPenalty,
        Double presencePenalty,
        Double repetitionPenalty,
        Double encoderRepetitionPenalty,
        Integer noRepeatNgram,
        Integer encoderNoRepeatNgram,
        Seed seed,
        List<String> stop,
        List<TokenSequence> stopTokens,
        List<String> badWords,
        List<TokenSequence> badWordTokens,
        List<Integer> eosToken,
        Boolean stream,
        StreamOptions streamOptions,
        Long timeoutMicroseconds,
        ResponseFormat responseFormat,
        Integer logprobs,
        List<Integer> forcedOutputTokens,
        Integer numBeams,
        BeamSearchType beamSearchType,
        Boolean earlyStopping,
        Double lengthPenalty,
        Boolean beamCompatPreNormalization,
        Boolean beamCompatNoPostNormalization,
        List<Double> embeddingToReplace,
        List<Integer> tokenIndexToReplace,
        Map<String, JsonNode> extraFields)
        implements InferenceRequest {

    public CompletionsRequest {
        tokens = Frozen.list(tokens);
        stop = Frozen.list(stop);
        stopTokens = Frozen.list(stopTokens);
        badWords = Frozen.list(badWords);
        badWordTokens = Frozen.list(badWordTokens);
        eosToken = Frozen.list(eosToken);
        forcedOutputTokens = Frozen.list(forcedOutputTokens);
        embeddingToReplace = Frozen.list(embeddingToReplace);
        tokenIndexToReplace = Frozen.list(tokenIndexToReplace);
        extraFields = Frozen.extras(extraFields);
    }

    @Override
    public ApiKind kind() {
        return ApiKind.COMPLETIONS;
    }

    @Override
    public boolean isStream() {
        return Boolean.TRUE.equals(stream);
    }

    public static Builder builder(String model) {
        return new Builder().model(model);
    }

    /** A builder holding this request's fields, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.prompt = prompt;
        b.tokens = tokens;
        b.maxTokens = maxTokens;
        b.maxTotalTokens = maxTotalTokens;
        b.minTokens = minTokens;
        b.minTotalTokens = minTotalTokens;
        b.n = n;
        b.temperature = temperature;
        b.topP = topP;
        b.topK = topK;
        b.minP = minP;
        b.frequencyPenalty = frequencyPenalty;
        b.presencePenalty = presencePenalty;
        b.repetitionPenalty = repetitionPenalty;
        b.encoderRepetitionPenalty = encoderRepetitionPenalty;
        b.noRepeatNgram = noRepeatNgram;
        b.encoderNoRepeatNgram = encoderNoRepeatNgram;
        b.seed = seed;
        b.stop = stop;
        b.stopTokens = stopTokens;
        b.badWords = badWords;
        b.badWordTokens = badWordTokens;
        b.eosToken = eosToken;
        b.stream = stream;
        b.streamOptions = streamOptions;
        b.timeoutMicroseconds = timeoutMicroseconds;
        b.responseFormat = responseFormat;
        b.logprobs = logprobs;
        b.forcedOutputTokens = forcedOutputTokens;
        b.numBeams = numBeams;
        b.beamSearchType = beamSearchType;
        b.earlyStopping = earlyStopping;
        b.lengthPenalty = lengthPenalty;
        b.beamCompatPreNormalization = beamCompatPreNormalization;
        b.beamCompatNoPostNormalization = beamCompatNoPostNormalization;
        b.embeddingToReplace = embeddingToReplace;
        b.tokenIndexToReplace = tokenIndexToReplace;
        b.extraFields.putAll(extraFields);
        return b;
    }

    /** Collects fields one by one; {@link #build()} does not validate, {@link RequestCheck} does. */
    public static final class Builder {
        private String model;
        private Prompt prompt;
        private List<Integer> tokens;
        private Integer maxTokens;
        private Integer maxTotalTokens;
        private Integer minTokens;
        private Integer minTotalTokens;
        private Integer n;
        private Double temperature;
        private Double topP;
        private Integer topK;
        private Double minP;
        private Double frequencyPenalty;
        private Double presencePenalty;
        private Double repetitionPenalty;
        private Double encoderRepetitionPenalty;
        private Integer noRepeatNgram;
        private Integer encoderNoRepeatNgram;
        private Seed seed;
        private List<String> stop;
        private List<TokenSequence> stopTokens;
        private List<String> badWords;
        private List<TokenSequence> badWordTokens;
        private List<Integer> eosToken;
        private Boolean stream;
        private StreamOptions streamOptions;
        private Long timeoutMicroseconds;
        private ResponseFormat responseFormat;
        private Integer logprobs;
        private List<Integer> forcedOutputTokens;
        private Integer numBeams;
        private BeamSearchType beamSearchType;
        private Boolean earlyStopping;
        private Double lengthPenalty;
        private Boolean beamCompatPreNormalization;
        private Boolean beamCompatNoPostNormalization;
        private List<Double> embeddingToReplace;
        private List<Integer> tokenIndexToReplace;
        private final Map<String, JsonNode> extraFields = new LinkedHashMap<>();

        private Builder() {}

        /** {@code model}; {@code null} leaves it out. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** {@code prompt}; {@code null} leaves it out. */
        public Builder prompt(Prompt prompt) {
            this.prompt = prompt;
            return this;
        }

        /** {@code tokens}; {@code null} leaves it out. */
        public Builder tokens(List<Integer> tokens) {
            this.tokens = tokens;
            return this;
        }

        /** {@code max_tokens}; {@code null} leaves it out. */
        public Builder maxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** {@code max_total_tokens}; {@code null} leaves it out. */
        public Builder maxTotalTokens(Integer maxTotalTokens) {
            this.maxTotalTokens = maxTotalTokens;
            return this;
        }

        /** {@code min_tokens}; {@code null} leaves it out. */
        public Builder minTokens(Integer minTokens) {
            this.minTokens = minTokens;
            return this;
        }

        /** {@code min_total_tokens}; {@code null} leaves it out. */
        public Builder minTotalTokens(Integer minTotalTokens) {
            this.minTotalTokens = minTotalTokens;
            return this;
        }

        /** {@code n}; {@code null} leaves it out. */
        public Builder n(Integer n) {
            this.n = n;
            return this;
        }

        /** {@code temperature}; {@code null} leaves it out. */
        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** {@code top_p}; {@code null} leaves it out. */
        public Builder topP(Double topP) {
            this.topP = topP;
            return this;
        }

        /** {@code top_k}; {@code null} leaves it out. */
        public Builder topK(Integer topK) {
            this.topK = topK;
            return this;
        }

        /** {@code min_p}; {@code null} leaves it out. */
        public Builder minP(Double minP) {
            this.minP = minP;
            return this;
        }

        /** {@code frequency_penalty}; {@code null} leaves it out. */
        public Builder frequencyPenalty(Double frequencyPenalty) {
            this.frequencyPenalty = frequencyPenalty;
            return this;
        }

        /** {@code presence_penalty}; {@code null} leaves it out. */
        public Builder presencePenalty(Double presencePenalty) {
            this.presencePenalty = presencePenalty;
            return this;
        }

        /** {@code repetition_penalty}; {@code null} leaves it out. */
        public Builder repetitionPenalty(Double repetitionPenalty) {
            this.repetitionPenalty = repetitionPenalty;
            return this;
        }

        /** {@code encoder_repetition_penalty}; {@code null} leaves it out. */
        public Builder encoderRepetitionPenalty(Double encoderRepetitionPenalty) {
            this.encoderRepetitionPenalty = encoderRepetitionPenalty;
            return this;
        }

        /** {@code no_repeat_ngram}; {@code null} leaves it out. */
        public Builder noRepeatNgram(Integer noRepeatNgram) {
            this.noRepeatNgram = noRepeatNgram;
            return this;
        }

        /** {@code encoder_no_repeat_ngram}; {@code null} leaves it out. */
        public Builder encoderNoRepeatNgram(Integer encoderNoRepeatNgram) {
            this.encoderNoRepeatNgram = encoderNoRepeatNgram;
            return this;
        }

        /** {@code seed}; {@code null} leaves it out. */
        public Builder seed(Seed seed) {
            this.seed = seed;
            return this;
        }

        /** {@code stop}; {@code null} leaves it out. */
        public Builder stop(List<String> stop) {
            this.stop = stop;
            return this;
        }

        /** {@code stop_tokens}; {@code null} leaves it out. */
        public Builder stopTokens(List<TokenSequence> stopTokens) {
            this.stopTokens = stopTokens;
            return this;
        }

        /** {@code bad_words}; {@code null} leaves it out. */
        public Builder badWords(List<String> badWords) {
            this.badWords = badWords;
            return this;
        }

        /** {@code bad_word_tokens}; {@code null} leaves it out. */
        public Builder badWordTokens(List<TokenSequence> badWordTokens) {
            this.badWordTokens = badWordTokens;
            return this;
        }

        /** {@code eos_token}; {@code null} leaves it out. */
        public Builder eosToken(List<Integer> eosToken) {
            this.eosToken = eosToken;
            return this;
        }

        /** {@code stream}; {@code null} leaves it out. */
        public Builder stream(Boolean stream) {
            this.stream = stream;
            return this;
        }

        /** {@code stream_options}; {@code null} leaves it out. */
        public Builder streamOptions(StreamOptions streamOptions) {
            this.streamOptions = streamOptions;
            return this;
        }

        /** {@code timeout_microseconds}; {@code null} leaves it out. */
        public Builder timeoutMicroseconds(Long timeoutMicroseconds) {
            this.timeoutMicroseconds = timeoutMicroseconds;
            return this;
        }

        /** {@code response_format}; {@code null} leaves it out. */
        public Builder responseFormat(ResponseFormat responseFormat) {
            this.responseFormat = responseFormat;
            return this;
        }

        /** {@code logprobs}; {@code null} leaves it out. */
        public Builder logprobs(Integer logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        /** {@code forced_output_tokens}; {@code null} leaves it out. */
        public Builder forcedOutputTokens(List<Integer> forcedOutputTokens) {
            this.forcedOutputTokens = forcedOutputTokens;
            return this;
        }

        /** {@code num_beams}; {@code null} leaves it out. */
        public Builder numBeams(Integer numBeams) {
            this.numBeams = numBeams;
            return this;
        }

        /** {@code beam_search_type}; {@code null} leaves it out. */
        public Builder beamSearchType(BeamSearchType beamSearchType) {
            this.beamSearchType = beamSearchType;
            return this;
        }

        /** {@code early_stopping}; {@code null} leaves it out. */
        public Builder earlyStopping(Boolean earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        /** {@code length_penalty}; {@code null} leaves it out. */
        public Builder lengthPenalty(Double lengthPenalty) {
            this.lengthPenalty = lengthPenalty;
            return this;
        }

        /** {@code beam_compat_pre_normalization}; {@code null} leaves it out. */
        public Builder beamCompatPreNormalization(Boolean beamCompatPreNormalization) {
            this.beamCompatPreNormalization = beamCompatPreNormalization;
            return this;
        }

        /** {@code beam_compat_no_post_normalization}; {@code null} leaves it out. */
        public Builder beamCompatNoPostNormalization(Boolean beamCompatNoPostNormalization) {
            this.beamCompatNoPostNormalization = beamCompatNoPostNormalization;
            return this;
        }

        /** {@code embedding_to_replace}; {@code null} leaves it out. */
        public Builder embeddingToReplace(List<Double> embeddingToReplace) {
            this.embeddingToReplace = embeddingToReplace;
            return this;
        }

        /** {@code token_index_to_replace}; {@code null} leaves it out. */
        public Builder tokenIndexToReplace(List<Integer> tokenIndexToReplace) {
            this.tokenIndexToReplace = tokenIndexToReplace;
            return this;
        }

        /** Adds a field this version does not model; it is sent after the known fields, in call order. */
        public Builder extraField(String name, JsonNode value) {
            extraFields.put(name, value);
            return this;
        }

        public CompletionsRequest build() {
            return new CompletionsRequest(
                    model,
                    prompt,
                    tokens,
                    maxTokens,
                    maxTotalTokens,
                    minTokens,
                    minTotalTokens,
                    n,
                    temperature,
                    topP,
                    topK,
                    minP,
                    frequencyPenalty,
                    presencePenalty,
                    repetitionPenalty,
                    encoderRepetitionPenalty,
                    noRepeatNgram,
                    encoderNoRepeatNgram,
                    seed,
                    stop,
                    stopTokens,
                    badWords,
                    badWordTokens,
                    eosToken,
                    stream,
                    streamOptions,
                    timeoutMicroseconds,
                    responseFormat,
                    logprobs,
                    forcedOutputTokens,
                    numBeams,
                    beamSearchType,
                    earlyStopping,
                    lengthPenalty,
                    beamCompatPreNormalization,
                    beamCompatNoPostNormalization,
                    embeddingToReplace,
                    tokenIndexToReplace,
                    extraFields);
        }
    }
}
