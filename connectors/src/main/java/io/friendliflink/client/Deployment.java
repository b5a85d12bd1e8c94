package io.friendliflink.client;

/** How an endpoint lays out its paths; see {@link EndpointConfig#pathFor}. */
public enum Deployment {
    /** Friendli serverless: {@code /serverless/v1/chat/completions}, tool-assisted chat included. */
    SERVERLESS("/serverless/v1"),
    /** Friendli dedicated endpoints: {@code /dedicated/v1/chat/completions}; {@code model} is the endpoint id. */
    DEDICATED("/dedicated/v1"),
    /**
     * Any OpenAI-compatible server (vLLM, llama.cpp, Ollama, ...): the base URL already ends in its prefix,
     * such as {@code http://host:8000/v1}, and the paths are {@code /chat/completions} and so on.
     */
    OPENAI_COMPATIBLE("");

    private final String prefix;

    Deployment(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }
}
