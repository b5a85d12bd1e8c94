package io.friendliflink.emulator.wire;

/**
 * One server-sent event, ready to write, and the generation step it belongs to.
 *
 * @param step the output token step whose time it waits for; {@code -1} goes out as soon as the
 *     response starts (tool status events)
 * @param bytes {@code [event: ...\n]data: ...\n\n} in UTF-8
 */
public record SseFrame(int step, byte[] bytes) {}
