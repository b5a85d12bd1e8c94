package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code /v1/completions} body: {@code prompt} or {@code tokens} in, text out.
 *
 * <p>The fields every kind has are in {@link #common()}; the others are components here. Each maps to the
 * body field of the same name in snake case; {@code null} means the field is absent and is not sent, while
 * an empty list is sent as {@code []}. Construction does not validate: {@link RequestCheck#check(InferenceRequest)}
 * applies the API's rules. {@code JsonNode} values are shared, not copied, and must not be modified afterwards.
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
        CommonFields common,
        Prompt prompt,
        List<Integer> tokens,
        Integer maxTotalTokens,
        Integer minTotalTokens,
        Double encoderRepetitionPenalty,
        Integer noRepeatNgram,
        Integer encoderNoRepeatNgram,
        List<TokenSequence> stopTokens,
        List<String> badWords,
        List<TokenSequence> badWordTokens,
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
        Objects.requireNonNull(common, "common");
        tokens = Frozen.list(tokens);
        stopTokens = Frozen.list(stopTokens);
        badWords = Frozen.list(badWords);
        badWordTokens = Frozen.list(badWordTokens);
        forcedOutputTokens = Frozen.list(forcedOutputTokens);
        embeddingToReplace = Frozen.list(embeddingToReplace);
        tokenIndexToReplace = Frozen.list(tokenIndexToReplace);
        extraFields = Frozen.extras(extraFields);
    }

    @Override
    public ApiKind kind() {
        return ApiKind.COMPLETIONS;
    }

    public static Builder builder(String model) {
        return new Builder().model(model);
    }

    /** A builder holding this request's fields, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder().from(this);
        b.prompt = prompt;
        b.tokens = tokens;
        b.maxTotalTokens = maxTotalTokens;
        b.minTotalTokens = minTotalTokens;
        b.encoderRepetitionPenalty = encoderRepetitionPenalty;
        b.noRepeatNgram = noRepeatNgram;
        b.encoderNoRepeatNgram = encoderNoRepeatNgram;
        b.stopTokens = stopTokens;
        b.badWords = badWords;
        b.badWordTokens = badWordTokens;
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
        return b;
    }

    /** Collects fields one by one; {@link #build()} does not validate, {@link RequestCheck} does. */
    public static final class Builder extends RequestBuilder<Builder> {
        private Prompt prompt;
        private List<Integer> tokens;
        private Integer maxTotalTokens;
        private Integer minTotalTokens;
        private Double encoderRepetitionPenalty;
        private Integer noRepeatNgram;
        private Integer encoderNoRepeatNgram;
        private List<TokenSequence> stopTokens;
        private List<String> badWords;
        private List<TokenSequence> badWordTokens;
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

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** {@code prompt}. */
        public Builder prompt(Prompt prompt) {
            this.prompt = prompt;
            return this;
        }

        /** {@code prompt} as one text. */
        public Builder prompt(String text) {
            return prompt(Prompt.of(text));
        }

        /** {@code tokens}. */
        public Builder tokens(List<Integer> tokens) {
            this.tokens = tokens;
            return this;
        }

        /** {@code max_total_tokens}. */
        public Builder maxTotalTokens(Integer maxTotalTokens) {
            this.maxTotalTokens = maxTotalTokens;
            return this;
        }

        /** {@code min_total_tokens}. */
        public Builder minTotalTokens(Integer minTotalTokens) {
            this.minTotalTokens = minTotalTokens;
            return this;
        }

        /** {@code encoder_repetition_penalty}. */
        public Builder encoderRepetitionPenalty(Double encoderRepetitionPenalty) {
            this.encoderRepetitionPenalty = encoderRepetitionPenalty;
            return this;
        }

        /** {@code no_repeat_ngram}. */
        public Builder noRepeatNgram(Integer noRepeatNgram) {
            this.noRepeatNgram = noRepeatNgram;
            return this;
        }

        /** {@code encoder_no_repeat_ngram}. */
        public Builder encoderNoRepeatNgram(Integer encoderNoRepeatNgram) {
            this.encoderNoRepeatNgram = encoderNoRepeatNgram;
            return this;
        }

        /** {@code stop_tokens}. */
        public Builder stopTokens(List<TokenSequence> stopTokens) {
            this.stopTokens = stopTokens;
            return this;
        }

        /** {@code bad_words}. */
        public Builder badWords(List<String> badWords) {
            this.badWords = badWords;
            return this;
        }

        /** {@code bad_word_tokens}. */
        public Builder badWordTokens(List<TokenSequence> badWordTokens) {
            this.badWordTokens = badWordTokens;
            return this;
        }

        /** {@code logprobs}. */
        public Builder logprobs(Integer logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        /** {@code forced_output_tokens}. */
        public Builder forcedOutputTokens(List<Integer> forcedOutputTokens) {
            this.forcedOutputTokens = forcedOutputTokens;
            return this;
        }

        /** {@code num_beams}. */
        public Builder numBeams(Integer numBeams) {
            this.numBeams = numBeams;
            return this;
        }

        /** {@code beam_search_type}. */
        public Builder beamSearchType(BeamSearchType beamSearchType) {
            this.beamSearchType = beamSearchType;
            return this;
        }

        /** {@code early_stopping}. */
        public Builder earlyStopping(Boolean earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        /** {@code length_penalty}. */
        public Builder lengthPenalty(Double lengthPenalty) {
            this.lengthPenalty = lengthPenalty;
            return this;
        }

        /** {@code beam_compat_pre_normalization}. */
        public Builder beamCompatPreNormalization(Boolean beamCompatPreNormalization) {
            this.beamCompatPreNormalization = beamCompatPreNormalization;
            return this;
        }

        /** {@code beam_compat_no_post_normalization}. */
        public Builder beamCompatNoPostNormalization(Boolean beamCompatNoPostNormalization) {
            this.beamCompatNoPostNormalization = beamCompatNoPostNormalization;
            return this;
        }

        /** {@code embedding_to_replace}. */
        public Builder embeddingToReplace(List<Double> embeddingToReplace) {
            this.embeddingToReplace = embeddingToReplace;
            return this;
        }

        /** {@code token_index_to_replace}. */
        public Builder tokenIndexToReplace(List<Integer> tokenIndexToReplace) {
            this.tokenIndexToReplace = tokenIndexToReplace;
            return this;
        }

        public CompletionsRequest build() {
            return new CompletionsRequest(
                    common(),
                    prompt,
                    tokens,
                    maxTotalTokens,
                    minTotalTokens,
                    encoderRepetitionPenalty,
                    noRepeatNgram,
                    encoderNoRepeatNgram,
                    stopTokens,
                    badWords,
                    badWordTokens,
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
                    extraFields());
        }
    }
}
