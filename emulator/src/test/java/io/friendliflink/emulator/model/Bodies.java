package io.friendliflink.emulator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Request bodies for tests, written as JSON text. */
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
}
