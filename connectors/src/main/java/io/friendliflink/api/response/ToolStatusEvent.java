package io.friendliflink.api.response;

import java.util.List;

/**
 * A {@code tool_status} event of tool-assisted chat: a built-in tool started, progressed, ended or failed.
 *
 * @param status {@code STARTED}, {@code UPDATING}, {@code ENDED} or {@code ERRORED}
 * @param parameters the tool's parameters as name/value pairs, in the order sent
 * @param result the tool's result text, or {@code null}
 * @param errorType {@code error.type}, or {@code null}
 * @param errorMessage {@code error.msg}, or {@code null}
 * @param rawJson the event's data exactly as received, so nothing the endpoint adds is lost
 */
public record ToolStatusEvent(
        String toolCallId,
        String name,
        String status,
        List<Parameter> parameters,
        String result,
        String message,
        String errorType,
        String errorMessage,
        Long timestamp,
        String rawJson) {
    public ToolStatusEvent {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    /** One {@code {"name","value"}} entry of {@code parameters}. */
    public record Parameter(String name, String value) {}
}
