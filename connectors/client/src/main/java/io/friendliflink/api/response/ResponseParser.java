package io.friendliflink.api.response;

import io.friendliflink.api.ApiKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Parses a non-streaming completions or chat response body into an {@link InferenceResult}.
 *
 * <p>Reads the body with Jackson's streaming parser from one shared factory; unknown fields are skipped.
 * Choices come out ordered by {@code index}. Logprobs of every shape map onto {@link Logprobs} (see
 * {@link TokenLogprob}); a JSON {@code null} logprob, as the first token of an echoed prompt has, becomes
 * {@code NaN}, so a sum over it is {@code NaN} rather than silently wrong.
 *
 * <pre>{@code
 * InferenceResult r = ResponseParser.parse(ApiKind.CHAT_COMPLETIONS, body);
 * String answer = r.choices().get(0).text();
 * }</pre>
 */
public final class ResponseParser {
    private ResponseParser() {}

    /**
     * @param kind a generation kind; the result's {@code object} defaults to its name when the body has none
     * @throws MalformedBodyException when the body is not valid JSON of the documented shape
     */
    public static InferenceResult parse(ApiKind kind, byte[] json) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(json, "json");
        if (!kind.isGeneration()) {
            throw new IllegalArgumentException("kind must be a completions or chat kind, was " + kind);
        }
        ResultAccumulator result = new ResultAccumulator();
        if (result.merge(json) == ResultAccumulator.Merged.ERROR) {
            throw new MalformedBodyException(
                    "response body is an error, not a result: " + ErrorBodyParser.parse(json).message());
        }
        if (!result.sawChoices()) {
            throw new MalformedBodyException("response body has no \"choices\" array: "
                    + JsonReading.shorten(new String(json, StandardCharsets.UTF_8), 200));
        }
        String object = result.object() != null ? result.object() : objectName(kind);
        return result.build(object, List.of());
    }

    /** The {@code object} a non-stream response of this kind reports. */
    public static String objectName(ApiKind kind) {
        return kind.isChat() ? "chat.completion" : "text_completion";
    }
}
