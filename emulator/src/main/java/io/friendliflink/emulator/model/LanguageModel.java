package io.friendliflink.emulator.model;

import io.friendliflink.api.request.InferenceRequest;
import java.util.List;

/**
 * The emulator's deterministic small language model: what it would generate for a request.
 *
 * <p>It decides content only; the server decides timing, faults and the wire shape. The same request (with
 * the same seed) always yields the same {@link Generation}.
 */
public interface LanguageModel {

    /**
     * Generates the answer to a request that already passed {@code RequestCheck}: the model takes every
     * parameter from it and checks only what needs the model (token ids in its vocabulary, a prompt that fits
     * its context), throwing {@link IllegalArgumentException} naming the field when one does not hold.
     */
    Generation generate(InferenceRequest request);

    /** The token ids of {@code text}; {@link #detokenize} of them gives {@code text} back exactly. */
    List<Integer> tokenize(String text);

    String detokenize(List<Integer> tokens);

    /** The number of token ids; every id is in {@code [0, vocabularySize())}. */
    int vocabularySize();
}
