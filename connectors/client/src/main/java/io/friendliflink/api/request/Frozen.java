package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable copies for record components; order of extra fields matters, so maps keep insertion order. */
final class Frozen {
    private Frozen() {}

    /** Extra fields in their given order; {@code null} and empty become the shared empty map. */
    static Map<String, JsonNode> extras(Map<String, JsonNode> extras) {
        if (extras == null || extras.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** An ordered immutable map, or {@code null} when absent (absent and empty differ on the wire). */
    static <K, V> Map<K, V> orderedMap(Map<K, V> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** An immutable list, or {@code null} when absent (absent and empty differ on the wire). */
    static <T> List<T> list(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }
}
