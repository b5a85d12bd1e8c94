package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.Map;

/** A typed, immutable generation request body: completions, chat, or tool-assisted chat. */
public sealed interface InferenceRequest permits CompletionsRequest, ChatCompletionsRequest {

    /** Which operation this body is for; decides the rules it is validated against. */
    ApiKind kind();

    /** The fields every kind has: model, token limits, sampling, seed, stop, stream, timeout, response format. */
    CommonFields common();

    /** Body fields this version does not know, kept exactly as given and sent unchanged. */
    Map<String, JsonNode> extraFields();

    /** The {@code model} field: a model code (serverless) or an endpoint id (dedicated). */
    default String model() {
        return common().model();
    }

    /** Whether {@code stream: true} was asked for. */
    default boolean isStream() {
        return Boolean.TRUE.equals(common().stream());
    }
}
