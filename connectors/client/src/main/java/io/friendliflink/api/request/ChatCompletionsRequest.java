package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code /v1/chat/completions} body, or (with kind {@link ApiKind#TOOL_ASSISTED_CHAT_COMPLETIONS}) a
 * tool-assisted chat body, which may also carry built-in tools and {@code resume_generation}.
 *
 * <p>The fields every kind has are in {@link #common()}; the others are components here. Each maps to the
 * body field of the same name in snake case; {@code null} means the field is absent and is not sent, while
 * an empty list is sent as {@code []}. Construction does not validate: {@link RequestCheck#check(InferenceRequest)}
 * applies the API's rules. {@code JsonNode} values are shared, not copied, and must not be modified afterwards.
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
        CommonFields common,
        List<ChatMessage> messages,
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
        Objects.requireNonNull(common, "common");
        messages = Frozen.list(messages);
        logitBias = Frozen.orderedMap(logitBias);
        tools = Frozen.list(tools);
        extraFields = Frozen.extras(extraFields);
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
        Builder b = new Builder(kind).from(this);
        b.messages = messages;
        b.logitBias = logitBias;
        b.logprobs = logprobs;
        b.topLogprobs = topLogprobs;
        b.tools = tools;
        b.toolChoice = toolChoice;
        b.parallelToolCalls = parallelToolCalls;
        b.resumeGeneration = resumeGeneration;
        return b;
    }

    /** Collects fields one by one; {@link #build()} does not validate, {@link RequestCheck} does. */
    public static final class Builder extends RequestBuilder<Builder> {
        private final ApiKind kind;
        private List<ChatMessage> messages;
        private Map<Integer, Double> logitBias;
        private Boolean logprobs;
        private Integer topLogprobs;
        private List<Tool> tools;
        private ToolChoice toolChoice;
        private Boolean parallelToolCalls;
        private Boolean resumeGeneration;

        private Builder(ApiKind kind) {
            this.kind = kind;
        }

        @Override
        Builder self() {
            return this;
        }

        /** {@code messages}. */
        public Builder messages(List<ChatMessage> messages) {
            this.messages = messages;
            return this;
        }

        /** {@code messages}, in order. */
        public Builder messages(ChatMessage... messages) {
            return messages(List.of(messages));
        }

        /** {@code logit_bias}. */
        public Builder logitBias(Map<Integer, Double> logitBias) {
            this.logitBias = logitBias;
            return this;
        }

        /** {@code logprobs}. */
        public Builder logprobs(Boolean logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        /** {@code top_logprobs}. */
        public Builder topLogprobs(Integer topLogprobs) {
            this.topLogprobs = topLogprobs;
            return this;
        }

        /** {@code tools}. */
        public Builder tools(List<Tool> tools) {
            this.tools = tools;
            return this;
        }

        /** {@code tool_choice}. */
        public Builder toolChoice(ToolChoice toolChoice) {
            this.toolChoice = toolChoice;
            return this;
        }

        /** {@code parallel_tool_calls}. */
        public Builder parallelToolCalls(Boolean parallelToolCalls) {
            this.parallelToolCalls = parallelToolCalls;
            return this;
        }

        /** {@code resume_generation}. */
        public Builder resumeGeneration(Boolean resumeGeneration) {
            this.resumeGeneration = resumeGeneration;
            return this;
        }

        public ChatCompletionsRequest build() {
            return new ChatCompletionsRequest(
                    kind,
                    common(),
                    messages,
                    logitBias,
                    logprobs,
                    topLogprobs,
                    tools,
                    toolChoice,
                    parallelToolCalls,
                    resumeGeneration,
                    extraFields());
        }
    }
}
