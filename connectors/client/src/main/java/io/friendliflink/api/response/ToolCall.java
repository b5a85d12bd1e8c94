package io.friendliflink.api.response;

/**
 * A function call the model asked for.
 *
 * @param arguments the arguments as the JSON text the model produced (not parsed: it may be invalid)
 */
public record ToolCall(String id, String type, String name, String arguments) {}
