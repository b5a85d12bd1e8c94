package io.friendliflink.api.sse;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, or {@code null} for the default ("message")
 * @param data the {@code data:} lines joined with {@code \n}
 */
public record SseEvent(String event, String data) {}
