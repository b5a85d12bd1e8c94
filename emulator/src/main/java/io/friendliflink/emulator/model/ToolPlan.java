package io.friendliflink.emulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a chat request's tools lead to: function calls, one built-in tool run, or a plain answer.
 *
 * <p>A function counts as mentioned when the last user message contains its name, ignoring case, with
 * or without underscores read as spaces. {@code tool_choice} {@code none} disables all tools; a named
 * function is called; {@code required} calls the mentioned functions or else the first function;
 * {@code auto} (the default) calls the mentioned functions. With {@code parallel_tool_calls: false}
 * only the first is called. When no function is called and built-in tools are listed (and the choice
 * is not {@code none}), one built-in tool runs.
 *
 * @param functionsToCall the {@code function} objects (name, parameters) to call, in request order
 * @param builtInToRun the built-in tool entry to run, or null
 */
record ToolPlan(List<JsonNode> functionsToCall, JsonNode builtInToRun) {

    static ToolPlan of(JsonNode body) {
        JsonNode tools = Fields.node(body, "tools");
        if (tools == null || tools.isEmpty()) {
            return new ToolPlan(List.of(), null);
        }
        List<JsonNode> functions = new ArrayList<>();
        List<JsonNode> builtIns = new ArrayList<>();
        for (JsonNode tool : tools) {
            if ("function".equals(tool.path("type").asText())) {
                functions.add(tool.path("function"));
            } else if (BuiltInTools.isBuiltIn(tool)) {
                builtIns.add(tool);
            } else {
                throw new IllegalArgumentException("tools: unknown tool type '" + tool.path("type").asText() + "'");
            }
        }
        String message = ChatTemplate.lastUserMessage(body);
        JsonNode choice = Fields.node(body, "tool_choice");
        String mode = choice == null ? "auto" : choice.isTextual() ? choice.textValue() : "named";
        if ("none".equals(mode)) {
            return new ToolPlan(List.of(), null);
        }
        if ("named".equals(mode)) {
            return named(choice, functions, builtIns);
        }
        if (!"auto".equals(mode) && !"required".equals(mode)) {
            throw new IllegalArgumentException("tool_choice '" + mode + "' is not none, auto, required or a function");
        }
        List<JsonNode> calls = mentioned(functions, message);
        // "required" is also met by running a built-in tool, when there is one.
        if (calls.isEmpty() && "required".equals(mode) && !functions.isEmpty() && builtIns.isEmpty()) {
            calls = List.of(functions.get(0));
        }
        if (calls.size() > 1 && !Fields.bool(body, "parallel_tool_calls", true)) {
            calls = List.of(calls.get(0));
        }
        if (!calls.isEmpty()) {
            return new ToolPlan(calls, null);
        }
        return new ToolPlan(List.of(), builtIns.isEmpty() ? null : BuiltInTools.choose(builtIns, message));
    }

    private static ToolPlan named(JsonNode choice, List<JsonNode> functions, List<JsonNode> builtIns) {
        String type = choice.path("type").asText();
        if (BuiltInTools.TYPES.contains(type)) {
            for (JsonNode tool : builtIns) {
                if (type.equals(tool.path("type").asText())) {
                    return new ToolPlan(List.of(), tool);
                }
            }
            throw new IllegalArgumentException("tool_choice names built-in tool '" + type + "', which is not in tools");
        }
        String name = choice.path("function").path("name").asText(null);
        if (name == null) {
            throw new IllegalArgumentException("tool_choice must be none, auto, required or "
                    + "{\"type\":\"function\",\"function\":{\"name\":...}}, got " + choice);
        }
        for (JsonNode function : functions) {
            if (name.equals(function.path("name").asText())) {
                return new ToolPlan(List.of(function), null);
            }
        }
        throw new IllegalArgumentException("tool_choice names function '" + name + "', which is not in tools");
    }

    private static List<JsonNode> mentioned(List<JsonNode> functions, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode function : functions) {
            String name = function.path("name").asText().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && (lower.contains(name) || lower.contains(name.replace('_', ' ')))) {
                out.add(function);
            }
        }
        return out;
    }
}
