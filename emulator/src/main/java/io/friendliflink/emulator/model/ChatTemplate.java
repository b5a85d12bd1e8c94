package io.friendliflink.emulator.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders chat messages into the prompt text the model reads; its token count is
 * {@code usage.prompt_tokens}.
 *
 * <p>Each turn is {@code <|start|>ROLE<|sep|>CONTENT<|end|>} followed by a newline, and the prompt ends
 * with {@code <|start|>assistant<|sep|>}. Function tools, when given, come first as a {@code tools} turn
 * holding the {@code tools} array as JSON. Content given as an array of parts contributes its text parts
 * (other parts render as {@code [type]}); an assistant turn's {@code tool_calls} follow its content as
 * JSON.
 */
final class ChatTemplate {
    private ChatTemplate() {}

    static String render(JsonNode body) {
        StringBuilder out = new StringBuilder(256);
        JsonNode tools = Fields.node(body, "tools");
        if (tools != null && tools.size() > 0) {
            turn(out, "tools", tools.toString());
        }
        JsonNode messages = Fields.node(body, "messages");
        if (messages == null || !messages.isArray()) {
            throw new IllegalArgumentException("messages must be an array of messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual()) {
                throw new IllegalArgumentException("messages[" + i + "].role must be a string");
            }
            StringBuilder content = new StringBuilder(content(message.get("content")));
            JsonNode calls = message.get("tool_calls");
            if (calls != null && !calls.isNull() && calls.size() > 0) {
                content.append(calls);
            }
            turn(out, role.textValue(), content.toString());
        }
        out.append(Vocabulary.START).append("assistant").append(Vocabulary.SEPARATOR);
        return out.toString();
    }

    /** The rendering of a tool's result turn, appended after the prompt in tool-assisted chat. */
    static String toolTurn(String result) {
        StringBuilder out = new StringBuilder();
        turn(out, "tool", result);
        out.append(Vocabulary.START).append("assistant").append(Vocabulary.SEPARATOR);
        return out.toString();
    }

    static String content(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) {
            StringBuilder out = new StringBuilder();
            for (JsonNode part : content) {
                JsonNode text = part.get("text");
                if (text != null && text.isTextual()) {
                    out.append(text.textValue());
                } else {
                    out.append('[').append(part.path("type").asText("part")).append(']');
                }
            }
            return out.toString();
        }
        return content.toString();
    }

    private static void turn(StringBuilder out, String role, String content) {
        out.append(Vocabulary.START).append(role).append(Vocabulary.SEPARATOR).append(content)
                .append(Vocabulary.END).append('\n');
    }

    /** The text of the last message with role {@code user}, or "" when there is none. */
    static String lastUserMessage(JsonNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(message.path("role").asText())) {
                return content(message.get("content"));
            }
        }
        return "";
    }
}
