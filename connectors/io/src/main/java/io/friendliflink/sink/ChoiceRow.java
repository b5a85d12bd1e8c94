package io.friendliflink.sink;

import io.friendliflink.api.response.Choice;
import io.friendliflink.api.response.TokenLogprob;
import io.friendliflink.api.response.ToolCall;
import java.util.List;

/**
 * One generated alternative as it is stored in a results row.
 *
 * <p>Tool calls and log-probabilities keep the API model's records: they are already immutable, and
 * sharing them avoids copying the largest part of a response (the per-token log-probabilities) into a
 * second object tree on the hot path. Flink serialises all of them as POJOs (records) without Kryo.
 *
 * @param index the choice's position in the response
 * @param finishReason {@code stop}, {@code length}, {@code tool_calls}, or {@code null} when not reported
 * @param text completion text or chat message content; {@code null} when a chat message has only tool calls
 * @param role the chat message's role, {@code null} for completions
 * @param seed the seed used, or {@code null}
 * @param tokens generated token ids, or {@code null} when not reported
 * @param toolCalls the chat message's tool calls; empty when none
 * @param logprobs per-token log-probabilities with their top alternatives, or {@code null} when not asked for
 */
public record ChoiceRow(
        int index,
        String finishReason,
        String text,
        String role,
        Long seed,
        List<Integer> tokens,
        List<ToolCall> toolCalls,
        List<TokenLogprob> logprobs) {
    public ChoiceRow {
        tokens = tokens == null ? null : List.copyOf(tokens);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        logprobs = logprobs == null ? null : List.copyOf(logprobs);
    }

    /** The row for one parsed choice; shares the choice's immutable lists. */
    public static ChoiceRow of(Choice choice) {
        return new ChoiceRow(
                choice.index(),
                choice.finishReason(),
                choice.text(),
                choice.role(),
                choice.seed(),
                choice.tokens(),
                choice.toolCalls(),
                choice.logprobs() == null ? null : choice.logprobs().content());
    }
}
