package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code stop_tokens} or {@code bad_word_tokens}: {@code {"tokens": [int, ...]}}.
 *
 * @param tokens the token ids, or {@code null} when the entry has none
 * @param extraFields keys of the entry this version does not know, sent back unchanged
 */
public record TokenSequence(List<Integer> tokens, Map<String, JsonNode> extraFields) {
    public TokenSequence {
        tokens = Frozen.list(tokens);
        extraFields = Frozen.extras(extraFields);
    }

    public static TokenSequence of(List<Integer> tokens) {
        return new TokenSequence(tokens, Map.of());
    }
}
