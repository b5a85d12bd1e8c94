package io.friendliflink.job.pipeline;

import io.friendliflink.sink.ErrorRow;
import io.friendliflink.source.ParsedLine;
import io.friendliflink.source.RejectedLine;
import io.friendliflink.source.RequestLine;
import io.friendliflink.source.RequestLineParser;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Reads request lines; a line that cannot be sent goes to the error output with its reason. */
final class ParseLines extends ProcessFunction<String, RequestLine> {
    private static final long serialVersionUID = 1L;
    static final OutputTag<ErrorRow> REJECTED = new OutputTag<>("rejected-lines") {};

    private final RequestLineParser parser;
    private transient RunCounters counters;

    ParseLines(RequestLineParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(OpenContext openContext) {
        counters = new RunCounters(getRuntimeContext());
    }

    @Override
    public void processElement(String line, Context ctx, Collector<RequestLine> out) {
        ParsedLine parsed = parser.parse(line);
        if (parsed.isAccepted()) {
            out.collect(parsed.accepted());
            return;
        }
        RejectedLine r = parsed.rejected();
        counters.add(RunCounters.LINES_REJECTED, 1);
        counters.add(RunCounters.ERRORS_PREFIX + r.errorType(), 1);
        ctx.output(REJECTED, ErrorRow.badLine(r.customId(), r.errorType(), r.message(), r.rawLine()));
    }
}
