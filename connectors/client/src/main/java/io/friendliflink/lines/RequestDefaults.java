package io.friendliflink.lines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.api.ApiKind;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Body fields filled in where a request line leaves them out (a model, sampling parameters, a timeout).
 *
 * <p>Fields for every kind come first; fields for one kind (say {@code logprobs}, which is a boolean for
 * chat and an integer for completions) override them. A field the line sets is never replaced.
 */
public final class RequestDefaults implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public static final RequestDefaults NONE = new RequestDefaults(null, Map.of());

    // Jackson trees are Serializable (since 2.10), so this object can travel with a Flink function.
    private final ObjectNode common;
    private final Map<ApiKind, ObjectNode> perKind;

    /**
     * @param common fields for every kind, or {@code null}
     * @param perKind fields for one kind each; chat fields also apply to tool-assisted chat unless that
     *     kind has its own entry
     */
    public RequestDefaults(ObjectNode common, Map<ApiKind, ObjectNode> perKind) {
        this.common = common == null ? null : common.deepCopy();
        EnumMap<ApiKind, ObjectNode> copy = new EnumMap<>(ApiKind.class);
        perKind.forEach((kind, fields) -> copy.put(kind, fields.deepCopy()));
        if (!copy.containsKey(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS) && copy.containsKey(ApiKind.CHAT_COMPLETIONS)) {
            copy.put(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, copy.get(ApiKind.CHAT_COMPLETIONS));
        }
        this.perKind = copy;
    }

    /** Fills {@code body} in place. */
    void applyTo(ApiKind kind, ObjectNode body) {
        ObjectNode specific = perKind.get(kind);
        if (specific != null) {
            fill(specific, body);
        }
        if (common != null) {
            fill(common, body);
        }
    }

    private static void fill(ObjectNode from, ObjectNode body) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!body.has(field.getKey())) {
                body.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    @Override
    public String toString() {
        return "RequestDefaults{common=" + common + ", perKind=" + perKind + '}';
    }
}
