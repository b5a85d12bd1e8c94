package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of {@code messages}.
 *
 * @param role who speaks
 * @param content the text or content parts, or {@code null} (an assistant message with only tool calls)
 * @param name the optional {@code name} of the participant
 * @param toolCalls an assistant message's {@code tool_calls}, or {@code null}
 * @param toolCallId a tool message's {@code tool_call_id}, or {@code null}
 * @param extraFields keys this version does not know, sent back unchanged
 */
public record ChatMessage(
        Role role,
        MessageContent content,
        String name,
        List<AssistantToolCall> toolCalls,
        String toolCallId,
        Map<String, JsonNode> extraFields) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        toolCalls = Frozen.list(toolCalls);
        extraFields = Frozen.extras(extraFields);
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, MessageContent.of(text), null, null, null, Map.of());
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, MessageContent.of(text), null, null, null, Map.of());
    }

    public static ChatMessage assistant(String text) {
        return new ChatMessage(Role.ASSISTANT, MessageContent.of(text), null, null, null, Map.of());
    }

    public static ChatMessage tool(String toolCallId, String text) {
        return new ChatMessage(Role.TOOL, MessageContent.of(text), null, null, toolCallId, Map.of());
    }

    /**
     * A tool call an earlier assistant turn made: {@code {"id", "type": "function", "function": {...}}}.
     *
     * @param type the call's {@code type}, {@code function} today
     */
    public record AssistantToolCall(String id, String type, FunctionCall function, Map<String, JsonNode> extraFields) {
        public AssistantToolCall {
            extraFields = Frozen.extras(extraFields);
        }

        public static AssistantToolCall function(String id, String name, String arguments) {
            return new AssistantToolCall(id, "function", new FunctionCall(name, arguments, Map.of()), Map.of());
        }
    }

    /**
     * The {@code function} of a tool call.
     *
     * @param arguments the arguments as JSON text, as the model produced them
     */
    public record FunctionCall(String name, String arguments, Map<String, JsonNode> extraFields) {
        public FunctionCall {
            extraFields = Frozen.extras(extraFields);
        }
    }
}
