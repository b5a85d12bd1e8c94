package io.friendliflink.api;

/**
 * The operations of the Friendli inference API that this project speaks.
 *
 * <p>The kind decides the request type, the validation rules and the path on an endpoint; see {@code
 * io.friendliflink.client.EndpointConfig} for how a kind maps onto a URL.
 */
public enum ApiKind {
    /** {@code /v1/completions}: {@code prompt} or {@code tokens} in, text out. */
    COMPLETIONS,
    /** {@code /v1/chat/completions}: messages in, a message out. */
    CHAT_COMPLETIONS,
    /** {@code /serverless/tools/v1/chat/completions}: chat with built-in tools (beta, serverless only). */
    TOOL_ASSISTED_CHAT_COMPLETIONS,
    /** {@code /v1/tokenize}: text to token ids. */
    TOKENIZE,
    /** {@code /v1/detokenize}: token ids to text. */
    DETOKENIZE;

    /** Whether this kind generates text (and so has a request body with sampling parameters). */
    public boolean isGeneration() {
        return this == COMPLETIONS || this == CHAT_COMPLETIONS || this == TOOL_ASSISTED_CHAT_COMPLETIONS;
    }

    /** Whether the request and response are chat-shaped (messages, {@code choices[].message}). */
    public boolean isChat() {
        return this == CHAT_COMPLETIONS || this == TOOL_ASSISTED_CHAT_COMPLETIONS;
    }
}
