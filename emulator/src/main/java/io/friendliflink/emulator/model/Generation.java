package io.friendliflink.emulator.model;

import java.util.List;

/**
 * Everything the model produced for one request, before the server shapes it into JSON or SSE.
 *
 * @param promptTokens the number of prompt tokens (the chat template's rendering, for chat)
 * @param toolRuns built-in tools the model "ran" (tool-assisted chat), in order; empty otherwise
 */
public record Generation(int promptTokens, List<GeneratedChoice> choices, List<BuiltInToolRun> toolRuns) {
    public Generation {
        choices = List.copyOf(choices);
        toolRuns = List.copyOf(toolRuns);
    }

    /** Output tokens over all choices, as {@code usage.completion_tokens} counts them. */
    public int completionTokens() {
        int total = 0;
        for (GeneratedChoice c : choices) {
            total += c.tokens().size();
        }
        return total;
    }
}
