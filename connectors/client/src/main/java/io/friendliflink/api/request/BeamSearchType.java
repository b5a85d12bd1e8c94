package io.friendliflink.api.request;

/** The completions {@code beam_search_type}; the API uses {@link #DETERMINISTIC} when it is absent. */
public enum BeamSearchType {
    /** Standard beam search; sampling knobs ({@code top_k}, {@code top_p}) are not allowed with it. */
    DETERMINISTIC,
    /** Like Hugging Face's {@code beam_sample}. */
    NAIVE_SAMPLING,
    /** Stochastic beam search (Kool et al., 2019). */
    STOCHASTIC;

    /** The constant for a wire name, or {@code null} when there is none. */
    static BeamSearchType fromWire(String name) {
        for (BeamSearchType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
