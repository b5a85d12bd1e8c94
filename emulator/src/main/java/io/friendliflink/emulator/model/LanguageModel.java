package io.friendliflink.emulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.List;

/**
 * The emulator's deterministic small language model: what it would generate for a request.
 *
 * <p>It decides content only; the server decides timing, faults and the wire shape. The same body (with
 * the same seed) always yields the same {@link Generation}.
 */
public interface LanguageModel {

    /**
     * Generates the answer to a body that already passed {@code RequestCheck} for {@code kind}.
     *
     * @param kind completions, chat, or tool-assisted chat
     * @param body the request body as sent
     */
    Generation generate(ApiKind kind, JsonNode body);

    /** The token ids of {@code text}; {@link #detokenize} of them gives {@code text} back exactly. */
    List<Integer> tokenize(String text);

    String detokenize(List<Integer> tokens);

    /** The number of token ids; every id is in {@code [0, vocabularySize())}. */
    int vocabularySize();
}
