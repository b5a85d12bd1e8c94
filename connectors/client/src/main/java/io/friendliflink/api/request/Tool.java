package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of {@code tools}: a function the model may call, or (tool-assisted chat only) a built-in tool.
 *
 * <p>Every variant keeps the keys it does not know in {@code extraFields}, sent back unchanged.
 */
public sealed interface Tool {

    /** The wire value of {@code type}. */
    default String type() {
        if (this instanceof BuiltIn builtIn) {
            return builtIn.tool().wireName();
        }
        return this instanceof Function ? "function" : "file:text";
    }

    Map<String, JsonNode> extraFields();

    static Tool function(String name, String description, JsonNode parameters) {
        return new Function(new FunctionSpec(name, description, parameters, Map.of()), Map.of());
    }

    static Tool builtIn(BuiltInTool tool) {
        return new BuiltIn(tool, Map.of());
    }

    static Tool fileText(List<String> fileIds) {
        return new FileText(fileIds, Map.of());
    }

    /** Whether this is a built-in tool, which only tool-assisted chat accepts. */
    default boolean isBuiltIn() {
        return !(this instanceof Function);
    }

    /** {@code {"type": "function", "function": {"name", "description", "parameters"}}}. */
    record Function(FunctionSpec function, Map<String, JsonNode> extraFields) implements Tool {
        public Function {
            Objects.requireNonNull(function, "function");
            extraFields = Frozen.extras(extraFields);
        }
    }

    /**
     * The {@code function} object of a function tool.
     *
     * @param parameters the JSON Schema of the arguments, or {@code null}; shared, not copied
     * @param extraFields other keys (e.g. {@code strict}), sent back unchanged
     */
    record FunctionSpec(String name, String description, JsonNode parameters, Map<String, JsonNode> extraFields) {
        public FunctionSpec {
            extraFields = Frozen.extras(extraFields);
        }
    }

    /** A built-in tool without settings, e.g. {@code {"type": "math:calculator"}}. */
    record BuiltIn(BuiltInTool tool, Map<String, JsonNode> extraFields) implements Tool {
        public BuiltIn {
            Objects.requireNonNull(tool, "tool");
            extraFields = Frozen.extras(extraFields);
        }
    }

    /** {@code {"type": "file:text", "files": ["file id", ...]}}: search in uploaded files. */
    record FileText(List<String> files, Map<String, JsonNode> extraFields) implements Tool {
        public FileText {
            files = Frozen.list(files);
            extraFields = Frozen.extras(extraFields);
        }
    }
}
