package io.friendliflink.emulator.model;

import java.util.List;

/**
 * A built-in tool of tool-assisted chat that the model called, and what it returned.
 *
 * @param name the tool type, e.g. {@code math:calculator}
 * @param parameters name/value pairs as the {@code tool_status} event lists them
 * @param result the tool's output text; {@code null} when {@code errorMessage} is set
 */
public record BuiltInToolRun(
        String toolCallId, String name, List<Parameter> parameters, String result, String errorMessage) {
    public BuiltInToolRun {
        parameters = List.copyOf(parameters);
    }

    public record Parameter(String name, String value) {}
}
