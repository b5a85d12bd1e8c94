package io.friendliflink.api.response;

import java.util.ArrayList;
import java.util.List;

/** What one JSON body or stream chunk said, before it is merged into a result. */
final class ParsedBody {
    String id;
    String object;
    String model;
    Long created;
    /** The older stream format's in-JSON event type ({@code token_sampled}, {@code complete}). */
    String event;
    /** {@code null} when the body has no {@code choices} field. */
    List<ParsedChoice> choices;
    Usage usage;
    boolean hasError;
    /** The older format's {@code token_sampled} fields, which sit at the top level instead of in a choice. */
    ParsedChoice topLevelChoice;

    /** One choice, a chat {@code message}, or a stream chunk's {@code delta}: whatever fields were present. */
    static final class ParsedChoice {
        /** -1 when the choice did not say. */
        int index = -1;

        String text;
        String role;
        String finishReason;
        Long seed;
        ArrayList<Integer> tokens;
        ArrayList<TokenLogprob> logprobs;
        List<ToolCallPiece> toolCalls;
    }

    /** A tool call, or a streamed piece of one; {@code index} is {@code null} when the piece did not say. */
    record ToolCallPiece(Integer index, String id, String type, String name, String arguments) {}
}
