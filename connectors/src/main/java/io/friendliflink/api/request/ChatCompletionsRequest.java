package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code /v1/chat/completions} body, or (with kind {@link ApiKind#TOOL_ASSISTED_CHAT_COMPLETIONS}) a
 * tool-assisted chat body, which may also carry built-in tools and {@code resume_generation}.
 *
 * <p>Every component maps to the body field of the same name in snake case; {@code null} means the field
 * is absent and is not sent, while an empty list is sent as {@code []}. Construction does not validate:
 * {@link RequestCheck#check(InferenceRequest)} applies the API's rules. {@code JsonNode} values are shared,
 * not copied, and must not be modified afterwards.
 *
 * <pre>{@code
 * ChatCompletionsRequest request = ChatCompletionsRequest.builder("meta-llama-3.1-8b-instruct")
 *         .messages(List.of(ChatMessage.system("You are terse."), ChatMessage.user("Hello!")))
 *         .temperature(0.2)
 *         .build();
 * }</pre>
 *
 * @param kind {@link ApiKind#CHAT_COMPLETIONS} or {@link ApiKind#TOOL_ASSISTED_CHAT_COMPLETIONS}
 * @param logitBias {@code logit_bias}: token id to bias added to its logit
 * @param logprobs {@code logprobs}: whether to return log probabilities (a boolean here)
 * @param extraFields top-level fields this version does not know, in their given order, sent unchanged
 */
public record ChatCompletionsRequest(
        ApiKind kind,
        String model,
        List<ChatMessage> messages,
        Integer maxTokens,
        Integer minTokens,
        Integer n,
        Double temperature,
        Double topP,
        Integer topK,
        Double minP,
        Double frequencyPenalty,
        Double presencePenalty,
        Double repetitionPenalty,
        Seed seed,
        List<String> stop,
        List<Integer> eosToken,
        Boolean stream,
        StreamOptions streamOptions,
        Long timeoutMicroseconds,
        ResponseFormat responseFormat,
        Map<Integer, Double> logitBias,
        Boolean logprobs,
        Integer topLogprobs,
        List<Tool> tools,
        ToolChoice toolChoice,
        Boolean parallelToolCalls,
        Boolean resumeGeneration,
        Map<String, JsonNode> extraFields)
        implements InferenceRequest {

    public ChatCompletionsRequest {
        if (kind != ApiKind.CHAT_COMPLETIONS && kind != ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS) {
            throw new IllegalArgumentException("kind must be CHAT_COMPLETIONS or TOOL_ASSISTED_CHAT_COMPLETIONS, was " + kind);
        }
        messages = Frozen.list(messages);
        stop = Frozen.list(stop);
        eosToken = Frozen.list(eosToken);
        logitBias = Frozen.orderedMap(logitBias);
        tools = Frozen.list(tools);
        extraFields = Frozen.extras(extraFields);
    }

    @Override
    public boolean isStream() {
        return Boolean.TRUE.equals(stream);
    }

    /** A builder for a plain chat request. */
    public static Builder builder(String model) {
        return new Builder(ApiKind.CHAT_COMPLETIONS).model(model);
    }

    /** A builder for a tool-assisted chat request. */
    public static Builder toolAssistedBuilder(String model) {
        return new Builder(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS).model(model);
    }

    /** A builder holding this request's fields, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(kind);
        b.model = model;
        b.messages = messages;
        b.maxTokens = maxTokens;
        b.minTokens = minTokens;
        b.n = n;
        b.temperature = temperature;
        b.topP = topP;
        b.topK = topK;
        b.minP = minP;
        b.frequencyPenalty = frequencyPenalty;
        b.presencePenalty = presencePenalty;
        b.repetitionPenalty = repetitionPenalty;
        b.seed = seed;
        b.stop = stop;
        b.eosToken = eosToken;
        b.stream = stream;
        b.streamOptions = streamOptions;
        b.timeoutMicroseconds = timeoutMicroseconds;
        b.responseFormat = responseFormat;
        b.logitBias = logitBias;
        b.logprobs = logprobs;
        b.topLogprobs = topLogprobs;
        b.tools = tools;
        b.toolChoice = toolChoice;
        b.parallelToolCalls = parallelToolCalls;
        b.resumeGeneration = resumeGeneration;
        b.extraFields.putAll(extraFields);
        return b;
    }

    /** Collects fields one by one; {@link #build()} does not validate, {@link RequestCheck} does. */
    public static final class Builder {
        private final ApiKind kind;
        private String model;
        private List<ChatMessage> messages;
        private Integer maxTokens;
        private Integer minTokens;
        private Integer n;
        private Double temperature;
        private Double topP;
        private Integer topK;
        private Double minP;
        private Double frequencyPenalty;
        private Double presencePenalty;
        private Double repetitionPenalty;
        private Seed seed;
        private List<String> stop;
        private List<Integer> eosToken;
        private Boolean stream;
        private StreamOptions streamOptions;
        private Long timeoutMicroseconds;
        private ResponseFormat responseFormat;
        private Map<Integer, Double> logitBias;
        private Boolean logprobs;
        private Integer topLogprobs;
        private List<Tool> tools;
        private ToolChoice toolChoice;
        private Boolean parallelToolCalls;
        private Boolean resumeGeneration;
        private final Map<String, JsonNode> extraFields = new LinkedHashMap<>();

        private Builder(ApiKind kind) {
            this.kind = kind;
        }

        /** {@code model}; {@code null} leaves it out. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** {@code messages}; {@code null} leaves it out. */
        public Builder messages(List<ChatMessage> messages) {
            this.messages = messages;
            return this;
        }

        /** {@code max_tokens}; {@code null} leaves it out. */
        public Builder maxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** {@code min_tokens}; {@code null} leaves it out. */
        public Builder minTokens(Integer minTokens) {
            this.minTokens = minTokens;
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

        /** {@code logit_bias}; {@code null} leaves it out. */
        public Builder logitBias(Map<Integer, Double> logitBias) {
            this.logitBias = logitBias;
            return this;
        }

        /** {@code logprobs}; {@code null} leaves it out. */
        public Builder logprobs(Boolean logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        /** {@code top_logprobs}; {@code null} leaves it out. */
        public Builder topLogprobs(Integer topLogprobs) {
            this.topLogprobs = topLogprobs;
            return this;
        }

        /** {@code tools}; {@code null} leaves it out. */
        public Builder tools(List<Tool> tools) {
            this.tools = tools;
            return this;
        }

        /** {@code tool_choice}; {@code null} leaves it out. */
        public Builder toolChoice(ToolChoice toolChoice) {
            this.toolChoice = toolChoice;
            return this;
        }

        /** {@code parallel_tool_calls}; {@code null} leaves it out. */
        public Builder parallelToolCalls(Boolean parallelToolCalls) {
            this.parallelToolCalls = parallelToolCalls;
            return this;
        }

        /** {@code resume_generation}; {@code null} leaves it out. */
        public Builder resumeGeneration(Boolean resumeGeneration) {
            this.resumeGeneration = resumeGeneration;
            return this;
        }

        /** Adds a field this version does not model; it is sent after the known fields, in call order. */
        public Builder extraField(String name, JsonNode value) {
            extraFields.put(name, value);
            return this;
        }

        public ChatCompletionsRequest build() {
            return new ChatCompletionsRequest(
                    kind,
                    model,
                    messages,
                    maxTokens,
                    minTokens,
                    n,
                    temperature,
                    topP,
                    topK,
                    minP,
                    frequencyPenalty,
                    presencePenalty,
                    repetitionPenalty,
                    seed,
                    stop,
                    eosToken,
                    stream,
                    streamOptions,
                    timeoutMicroseconds,
                    responseFormat,
                    logitBias,
                    logprobs,
                    topLogprobs,
                    tools,
                    toolChoice,
                    parallelToolCalls,
                    resumeGeneration,
                    extraFields);
        }
    }
}
