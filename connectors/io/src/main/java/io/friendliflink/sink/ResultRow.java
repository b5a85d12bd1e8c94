package io.friendliflink.sink;

import io.friendliflink.api.response.Choice;
import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.api.response.Usage;
import java.util.List;
import java.util.Objects;

/**
 * One succeeded request as it is written to {@code <output>/results/}.
 *
 * <p>A record of strings, numbers, records and {@code List}s, so Flink 2.x serialises it with its POJO and
 * list serializers (no Kryo); {@link ResultRowAvro} maps it onto the Parquet schema.
 *
 * @param customId the input line's {@code custom_id}
 * @param url the endpoint URL the request was sent to
 * @param model the model the endpoint reported, or {@code null} when it did not
 * @param responseId the response's {@code id}, or {@code null} when the endpoint did not send one
 * @param httpStatus status of the final attempt
 * @param attempts number of attempts sent, at least 1
 * @param latencyMs duration of the final attempt
 * @param totalMs duration from the first send to the result, retries and waits included
 * @param choices the generated alternatives in response order
 * @param usage token counts, or {@code null} when the endpoint did not report them
 * @param responseJson the response body as received, or {@code null} when it is not kept
 */
public record ResultRow(
        String customId,
        String url,
        String model,
        String responseId,
        int httpStatus,
        int attempts,
        long latencyMs,
        long totalMs,
        List<ChoiceRow> choices,
        Usage usage,
        String responseJson) {
    public ResultRow {
        Objects.requireNonNull(customId, "customId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(choices, "choices");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1 for a result, was " + attempts);
        }
        if (latencyMs < 0 || totalMs < 0) {
            throw new IllegalArgumentException(
                    "latencyMs and totalMs must not be negative, were " + latencyMs + " and " + totalMs);
        }
        choices = List.copyOf(choices);
    }

    /** The first choice's text (completion text or message content), or {@code null} without one. */
    public String text() {
        return choices.isEmpty() ? null : choices.get(0).text();
    }

    /** The first choice's {@code finish_reason}, or {@code null} without one. */
    public String finishReason() {
        return choices.isEmpty() ? null : choices.get(0).finishReason();
    }

    /** The row for one parsed result. */
    public static ResultRow of(
            String customId,
            String url,
            int httpStatus,
            int attempts,
            long latencyMs,
            long totalMs,
            InferenceResult result,
            String rawResponseJson) {
        Objects.requireNonNull(result, "result");
        List<Choice> choices = result.choices();
        ChoiceRow[] rows = new ChoiceRow[choices.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = ChoiceRow.of(choices.get(i));
        }
        return new ResultRow(
                customId,
                url,
                result.model(),
                result.id(),
                httpStatus,
                attempts,
                latencyMs,
                totalMs,
                List.of(rows),
                result.usage(),
                rawResponseJson);
    }
}
