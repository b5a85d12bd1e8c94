package io.friendliflink.source;

import io.friendliflink.api.ApiKind;

/**
 * One accepted input line: a request ready to send.
 *
 * @param customId the line's {@code custom_id}, unique within a run
 * @param url the line's {@code url} as written, kept for the output
 * @param kind the operation the url names
 * @param path the full endpoint path when the url named one ({@code /dedicated/v1/completions}), or
 *     {@code null} to use the configured endpoint's path for {@code kind}
 * @param body the checked request body with configured defaults filled in, as JSON bytes to send
 * @param model the body's {@code model}
 * @param stream whether the body asks for {@code stream: true}
 * @param maxTokens the body's {@code max_tokens} (or {@code max_total_tokens}), or {@code null}: the token
 *     budget's estimate needs it
 * @param promptChars the length of the prompt text in characters: the token budget's estimate needs it
 * @param timeoutMicros the body's {@code timeout_microseconds}, or 0 when it set none: a {@code 429} that came
 *     after waiting that long is the endpoint's queue timing out, which the concurrency limit answers
 * @param rawLine the input line, shortened to the configured size, for an error row if the call fails
 * @param source where the line was read (see {@link InputLine#source()}), or {@code null}
 */
public record RequestLine(
        String customId,
        String url,
        ApiKind kind,
        String path,
        byte[] body,
        String model,
        boolean stream,
        Integer maxTokens,
        int promptChars,
        long timeoutMicros,
        String rawLine,
        String source) {}
