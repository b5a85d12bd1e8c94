package io.friendliflink.api.response;

/**
 * Token counts the endpoint reports for one request.
 *
 * @param cachedTokens {@code usage.prompt_tokens_details.cached_tokens}, or {@code null} when absent
 */
public record Usage(int promptTokens, int completionTokens, int totalTokens, Integer cachedTokens) {}
