package io.friendliflink.lines;

/** What {@link RequestLineParser} made of one line: exactly one of the two is set. */
public record ParsedLine(RequestLine accepted, RejectedLine rejected) {
    static ParsedLine accept(RequestLine line) {
        return new ParsedLine(line, null);
    }

    static ParsedLine reject(RejectedLine line) {
        return new ParsedLine(null, line);
    }

    public boolean isAccepted() {
        return accepted != null;
    }

    /** The line's {@code custom_id}, or {@code null} when it could not be read that far. */
    public String customId() {
        return accepted != null ? accepted.customId() : rejected.customId();
    }

    /** Where the line was read, or {@code null} when unknown. */
    public String source() {
        return accepted != null ? accepted.source() : rejected.source();
    }

    /** The input line as an error row keeps it (shortened to the configured size). */
    public String rawLine() {
        return accepted != null ? accepted.rawLine() : rejected.rawLine();
    }

    /**
     * What the line is known by: its {@code custom_id}, or for a line without one, where it was read and what it
     * says ({@link #lineKey(String, String)}). Lines that share a key are one request: the first is sent,
     * any other is a duplicate.
     */
    public String key() {
        String id = customId();
        return id != null ? id : lineKey(source(), rawLine());
    }

    /**
     * The key of a line without a {@code custom_id}: its source and text, so that a rerun over the same file
     * recognises the line that an error row already describes. It starts with a character no {@code custom_id}
     * read from JSON text can hold unescaped, so it cannot be mistaken for one.
     */
    public static String lineKey(String source, String rawLine) {
        return "\u0000" + (source == null ? "" : source) + "\n" + rawLine;
    }
}
