package io.friendliflink.client;

/** How an endpoint lays out its paths; {@link ApiPaths} has the path of each operation on each. */
public enum Deployment {
    /** Friendli serverless: {@code /serverless/v1/chat/completions}, tool-assisted chat included. */
    SERVERLESS,
    /** Friendli dedicated endpoints: {@code /dedicated/v1/chat/completions}; {@code model} is the endpoint id. */
    DEDICATED,
    /**
     * Any OpenAI-compatible server (vLLM, llama.cpp, Ollama, ...): the base URL already ends in its prefix,
     * such as {@code http://host:8000/v1}, and the paths are {@code /chat/completions} and so on.
     */
    OPENAI_COMPATIBLE
}
