package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A chat message's {@code content}: a string, or an OpenAI content-part array. */
public sealed interface MessageContent {

    static MessageContent of(String text) {
        return new Text(text);
    }

    /** {@code "content": "..."}. */
    record Text(String text) implements MessageContent {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code "content": [{"type": "text", "text": "..."}, {"type": "image_url", ...}]}. */
    record Parts(List<Part> parts) implements MessageContent {
        public Parts {
            parts = List.copyOf(parts);
        }
    }

    /**
     * One content part. Text parts carry {@code text}; every other key (e.g. {@code image_url}) is kept in
     * {@code extraFields} in its given order, so parts of any type pass through unchanged.
     *
     * @param type the part's {@code type}, e.g. {@code text} or {@code image_url}
     * @param text the {@code text} key, or {@code null} when absent
     */
    record Part(String type, String text, Map<String, JsonNode> extraFields) {
        public Part {
            Objects.requireNonNull(type, "type");
            extraFields = Frozen.extras(extraFields);
        }

        public static Part text(String text) {
            return new Part("text", text, Map.of());
        }
    }
}
