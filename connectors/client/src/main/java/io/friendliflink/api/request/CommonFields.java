package io.friendliflink.api.request;

import java.util.List;

/**
 * The body fields every generation kind has (API-NOTES, "Request bodies", Common): one record, so that
 * completions and chat requests, their reader, writer and rules share them instead of repeating them.
 *
 * <p>Every component maps to the body field of the same name in snake case; {@code null} means the field is
 * absent and is not sent. {@link RequestBuilder} sets them; {@link RequestCheck} applies their rules.
 */
public record CommonFields(
        String model,
        Integer maxTokens,
        Integer minTokens,
        Integer n,
        Double temperature,
        Double topP,
        Integer topK,
        Double minP,
        Double frequencyPenalty,
        Double presencePenalty,
        Double repetitionPenalty,
        Seed seed,
        List<String> stop,
        List<Integer> eosToken,
        Boolean stream,
        StreamOptions streamOptions,
        Long timeoutMicroseconds,
        ResponseFormat responseFormat) {

    public CommonFields {
        stop = Frozen.list(stop);
        eosToken = Frozen.list(eosToken);
    }
}
