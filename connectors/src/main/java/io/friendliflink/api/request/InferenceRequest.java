package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.Map;

/** A typed, immutable generation request body: completions, chat, or tool-assisted chat. */
public interface InferenceRequest {

    /** Which operation this body is for; decides the rules it is validated against. */
    ApiKind kind();

    /** The {@code model} field: a model code (serverless) or an endpoint id (dedicated). */
    String model();

    /** Whether {@code stream: true} was asked for. */
    boolean isStream();

    /** Body fields this version does not know, kept exactly as given and sent unchanged. */
    Map<String, JsonNode> extraFields();
}
