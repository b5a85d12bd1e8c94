package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The setters every request builder has: the {@link CommonFields} and the fields this version does not know.
 * {@link CompletionsRequest.Builder} and {@link ChatCompletionsRequest.Builder} add their kind's fields.
 *
 * <p>Each setter takes {@code null} to leave its field out. Building does not validate; {@link RequestCheck}
 * does.
 *
 * @param <B> the concrete builder, returned by every setter so calls chain
 */
public abstract class RequestBuilder<B extends RequestBuilder<B>> {
    private String model;
    private Integer maxTokens;
    private Integer minTokens;
    private Integer n;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private Double minP;
    private Double frequencyPenalty;
    private Double presencePenalty;
    private Double repetitionPenalty;
    private Seed seed;
    private List<String> stop;
    private List<Integer> eosToken;
    private Boolean stream;
    private StreamOptions streamOptions;
    private Long timeoutMicroseconds;
    private ResponseFormat responseFormat;
    private final Map<String, JsonNode> extraFields = new LinkedHashMap<>();

    // Only the builders of this package's request types extend it.
    RequestBuilder() {}

    abstract B self();

    /** {@code model}: a model code (serverless) or an endpoint id (dedicated). */
    public B model(String model) {
        this.model = model;
        return self();
    }

    /** {@code max_tokens}. */
    public B maxTokens(Integer maxTokens) {
        this.maxTokens = maxTokens;
        return self();
    }

    /** {@code min_tokens}. */
    public B minTokens(Integer minTokens) {
        this.minTokens = minTokens;
        return self();
    }

    /** {@code n}. */
    public B n(Integer n) {
        this.n = n;
        return self();
    }

    /** {@code temperature}. */
    public B temperature(Double temperature) {
        this.temperature = temperature;
        return self();
    }

    /** {@code top_p}. */
    public B topP(Double topP) {
        this.topP = topP;
        return self();
    }

    /** {@code top_k}. */
    public B topK(Integer topK) {
        this.topK = topK;
        return self();
    }

    /** {@code min_p}. */
    public B minP(Double minP) {
        this.minP = minP;
        return self();
    }

    /** {@code frequency_penalty}. */
    public B frequencyPenalty(Double frequencyPenalty) {
        this.frequencyPenalty = frequencyPenalty;
        return self();
    }

    /** {@code presence_penalty}. */
    public B presencePenalty(Double presencePenalty) {
        this.presencePenalty = presencePenalty;
        return self();
    }

    /** {@code repetition_penalty}. */
    public B repetitionPenalty(Double repetitionPenalty) {
        this.repetitionPenalty = repetitionPenalty;
        return self();
    }

    /** {@code seed}. */
    public B seed(Seed seed) {
        this.seed = seed;
        return self();
    }

    /** {@code stop}. */
    public B stop(List<String> stop) {
        this.stop = stop;
        return self();
    }

    /** {@code eos_token}. */
    public B eosToken(List<Integer> eosToken) {
        this.eosToken = eosToken;
        return self();
    }

    /** {@code stream}. */
    public B stream(Boolean stream) {
        this.stream = stream;
        return self();
    }

    /** {@code stream_options}. */
    public B streamOptions(StreamOptions streamOptions) {
        this.streamOptions = streamOptions;
        return self();
    }

    /** {@code timeout_microseconds}. */
    public B timeoutMicroseconds(Long timeoutMicroseconds) {
        this.timeoutMicroseconds = timeoutMicroseconds;
        return self();
    }

    /** {@code response_format}. */
    public B responseFormat(ResponseFormat responseFormat) {
        this.responseFormat = responseFormat;
        return self();
    }

    /** Adds a field this version does not model; it is sent after the known fields, in call order. */
    public B extraField(String name, JsonNode value) {
        extraFields.put(name, value);
        return self();
    }

    /** Sets every common field and extra field from {@code request}, to derive a changed copy of it. */
    B from(InferenceRequest request) {
        CommonFields c = request.common();
        model = c.model();
        maxTokens = c.maxTokens();
        minTokens = c.minTokens();
        n = c.n();
        temperature = c.temperature();
        topP = c.topP();
        topK = c.topK();
        minP = c.minP();
        frequencyPenalty = c.frequencyPenalty();
        presencePenalty = c.presencePenalty();
        repetitionPenalty = c.repetitionPenalty();
        seed = c.seed();
        stop = c.stop();
        eosToken = c.eosToken();
        stream = c.stream();
        streamOptions = c.streamOptions();
        timeoutMicroseconds = c.timeoutMicroseconds();
        responseFormat = c.responseFormat();
        extraFields.putAll(request.extraFields());
        return self();
    }

    CommonFields common() {
        return new CommonFields(model, maxTokens, minTokens, n, temperature, topP, topK, minP, frequencyPenalty,
                presencePenalty, repetitionPenalty, seed, stop, eosToken, stream, streamOptions, timeoutMicroseconds,
                responseFormat);
    }

    Map<String, JsonNode> extraFields() {
        return extraFields;
    }
}
