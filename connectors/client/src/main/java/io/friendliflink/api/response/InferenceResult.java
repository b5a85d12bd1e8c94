package io.friendliflink.api.response;

import java.util.List;

/**
 * The result of one completions or chat call, the same whether it arrived as one JSON body or as a stream.
 *
 * @param object {@code text_completion} or {@code chat.completion} (streams are reported as the latter's
 *     non-stream name)
 * @param created unix seconds, or {@code null} when the endpoint did not say
 * @param usage token counts, or {@code null} when the endpoint did not report them
 * @param toolStatusEvents tool-assisted chat's {@code tool_status} events in arrival order; empty otherwise
 */
public record InferenceResult(
        String id,
        String object,
        String model,
        Long created,
        List<Choice> choices,
        Usage usage,
        List<ToolStatusEvent> toolStatusEvents) {
    public InferenceResult {
        choices = List.copyOf(choices);
        toolStatusEvents = toolStatusEvents == null ? List.of() : List.copyOf(toolStatusEvents);
    }
}
