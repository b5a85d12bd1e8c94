package io.friendliflink.emulator.model;

import io.friendliflink.api.request.ChatCompletionsRequest;
import io.friendliflink.api.request.Tool;
import io.friendliflink.api.request.ToolChoice;
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
 * is not {@code none}), one built-in tool runs. The shared rules have already made sure a named function
 * is in {@code tools}.
 *
 * @param functionsToCall the functions to call, in request order
 * @param builtInToRun the built-in tool to run, or null
 */
record ToolPlan(List<Tool.FunctionSpec> functionsToCall, Tool builtInToRun) {

    static ToolPlan of(ChatCompletionsRequest request) {
        List<Tool> tools = request.tools();
        ToolChoice choice = request.toolChoice() == null ? ToolChoice.Mode.AUTO : request.toolChoice();
        if (tools == null || tools.isEmpty() || choice == ToolChoice.Mode.NONE) {
            return new ToolPlan(List.of(), null);
        }
        List<Tool.FunctionSpec> functions = new ArrayList<>();
        List<Tool> builtIns = new ArrayList<>();
        for (Tool tool : tools) {
            if (tool instanceof Tool.Function function) {
                functions.add(function.function());
            } else {
                builtIns.add(tool);
            }
        }
        if (choice instanceof ToolChoice.Function named) {
            return new ToolPlan(List.of(functionNamed(named.name(), functions)), null);
        }
        String message = ChatTemplate.lastUserMessage(request);
        List<Tool.FunctionSpec> calls = mentioned(functions, message);
        // "required" is also met by running a built-in tool, when there is one.
        if (calls.isEmpty() && choice == ToolChoice.Mode.REQUIRED && !functions.isEmpty() && builtIns.isEmpty()) {
            calls = List.of(functions.get(0));
        }
        if (calls.size() > 1 && Boolean.FALSE.equals(request.parallelToolCalls())) {
            calls = List.of(calls.get(0));
        }
        if (!calls.isEmpty()) {
            return new ToolPlan(calls, null);
        }
        return new ToolPlan(List.of(), builtIns.isEmpty() ? null : BuiltInTools.choose(builtIns, message));
    }

    private static Tool.FunctionSpec functionNamed(String name, List<Tool.FunctionSpec> functions) {
        for (Tool.FunctionSpec function : functions) {
            if (name.equals(function.name())) {
                return function;
            }
        }
        throw new IllegalStateException("tool_choice names '" + name + "', which RequestCheck found in tools");
    }

    private static List<Tool.FunctionSpec> mentioned(List<Tool.FunctionSpec> functions, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        List<Tool.FunctionSpec> out = new ArrayList<>();
        for (Tool.FunctionSpec function : functions) {
            String name = function.name().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && (lower.contains(name) || lower.contains(name.replace('_', ' ')))) {
                out.add(function);
            }
        }
        return out;
    }
}
