package io.friendliflink.api.sse;

import io.friendliflink.api.response.MalformedBodyException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Splits a {@code text/event-stream} byte stream into {@link SseEvent}s as bytes arrive.
 *
 * <p>Bytes may arrive in any split, including inside a UTF-8 sequence or between {@code \r} and
 * {@code \n}. Follows the WHATWG parsing rules: a line ends with {@code \n}, {@code \r\n} or {@code \r};
 * a blank line dispatches the event; {@code data:} lines are joined with {@code \n}; one space after the
 * colon is dropped; comment lines ({@code :...}) are skipped; a leading byte-order mark is skipped. An
 * event without any {@code data:} line is not dispatched. {@code id:} and {@code retry:} are ignored: this
 * client never reconnects a stream, it retries the whole request.
 *
 * <p>A line is decoded only once it is complete, which is what makes split UTF-8 sequences safe (a line
 * end byte never occurs inside one). A complete line inside one {@link #feed} is decoded straight from the
 * caller's array; only a line cut by a feed boundary is copied, into a buffer reused for the whole stream.
 * Not thread-safe: one instance per stream.
 *
 * <pre>{@code
 * SseParser parser = new SseParser(assembler::accept);
 * parser.feed(bytes, 0, bytes.length); // as often as bytes arrive
 * parser.end();
 * }</pre>
 */
public final class SseParser {
    /** The default bound on one event's bytes, so a stream without line ends cannot take all memory. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final Consumer<SseEvent> sink;
    private final int maxEventBytes;

    /** The part of a line that arrived before the current feed. */
    private byte[] pending = new byte[256];

    private int pendingLength;
    /** The last byte of the previous feed was {@code \r}: a {@code \n} starting this feed ends no new line. */
    private boolean afterCr;

    private boolean firstLine = true;
    private long eventBytes;
    private String eventType;
    private String firstData;
    private final StringBuilder joinedData = new StringBuilder();
    private int dataLines;

    public SseParser(Consumer<SseEvent> sink) {
        this(sink, DEFAULT_MAX_EVENT_BYTES);
    }

    /** @param maxEventBytes the most bytes one event (all its lines) may have; more is a malformed stream */
    public SseParser(Consumer<SseEvent> sink, int maxEventBytes) {
        this.sink = Objects.requireNonNull(sink, "sink");
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be > 0, was " + maxEventBytes);
        }
        this.maxEventBytes = maxEventBytes;
    }

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /**
     * @throws MalformedBodyException when an event grows beyond the bound on its size
     */
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int end = offset + length;
        int i = offset;
        if (afterCr && i < end) {
            afterCr = false;
            if (bytes[i] == LF) {
                i++;
            }
        }
        int lineStart = i;
        while (i < end) {
            byte b = bytes[i];
            if (b != LF && b != CR) {
                i++;
                continue;
            }
            if (pendingLength == 0) {
                line(bytes, lineStart, i);
            } else {
                keep(bytes, lineStart, i);
                line(pending, 0, pendingLength);
                pendingLength = 0;
            }
            i++;
            if (b == CR) {
                if (i == end) {
                    afterCr = true;
                } else if (bytes[i] == LF) {
                    i++;
                }
            }
            lineStart = i;
        }
        keep(bytes, lineStart, end);
    }

    /** The stream ended: dispatches a last event that was not followed by a blank line. */
    public void end() {
        afterCr = false;
        if (pendingLength > 0) {
            line(pending, 0, pendingLength);
            pendingLength = 0;
        }
        dispatch();
    }

    private void keep(byte[] bytes, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        int needed = pendingLength + n;
        checkSize(eventBytes + needed);
        if (needed > pending.length) {
            // Doubling keeps a long line linear in its length.
            pending = Arrays.copyOf(pending, Math.max(needed, pending.length * 2));
        }
        System.arraycopy(bytes, from, pending, pendingLength, n);
        pendingLength = needed;
    }

    private void checkSize(long bytes) {
        if (bytes > maxEventBytes) {
            throw new MalformedBodyException(
                    "event-stream event exceeds maxEventBytes=" + maxEventBytes + " without ending");
        }
    }

    private void line(byte[] buf, int start, int end) {
        if (firstLine) {
            firstLine = false;
            if (end - start >= 3 && buf[start] == (byte) 0xEF && buf[start + 1] == (byte) 0xBB
                    && buf[start + 2] == (byte) 0xBF) {
                start += 3;
            }
        }
        if (start == end) {
            dispatch();
            return;
        }
        eventBytes += end - start;
        checkSize(eventBytes);
        if (buf[start] == ':') {
            return;
        }
        int colon = start;
        while (colon < end && buf[colon] != ':') {
            colon++;
        }
        int valueStart = colon < end ? colon + 1 : end;
        if (valueStart < end && buf[valueStart] == ' ') {
            valueStart++;
        }
        if (fieldIs(buf, start, colon, "data")) {
            data(new String(buf, valueStart, end - valueStart, StandardCharsets.UTF_8));
        } else if (fieldIs(buf, start, colon, "event")) {
            eventType = new String(buf, valueStart, end - valueStart, StandardCharsets.UTF_8);
        }
    }

    private static boolean fieldIs(byte[] buf, int start, int end, String name) {
        if (end - start != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (buf[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void data(String value) {
        if (dataLines == 0) {
            firstData = value;
        } else {
            if (dataLines == 1) {
                joinedData.setLength(0);
                joinedData.append(firstData);
            }
            joinedData.append('\n').append(value);
        }
        dataLines++;
    }

    private void dispatch() {
        if (dataLines > 0) {
            String data = dataLines == 1 ? firstData : joinedData.toString();
            String type = eventType == null || eventType.isEmpty() ? null : eventType;
            resetEvent();
            sink.accept(new SseEvent(type, data));
        } else {
            resetEvent();
        }
    }

    private void resetEvent() {
        eventType = null;
        firstData = null;
        dataLines = 0;
        eventBytes = 0;
        if (joinedData.capacity() > 64 * 1024) {
            joinedData.setLength(0);
            joinedData.trimToSize();
        }
    }
}
