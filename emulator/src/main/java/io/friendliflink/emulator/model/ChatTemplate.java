package io.friendliflink.emulator.model;

import io.friendliflink.api.request.ChatCompletionsRequest;
import io.friendliflink.api.request.ChatMessage;
import io.friendliflink.api.request.MessageContent;
import io.friendliflink.api.request.RequestJson;
import io.friendliflink.api.request.Role;

/**
 * Renders chat messages into the prompt text the model reads; its token count is
 * {@code usage.prompt_tokens}.
 *
 * <p>Each turn is {@code <|start|>ROLE<|sep|>CONTENT<|end|>} followed by a newline, and the prompt ends
 * with {@code <|start|>assistant<|sep|>}. Tools, when given, come first as a {@code tools} turn holding the
 * {@code tools} array as JSON. Content given as an array of parts contributes its text parts (other parts
 * render as {@code [type]}); an assistant turn's {@code tool_calls} follow its content as JSON.
 */
final class ChatTemplate {
    private ChatTemplate() {}

    static String render(ChatCompletionsRequest request) {
        StringBuilder out = new StringBuilder(256);
        if (request.tools() != null && !request.tools().isEmpty()) {
            turn(out, "tools", RequestJson.toolsJson(request.tools()));
        }
        for (ChatMessage message : request.messages()) {
            StringBuilder content = new StringBuilder(content(message.content()));
            if (message.toolCalls() != null && !message.toolCalls().isEmpty()) {
                content.append(RequestJson.toolCallsJson(message.toolCalls()));
            }
            turn(out, message.role().wireName(), content.toString());
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

    static String content(MessageContent content) {
        if (content instanceof MessageContent.Text text) {
            return text.text();
        }
        StringBuilder out = new StringBuilder();
        if (content instanceof MessageContent.Parts parts) {
            for (MessageContent.Part part : parts.parts()) {
                if (part.text() != null) {
                    out.append(part.text());
                } else {
                    out.append('[').append(part.type()).append(']');
                }
            }
        }
        return out.toString();
    }

    private static void turn(StringBuilder out, String role, String content) {
        out.append(Vocabulary.START).append(role).append(Vocabulary.SEPARATOR).append(content)
                .append(Vocabulary.END).append('\n');
    }

    /** The text of the last message with role {@code user}, or "" when there is none. */
    static String lastUserMessage(ChatCompletionsRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            ChatMessage message = request.messages().get(i);
            if (message.role() == Role.USER) {
                return content(message.content());
            }
        }
        return "";
    }
}
