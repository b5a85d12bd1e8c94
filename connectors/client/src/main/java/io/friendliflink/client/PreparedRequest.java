package io.friendliflink.client;

import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.ChatCompletionsRequest;
import io.friendliflink.api.request.ChatMessage;
import io.friendliflink.api.request.CheckedRequest;
import io.friendliflink.api.request.CompletionsRequest;
import io.friendliflink.api.request.InferenceRequest;
import io.friendliflink.api.request.MessageContent;
import io.friendliflink.api.request.Prompt;
import io.friendliflink.api.request.RequestCheck;
import io.friendliflink.api.request.RequestJson;
import java.io.Serializable;

/**
 * A request that passed the API's rules, written once as the bytes to send, with what pacing needs from it.
 *
 * <p>Made from a typed request ({@link #of}) or from a request line's checked body ({@link #ofChecked}); from
 * then on nothing reads the request's JSON again.
 *
 * @param kind the operation
 * @param path the full endpoint path to send to ({@code /dedicated/v1/completions}), or {@code null} for the
 *     configured endpoint's path for {@code kind}
 * @param body the request as JSON bytes
 * @param model the request's {@code model}
 * @param stream whether the request asks for {@code stream: true}
 * @param maxTokens {@code max_tokens} (or {@code max_total_tokens}), or {@code null}: the token budget's
 *     estimate needs it
 * @param promptChars the length of the prompt text in characters: the token budget's estimate needs it
 * @param timeoutMicros {@code timeout_microseconds}, or 0 when it set none: a {@code 429} that came after
 *     waiting that long is the endpoint's queue timing out, which the concurrency limit answers
 * @param choices {@code n}, the choices asked for (1 when unset): the most output is {@code max_tokens} times it
 */
public record PreparedRequest(
        ApiKind kind,
        String path,
        byte[] body,
        String model,
        boolean stream,
        Integer maxTokens,
        int promptChars,
        long timeoutMicros,
        int choices) implements Serializable {

    /** A request of one choice. */
    public PreparedRequest(ApiKind kind, String path, byte[] body, String model, boolean stream, Integer maxTokens,
            int promptChars, long timeoutMicros) {
        this(kind, path, body, model, stream, maxTokens, promptChars, timeoutMicros, 1);
    }

    /** The prompt's tokens as the budgets and the spending cap estimate them: about four characters a token. */
    public long promptTokenEstimate() {
        return (promptChars + 3) / 4;
    }

    /** The most tokens the request may generate: {@code max_tokens}, else {@code defaultMaxTokens}, times {@code n}. */
    public long maxOutputTokens(int defaultMaxTokens) {
        return (long) (maxTokens != null ? maxTokens : defaultMaxTokens) * choices;
    }

    /**
     * Checks {@code request} and writes it, for the configured endpoint's path.
     *
     * @throws io.friendliflink.api.request.InvalidRequestException listing every rule it breaks
     */
    public static PreparedRequest of(InferenceRequest request) {
        return write(RequestCheck.requireValid(request), null);
    }

    /** A request whose body {@link RequestCheck#check(ApiKind, com.fasterxml.jackson.databind.JsonNode)} found valid. */
    public static PreparedRequest ofChecked(CheckedRequest checked, String path) {
        if (!checked.isValid()) {
            throw new IllegalArgumentException("the request breaks rules: " + checked.violations());
        }
        return write(checked.request(), path);
    }

    private static PreparedRequest write(InferenceRequest request, String path) {
        return new PreparedRequest(request.kind(), path, RequestJson.write(request), request.model(),
                request.isStream(), maxTokens(request), promptChars(request), timeoutMicros(request),
                request.common().n() != null && request.common().n() > 0 ? request.common().n() : 1);
    }

    private static long timeoutMicros(InferenceRequest request) {
        Long timeout = request.common().timeoutMicroseconds();
        return timeout != null && timeout > 0 ? timeout : 0;
    }

    /** {@code max_tokens}, else {@code max_total_tokens} (which includes the prompt: an over-estimate, on the safe side). */
    private static Integer maxTokens(InferenceRequest request) {
        Integer maxTokens = request.common().maxTokens();
        if (maxTokens == null && request instanceof CompletionsRequest completions) {
            return completions.maxTotalTokens();
        }
        return maxTokens;
    }

    /** The characters of prompt text, for the token budget's estimate; token ids count as four each. */
    private static int promptChars(InferenceRequest request) {
        int chars = 0;
        if (request instanceof CompletionsRequest completions) {
            if (completions.prompt() instanceof Prompt.Text text) {
                chars += text.text().length();
            } else if (completions.prompt() instanceof Prompt.Texts texts) {
                for (String text : texts.texts()) {
                    chars += text.length();
                }
            }
            chars += completions.tokens() == null ? 0 : 4 * completions.tokens().size();
        } else if (request instanceof ChatCompletionsRequest chat) {
            for (ChatMessage message : chat.messages()) {
                chars += textLength(message.content());
            }
        }
        return chars;
    }

    private static int textLength(MessageContent content) {
        if (content instanceof MessageContent.Text text) {
            return text.text().length();
        }
        int chars = 0;
        if (content instanceof MessageContent.Parts parts) {
            for (MessageContent.Part part : parts.parts()) {
                chars += part.text() == null ? 0 : part.text().length();
            }
        }
        return chars;
    }
}
