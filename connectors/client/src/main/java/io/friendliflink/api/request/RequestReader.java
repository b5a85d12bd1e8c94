package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a JSON object field by field into a typed request, in one pass over the body's fields: each is a
 * {@link CommonFields} field, one of its kind's, or an extra field.
 *
 * <p>It never throws for bad input: a value of the wrong JSON type becomes a {@link Violation}, the field is
 * left out, and reading goes on so that one pass reports every problem. Fields it does not know go to
 * {@code extraFields} in their order. An explicit {@code null} of a known field means "absent"; an unknown
 * field is kept as given, {@code null} included, because its meaning is not ours to decide.
 */
final class RequestReader {
    private final List<Violation> violations = new ArrayList<>();

    /** The shape errors found so far. */
    List<Violation> violations() {
        return violations;
    }

    /** Whether every value had the JSON type its field requires, so the typed request is complete. */
    boolean isComplete() {
        return violations.isEmpty();
    }

    InferenceRequest read(ApiKind kind, JsonNode body) {
        return switch (kind) {
            case COMPLETIONS -> fields(body, CompletionsRequest.builder(null), this::completionsField).build();
            case CHAT_COMPLETIONS -> fields(body, ChatCompletionsRequest.builder(null), this::chatField).build();
            case TOOL_ASSISTED_CHAT_COMPLETIONS ->
                    fields(body, ChatCompletionsRequest.toolAssistedBuilder(null), this::chatField).build();
            default -> throw new IllegalArgumentException("not a generation kind: " + kind);
        };
    }

    /** Reads one top-level field of a kind into its builder; false when the kind has no such field. */
    @FunctionalInterface
    private interface FieldReader<B> {
        boolean read(String name, JsonNode v, B builder);
    }

    /** One pass over the body: each field is a common field, one of the kind's, or an extra field. */
    private <B extends RequestBuilder<B>> B fields(JsonNode body, B b, FieldReader<B> kindField) {
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = field.getKey();
            JsonNode v = field.getValue();
            if (!commonField(name, v, b) && !kindField.read(name, v, b)) {
                b.extraField(name, v);
            }
        }
        return b;
    }

    private boolean completionsField(String name, JsonNode v, CompletionsRequest.Builder b) {
        switch (name) {
            case "prompt" -> b.prompt(prompt(name, v));
            case "tokens" -> b.tokens(intList(name, v));
            case "max_total_tokens" -> b.maxTotalTokens(integer(name, v));
            case "min_total_tokens" -> b.minTotalTokens(integer(name, v));
            case "encoder_repetition_penalty" -> b.encoderRepetitionPenalty(number(name, v));
            case "no_repeat_ngram" -> b.noRepeatNgram(integer(name, v));
            case "encoder_no_repeat_ngram" -> b.encoderNoRepeatNgram(integer(name, v));
            case "stop_tokens" -> b.stopTokens(tokenSequences(name, v));
            case "bad_words" -> b.badWords(stringList(name, v));
            case "bad_word_tokens" -> b.badWordTokens(tokenSequences(name, v));
            case "logprobs" -> b.logprobs(integer(name, v));
            case "forced_output_tokens" -> b.forcedOutputTokens(intList(name, v));
            case "num_beams" -> b.numBeams(integer(name, v));
            case "beam_search_type" -> b.beamSearchType(beamSearchType(name, v));
            case "early_stopping" -> b.earlyStopping(bool(name, v));
            case "length_penalty" -> b.lengthPenalty(number(name, v));
            case "beam_compat_pre_normalization" -> b.beamCompatPreNormalization(bool(name, v));
            case "beam_compat_no_post_normalization" -> b.beamCompatNoPostNormalization(bool(name, v));
            case "embedding_to_replace" -> b.embeddingToReplace(numberList(name, v));
            case "token_index_to_replace" -> b.tokenIndexToReplace(intList(name, v));
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean chatField(String name, JsonNode v, ChatCompletionsRequest.Builder b) {
        switch (name) {
            case "messages" -> b.messages(messages(name, v));
            case "logit_bias" -> b.logitBias(logitBias(name, v));
            case "logprobs" -> b.logprobs(bool(name, v));
            case "top_logprobs" -> b.topLogprobs(integer(name, v));
            case "tools" -> b.tools(tools(name, v));
            case "tool_choice" -> b.toolChoice(toolChoice(name, v));
            case "parallel_tool_calls" -> b.parallelToolCalls(bool(name, v));
            case "resume_generation" -> b.resumeGeneration(bool(name, v));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Reads {@code name} into {@code b} when it is one of the {@link CommonFields}; false when it is not. */
    private boolean commonField(String name, JsonNode v, RequestBuilder<?> b) {
        switch (name) {
            case "model" -> b.model(string(name, v));
            case "max_tokens" -> b.maxTokens(integer(name, v));
            case "min_tokens" -> b.minTokens(integer(name, v));
            case "n" -> b.n(integer(name, v));
            case "temperature" -> b.temperature(number(name, v));
            case "top_p" -> b.topP(number(name, v));
            case "top_k" -> b.topK(integer(name, v));
            case "min_p" -> b.minP(number(name, v));
            case "frequency_penalty" -> b.frequencyPenalty(number(name, v));
            case "presence_penalty" -> b.presencePenalty(number(name, v));
            case "repetition_penalty" -> b.repetitionPenalty(number(name, v));
            case "seed" -> b.seed(seed(name, v));
            case "stop" -> b.stop(stringList(name, v));
            case "eos_token" -> b.eosToken(intList(name, v));
            case "stream" -> b.stream(bool(name, v));
            case "stream_options" -> b.streamOptions(streamOptions(name, v));
            case "timeout_microseconds" -> b.timeoutMicroseconds(longInteger(name, v));
            case "response_format" -> b.responseFormat(responseFormat(name, v));
            default -> {
                return false;
            }
        }
        return true;
    }

    // ---- unions and objects ----

    private Prompt prompt(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (v.isTextual()) {
            return new Prompt.Text(v.textValue());
        }
        if (v.isArray()) {
            List<String> texts = stringList(path, v);
            return texts == null ? null : new Prompt.Texts(texts);
        }
        return wrongType(path, v, "must be a string or an array of strings");
    }

    private Seed seed(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        Long single = asLong(v);
        if (single != null) {
            return new Seed.Single(single);
        }
        if (v.isArray()) {
            List<Long> seeds = scalars(path, v, RequestReader::asLong, null, LONG);
            return seeds == null ? null : new Seed.PerChoice(seeds);
        }
        return wrongType(path, v, "must be an integer or an array of integers");
    }

    private List<TokenSequence> tokenSequences(String path, JsonNode v) {
        return array(path, v, "must be an array of {\"tokens\": [integer, ...]} objects", objects((at, i, item) -> {
            if (!item.isObject()) {
                return wrongType(at, item, "must be an object {\"tokens\": [integer, ...]}");
            }
            int before = violations.size();
            List<Integer> tokens = intList(at + ".tokens", item.get("tokens"));
            return complete(before) ? new TokenSequence(tokens, extras(item, "tokens")) : null;
        }));
    }

    private StreamOptions streamOptions(String path, JsonNode v) {
        if (!isObject(path, v, "must be an object")) {
            return null;
        }
        int before = violations.size();
        Boolean includeUsage = bool(path + ".include_usage", v.get("include_usage"));
        return complete(before) ? new StreamOptions(includeUsage, extras(v, "include_usage")) : null;
    }

    private ResponseFormat responseFormat(String path, JsonNode v) {
        if (!isObject(path, v, "must be an object with a type")) {
            return null;
        }
        String typePath = path + ".type";
        JsonNode typeNode = v.get("type");
        if (absent(typeNode)) {
            return missing(typePath, "is required: one of text, json_object, json_schema, regex");
        }
        String type = string(typePath, typeNode);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "text" -> new ResponseFormat.Text(extras(v, "type"));
            case "json_object" -> new ResponseFormat.JsonObject(extras(v, "type"));
            case "json_schema" -> jsonSchema(path + ".json_schema", v.get("json_schema"), extras(v, "type", "json_schema"));
            case "regex" -> regex(path + ".schema", v.get("schema"), extras(v, "type", "schema"));
            default -> wrongType(typePath, typeNode, "must be one of text, json_object, json_schema, regex");
        };
    }

    private ResponseFormat jsonSchema(String path, JsonNode spec, Map<String, JsonNode> extra) {
        if (absent(spec)) {
            return missing(path, "is required when type is json_schema: an object with a schema");
        }
        if (!spec.isObject()) {
            return wrongType(path, spec, "must be an object with a schema when type is json_schema");
        }
        JsonNode schema = spec.get("schema");
        if (absent(schema)) {
            return missing(path + ".schema", "is required when type is json_schema: a JSON Schema object");
        }
        if (!schema.isObject()) {
            return wrongType(path + ".schema", schema, "must be a JSON Schema object when type is json_schema");
        }
        return new ResponseFormat.JsonSchema(schema, extras(spec, "schema"), extra);
    }

    private ResponseFormat regex(String path, JsonNode pattern, Map<String, JsonNode> extra) {
        if (absent(pattern)) {
            return missing(path, "is required when type is regex: a regular expression string");
        }
        if (!pattern.isTextual()) {
            return wrongType(path, pattern, "must be a string (a regular expression) when type is regex");
        }
        return new ResponseFormat.Regex(pattern.textValue(), extra);
    }

    private BeamSearchType beamSearchType(String path, JsonNode v) {
        return scalar(path, v, n -> n.isTextual() ? BeamSearchType.fromWire(n.textValue()) : null,
                "must be one of DETERMINISTIC, NAIVE_SAMPLING, STOCHASTIC");
    }

    private Map<Integer, Double> logitBias(String path, JsonNode v) {
        if (!isObject(path, v, "must be an object mapping token ids to numbers")) {
            return null;
        }
        int before = violations.size();
        Map<Integer, Double> bias = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : v.properties()) {
            String at = path + "." + f.getKey();
            Integer token = tokenId(f.getKey());
            if (token == null) {
                violations.add(new Violation(at, Values.of(f.getKey()), "key must be a token id (an integer)"));
                continue;
            }
            Double value = asNumber(f.getValue());
            if (value == null) {
                wrongType(at, f.getValue(), "must be a number");
            } else {
                bias.put(token, value);
            }
        }
        return complete(before) ? bias : null;
    }

    private static Integer tokenId(String key) {
        try {
            return Integer.valueOf(key);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private List<ChatMessage> messages(String path, JsonNode v) {
        return array(path, v, "must be an array of message objects", objects((at, i, item) -> message(at, item)));
    }

    private ChatMessage message(String path, JsonNode v) {
        if (!v.isObject()) {
            return wrongType(path, v, "must be a message object");
        }
        int before = violations.size();
        JsonNode roleNode = v.get("role");
        Role role = absent(roleNode)
                ? missing(path + ".role", "is required: one of system, user, assistant, tool")
                : scalar(path + ".role", roleNode, n -> n.isTextual() ? Role.fromWire(n.textValue()) : null,
                        "must be one of system, user, assistant, tool");
        MessageContent content = content(path + ".content", v.get("content"));
        String name = string(path + ".name", v.get("name"));
        List<ChatMessage.AssistantToolCall> toolCalls = toolCalls(path + ".tool_calls", v.get("tool_calls"));
        String toolCallId = string(path + ".tool_call_id", v.get("tool_call_id"));
        if (!complete(before)) {
            return null;
        }
        return new ChatMessage(role, content, name, toolCalls, toolCallId,
                extras(v, "role", "content", "name", "tool_calls", "tool_call_id"));
    }

    private MessageContent content(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (v.isTextual()) {
            return new MessageContent.Text(v.textValue());
        }
        if (!v.isArray()) {
            return wrongType(path, v, "must be a string or an array of content parts");
        }
        List<MessageContent.Part> parts = array(path, v, null, objects((at, i, item) -> {
            if (!item.isObject()) {
                return wrongType(at, item, "must be a content part object with a type");
            }
            int before = violations.size();
            JsonNode typeNode = item.get("type");
            String type = absent(typeNode)
                    ? missing(at + ".type", "is required, e.g. text or image_url")
                    : string(at + ".type", typeNode);
            String text = string(at + ".text", item.get("text"));
            return complete(before) ? new MessageContent.Part(type, text, extras(item, "type", "text")) : null;
        }));
        return parts == null ? null : new MessageContent.Parts(parts);
    }

    private List<ChatMessage.AssistantToolCall> toolCalls(String path, JsonNode v) {
        return array(path, v, "must be an array of tool call objects", objects((at, i, item) -> {
            if (!item.isObject()) {
                return wrongType(at, item, "must be a tool call object");
            }
            int before = violations.size();
            String id = string(at + ".id", item.get("id"));
            String type = string(at + ".type", item.get("type"));
            ChatMessage.FunctionCall function = functionCall(at + ".function", item.get("function"));
            return complete(before)
                    ? new ChatMessage.AssistantToolCall(id, type, function, extras(item, "id", "type", "function"))
                    : null;
        }));
    }

    private ChatMessage.FunctionCall functionCall(String path, JsonNode v) {
        if (!isObject(path, v, "must be an object with name and arguments")) {
            return null;
        }
        int before = violations.size();
        String name = string(path + ".name", v.get("name"));
        String arguments = string(path + ".arguments", v.get("arguments"));
        return complete(before) ? new ChatMessage.FunctionCall(name, arguments, extras(v, "name", "arguments")) : null;
    }

    private List<Tool> tools(String path, JsonNode v) {
        return array(path, v, "must be an array of tool objects", objects((at, i, item) -> tool(at, item)));
    }

    private Tool tool(String path, JsonNode v) {
        if (!v.isObject()) {
            return wrongType(path, v, "must be a tool object with a type");
        }
        JsonNode typeNode = v.get("type");
        if (absent(typeNode)) {
            return missing(path + ".type", "is required: function or a built-in tool type");
        }
        String type = string(path + ".type", typeNode);
        if (type == null) {
            return null;
        }
        if (type.equals("function")) {
            Tool.FunctionSpec spec = functionSpec(path + ".function", v.get("function"));
            return spec == null ? null : new Tool.Function(spec, extras(v, "type", "function"));
        }
        if (type.equals("file:text")) {
            List<String> files = stringList(path + ".files", v.get("files"));
            boolean unreadable = files == null && !absent(v.get("files"));
            return unreadable ? null : new Tool.FileText(files, extras(v, "type", "files"));
        }
        BuiltInTool builtIn = BuiltInTool.fromWire(type);
        if (builtIn == null) {
            return wrongType(path + ".type", typeNode, "must be function, file:text, math:calculator, math:statistics, "
                    + "math:calendar, web:search, web:url, code:python-interpreter or linkup:search");
        }
        return new Tool.BuiltIn(builtIn, extras(v, "type"));
    }

    private Tool.FunctionSpec functionSpec(String path, JsonNode v) {
        if (absent(v)) {
            return missing(path, "is required when type is function: an object with a name");
        }
        if (!v.isObject()) {
            return wrongType(path, v, "must be an object with a name");
        }
        int before = violations.size();
        String name = string(path + ".name", v.get("name"));
        String description = string(path + ".description", v.get("description"));
        JsonNode parameters = scalar(path + ".parameters", v.get("parameters"), n -> n.isObject() ? n : null,
                "must be a JSON Schema object");
        return complete(before)
                ? new Tool.FunctionSpec(name, description, parameters, extras(v, "name", "description", "parameters"))
                : null;
    }

    private ToolChoice toolChoice(String path, JsonNode v) {
        String rule = "must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":...}}";
        if (absent(v)) {
            return null;
        }
        if (v.isTextual()) {
            ToolChoice.Mode mode = ToolChoice.Mode.fromWire(v.textValue());
            return mode != null ? mode : wrongType(path, v, rule);
        }
        if (!v.isObject()) {
            return wrongType(path, v, rule);
        }
        JsonNode type = v.get("type");
        if (absent(type) || !type.isTextual() || !type.textValue().equals("function")) {
            return type == null
                    ? missing(path + ".type", "is required: function")
                    : wrongType(path + ".type", type, "must be function");
        }
        JsonNode function = v.get("function");
        if (absent(function) || !function.isObject()) {
            return function == null
                    ? missing(path + ".function", "is required: an object with the name of a function in tools")
                    : wrongType(path + ".function", function, "must be an object with the name of a function in tools");
        }
        JsonNode nameNode = function.get("name");
        if (absent(nameNode)) {
            return missing(path + ".function.name", "is required: the name of a function in tools");
        }
        String name = string(path + ".function.name", nameNode);
        return name == null ? null : new ToolChoice.Function(name, extras(function, "name"), extras(v, "type", "function"));
    }

    // ---- scalars and arrays ----

    private static final String INT = "must be an integer (32-bit)";
    private static final String LONG = "must be an integer (64-bit)";

    /** Reads item {@code index} of the array at {@code path}; {@code null} after recording why it cannot. */
    @FunctionalInterface
    private interface ItemReader<T> {
        T read(String path, int index, JsonNode item);
    }

    private String string(String path, JsonNode v) {
        return scalar(path, v, RequestReader::asString, "must be a string");
    }

    private Boolean bool(String path, JsonNode v) {
        return scalar(path, v, n -> n.isBoolean() ? n.booleanValue() : null, "must be a boolean");
    }

    // Integer fields take JSON integers only: 1.0 is refused rather than silently truncated or reshaped.
    private Integer integer(String path, JsonNode v) {
        return scalar(path, v, RequestReader::asInt, INT);
    }

    private Long longInteger(String path, JsonNode v) {
        return scalar(path, v, RequestReader::asLong, LONG);
    }

    private Double number(String path, JsonNode v) {
        return scalar(path, v, RequestReader::asNumber, "must be a number");
    }

    private List<Integer> intList(String path, JsonNode v) {
        return scalars(path, v, RequestReader::asInt, "must be an array of integers", INT);
    }

    private List<Double> numberList(String path, JsonNode v) {
        return scalars(path, v, RequestReader::asNumber, "must be an array of numbers", "must be a number");
    }

    private List<String> stringList(String path, JsonNode v) {
        return scalars(path, v, RequestReader::asString, "must be an array of strings", "must be a string");
    }

    /** A field's value as {@code as} converts it: absent is {@code null}; a value it cannot convert is a violation. */
    private <T> T scalar(String path, JsonNode v, Function<JsonNode, T> as, String rule) {
        if (absent(v)) {
            return null;
        }
        T value = as.apply(v);
        return value != null ? value : wrongType(path, v, rule);
    }

    /** An array of values {@code as} converts; every item must convert, {@code null} included. */
    private <T> List<T> scalars(String path, JsonNode v, Function<JsonNode, T> as, String arrayRule, String itemRule) {
        // The item's path is built only on error: token arrays are long and this is the hot path.
        return array(path, v, arrayRule, (p, i, item) -> {
            T value = as.apply(item);
            return value != null ? value : wrongType(p + "[" + i + "]", item, itemRule);
        });
    }

    /**
     * An array whose items {@code reader} reads; {@code null} when it is absent, not an array ({@code rule}), or
     * any item cannot be read. Every item is read even after one fails, so that one pass reports them all.
     */
    private <T> List<T> array(String path, JsonNode v, String rule, ItemReader<T> reader) {
        if (absent(v)) {
            return null;
        }
        if (!v.isArray()) {
            return wrongType(path, v, rule);
        }
        List<T> items = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            T item = reader.read(path, i, v.get(i));
            if (item != null) {
                items.add(item);
            }
        }
        return items.size() == v.size() ? items : null;
    }

    /** An object item of an array: {@code reader} gets the item's own path. */
    private <T> ItemReader<T> objects(ItemReader<T> reader) {
        return (path, index, item) -> reader.read(path + "[" + index + "]", index, item);
    }

    private static String asString(JsonNode v) {
        return v.isTextual() ? v.textValue() : null;
    }

    private static Integer asInt(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : null;
    }

    private static Long asLong(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : null;
    }

    private static Double asNumber(JsonNode v) {
        return v.isNumber() ? v.doubleValue() : null;
    }

    // ---- helpers ----

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    /** Whether {@code v} is an object to read; absent is not, and any other value is also a violation. */
    private boolean isObject(String path, JsonNode v, String rule) {
        if (absent(v)) {
            return false;
        }
        if (!v.isObject()) {
            wrongType(path, v, rule);
            return false;
        }
        return true;
    }

    /** Whether no violation was found since there were {@code before}. */
    private boolean complete(int before) {
        return violations.size() == before;
    }

    /** The keys of {@code object} other than {@code known}, in their given order, values as given. */
    private static Map<String, JsonNode> extras(JsonNode object, String... known) {
        Map<String, JsonNode> extra = null;
        for (Map.Entry<String, JsonNode> f : object.properties()) {
            if (!isOneOf(f.getKey(), known)) {
                extra = extra == null ? new LinkedHashMap<>() : extra;
                extra.put(f.getKey(), f.getValue());
            }
        }
        return extra;
    }

    private static boolean isOneOf(String key, String[] known) {
        for (String k : known) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }

    private <T> T wrongType(String path, JsonNode v, String rule) {
        violations.add(new Violation(path, Values.of(v), rule));
        return null;
    }

    private <T> T missing(String path, String rule) {
        violations.add(new Violation(path, null, rule));
        return null;
    }
}
