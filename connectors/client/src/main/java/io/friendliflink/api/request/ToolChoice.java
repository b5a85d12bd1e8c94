package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/** The {@code tool_choice} field: a mode, or one named function the model must call. */
public sealed interface ToolChoice {

    static ToolChoice function(String name) {
        return new Function(name, Map.of(), Map.of());
    }

    /** {@code "none"}, {@code "auto"} or {@code "required"}. */
    enum Mode implements ToolChoice {
        NONE("none"),
        AUTO("auto"),
        REQUIRED("required");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Mode fromWire(String name) {
            for (Mode mode : values()) {
                if (mode.wireName.equals(name)) {
                    return mode;
                }
            }
            return null;
        }
    }

    /**
     * {@code {"type": "function", "function": {"name": "..."}}}.
     *
     * @param functionExtraFields other keys of the inner {@code function} object, sent back unchanged
     * @param extraFields other keys of the outer object, sent back unchanged
     */
    record Function(String name, Map<String, JsonNode> functionExtraFields, Map<String, JsonNode> extraFields)
            implements ToolChoice {
        public Function {
            Objects.requireNonNull(name, "name");
            functionExtraFields = Frozen.extras(functionExtraFields);
            extraFields = Frozen.extras(extraFields);
        }
    }
}
