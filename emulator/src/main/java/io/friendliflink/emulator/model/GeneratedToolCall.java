package io.friendliflink.emulator.model;

/**
 * A function call in a chat answer.
 *
 * @param argumentsJson the arguments object as JSON text, valid against the function's parameters
 */
public record GeneratedToolCall(String id, String name, String argumentsJson) {}
