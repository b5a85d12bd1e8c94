package io.friendliflink.lines;

import io.friendliflink.client.PreparedRequest;
import java.io.Serializable;

/**
 * One accepted input line: a request ready to send, and what an output row needs of the line.
 *
 * @param customId the line's {@code custom_id}, unique within a run
 * @param url the line's {@code url} as written, kept for the output
 * @param request the checked request, with configured defaults filled in
 * @param rawLine the input line, shortened to the configured size, for an error row if the call fails
 * @param source where the line was read (see {@link InputLine#source()}), or {@code null}
 */
public record RequestLine(String customId, String url, PreparedRequest request, String rawLine, String source)
        implements Serializable {}
