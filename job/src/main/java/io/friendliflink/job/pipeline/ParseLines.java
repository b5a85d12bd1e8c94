package io.friendliflink.job.pipeline;

import io.friendliflink.lines.InputLine;
import io.friendliflink.lines.ParsedLine;
import io.friendliflink.lines.RequestLineParser;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Reads request lines: each becomes a request to send or the reason it cannot be. Rejected lines are not
 * written here but by {@link OneRowPerLine}, which knows whether an earlier run already wrote their row.
 */
final class ParseLines implements MapFunction<InputLine, ParsedLine> {
    private static final long serialVersionUID = 1L;

    private final RequestLineParser parser;

    ParseLines(RequestLineParser parser) {
        this.parser = parser;
    }

    @Override
    public ParsedLine map(InputLine line) {
        return parser.parse(line);
    }
}
