package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The {@code stream_options} object; only allowed with {@code stream: true}.
 *
 * @param includeUsage {@code include_usage}: end the stream with a chunk that carries {@code usage}
 * @param extraFields keys this version does not know, sent back unchanged
 */
public record StreamOptions(Boolean includeUsage, Map<String, JsonNode> extraFields) {
    public StreamOptions {
        extraFields = Frozen.extras(extraFields);
    }

    public static StreamOptions includeUsage(boolean includeUsage) {
        return new StreamOptions(includeUsage, Map.of());
    }
}
