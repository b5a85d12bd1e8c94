package io.friendliflink.emulator.model;

import java.util.List;

/**
 * One of the {@code n} alternatives.
 *
 * @param seed the seed this choice was sampled with (given, or drawn)
 * @param tokens the generated tokens in order, stop phrases already removed
 * @param text the detokenized {@code tokens}; {@code null} for a chat choice that only calls tools
 * @param finishReason {@code stop}, {@code length} or {@code tool_calls}
 * @param toolCalls function calls (chat with {@code tools}); empty otherwise
 */
public record GeneratedChoice(
        int index,
        long seed,
        List<GeneratedToken> tokens,
        String text,
        String finishReason,
        List<GeneratedToolCall> toolCalls) {
    public GeneratedChoice {
        tokens = List.copyOf(tokens);
        toolCalls = List.copyOf(toolCalls);
    }
}
