package io.friendliflink.source;

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
}
