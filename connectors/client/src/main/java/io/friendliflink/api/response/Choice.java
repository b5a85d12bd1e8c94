package io.friendliflink.api.response;

import java.util.List;

/**
 * One generated alternative of a completions or chat result.
 *
 * @param text the completion text, or the chat message's {@code content} ({@code null} when a chat
 *     message has only tool calls)
 * @param role the chat message's role, {@code null} for completions
 * @param finishReason {@code stop}, {@code length}, {@code tool_calls}, or {@code null} when not reported
 * @param seed the seed used (completions), or {@code null}
 * @param tokens the generated token ids (completions), or {@code null}
 * @param toolCalls the chat message's tool calls; empty when none
 * @param logprobs the token log-probabilities, or {@code null} when not asked for
 */
public record Choice(
        int index,
        String text,
        String role,
        String finishReason,
        Long seed,
        List<Integer> tokens,
        List<ToolCall> toolCalls,
        Logprobs logprobs) {
    public Choice {
        tokens = tokens == null ? null : List.copyOf(tokens);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
}
