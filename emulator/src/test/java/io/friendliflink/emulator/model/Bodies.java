package io.friendliflink.emulator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.ChatCompletionsRequest;
import io.friendliflink.api.request.CheckedRequest;
import io.friendliflink.api.request.InferenceRequest;
import io.friendliflink.api.request.RequestCheck;

/** Request bodies for tests, written as JSON text, and the checked requests the server gives the model for them. */
final class Bodies {
    static final ObjectMapper JSON = new ObjectMapper();

    private Bodies() {}

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }

    static JsonNode completion(String extraFields) {
        return json("{\"model\":\"tiny\",\"prompt\":\"The quick brown fox\"" + (extraFields.isEmpty() ? "" : "," + extraFields) + "}");
    }

    static JsonNode chat(String userMessage, String extraFields) {
        String messages = "[{\"role\":\"system\",\"content\":\"You are helpful.\"},{\"role\":\"user\",\"content\":"
                + quote(userMessage) + "}]";
        return json("{\"model\":\"tiny\",\"messages\":" + messages + (extraFields.isEmpty() ? "" : "," + extraFields) + "}");
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The request the server gives the model for {@code body}: checked by the shared rules, as the server
     * does first. A test body that breaks them is a mistake in the test, not a case for the model.
     */
    static InferenceRequest checked(ApiKind kind, JsonNode body) {
        CheckedRequest checked = RequestCheck.check(kind, body);
        if (!checked.isValid()) {
            throw new AssertionError("test body breaks the shared rules: " + checked.violations() + " in " + body);
        }
        return checked.request();
    }

    static ChatCompletionsRequest chatRequest(JsonNode body) {
        return (ChatCompletionsRequest) checked(ApiKind.CHAT_COMPLETIONS, body);
    }

    /** What {@code model} generates for {@code body}, checked as the server checks it. */
    static Generation generate(LanguageModel model, ApiKind kind, JsonNode body) {
        return model.generate(checked(kind, body));
    }
}
