package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON object field by field into a typed request, in one pass over the body.
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
            case COMPLETIONS -> readCompletions(body);
            case CHAT_COMPLETIONS, TOOL_ASSISTED_CHAT_COMPLETIONS -> readChat(kind, body);
            default -> throw new IllegalArgumentException("not a generation kind: " + kind);
        };
    }

    private CompletionsRequest readCompletions(JsonNode body) {
        CompletionsRequest.Builder b = CompletionsRequest.builder(null);
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = field.getKey();
            JsonNode v = field.getValue();
            switch (name) {
                case "model" -> b.model(string(name, v));
                case "prompt" -> b.prompt(prompt(name, v));
                case "tokens" -> b.tokens(intList(name, v));
                case "max_tokens" -> b.maxTokens(integer(name, v));
                case "max_total_tokens" -> b.maxTotalTokens(integer(name, v));
                case "min_tokens" -> b.minTokens(integer(name, v));
                case "min_total_tokens" -> b.minTotalTokens(integer(name, v));
                case "n" -> b.n(integer(name, v));
                case "temperature" -> b.temperature(number(name, v));
                case "top_p" -> b.topP(number(name, v));
                case "top_k" -> b.topK(integer(name, v));
                case "min_p" -> b.minP(number(name, v));
                case "frequency_penalty" -> b.frequencyPenalty(number(name, v));
                case "presence_penalty" -> b.presencePenalty(number(name, v));
                case "repetition_penalty" -> b.repetitionPenalty(number(name, v));
                case "encoder_repetition_penalty" -> b.encoderRepetitionPenalty(number(name, v));
                case "no_repeat_ngram" -> b.noRepeatNgram(integer(name, v));
                case "encoder_no_repeat_ngram" -> b.encoderNoRepeatNgram(integer(name, v));
                case "seed" -> b.seed(seed(name, v));
                case "stop" -> b.stop(stringList(name, v));
                case "stop_tokens" -> b.stopTokens(tokenSequences(name, v));
                case "bad_words" -> b.badWords(stringList(name, v));
                case "bad_word_tokens" -> b.badWordTokens(tokenSequences(name, v));
                case "eos_token" -> b.eosToken(intList(name, v));
                case "stream" -> b.stream(bool(name, v));
                case "stream_options" -> b.streamOptions(streamOptions(name, v));
                case "timeout_microseconds" -> b.timeoutMicroseconds(longInteger(name, v));
                case "response_format" -> b.responseFormat(responseFormat(name, v));
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
                default -> b.extraField(name, v);
            }
        }
        return b.build();
    }

    private ChatCompletionsRequest readChat(ApiKind kind, JsonNode body) {
        ChatCompletionsRequest.Builder b = kind == ApiKind.CHAT_COMPLETIONS
                ? ChatCompletionsRequest.builder(null)
                : ChatCompletionsRequest.toolAssistedBuilder(null);
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = field.getKey();
            JsonNode v = field.getValue();
            switch (name) {
                case "model" -> b.model(string(name, v));
                case "messages" -> b.messages(messages(name, v));
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
                case "logit_bias" -> b.logitBias(logitBias(name, v));
                case "logprobs" -> b.logprobs(bool(name, v));
                case "top_logprobs" -> b.topLogprobs(integer(name, v));
                case "tools" -> b.tools(tools(name, v));
                case "tool_choice" -> b.toolChoice(toolChoice(name, v));
                case "parallel_tool_calls" -> b.parallelToolCalls(bool(name, v));
                case "resume_generation" -> b.resumeGeneration(bool(name, v));
                default -> b.extraField(name, v);
            }
        }
        return b.build();
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
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return new Seed.Single(v.longValue());
        }
        if (v.isArray()) {
            List<Long> seeds = new ArrayList<>(v.size());
            boolean ok = true;
            for (int i = 0; i < v.size(); i++) {
                Long seed = longInteger(path + "[" + i + "]", v.get(i), true);
                ok &= seed != null;
                seeds.add(seed);
            }
            return ok ? new Seed.PerChoice(seeds) : null;
        }
        return wrongType(path, v, "must be an integer or an array of integers");
    }

    private List<TokenSequence> tokenSequences(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isArray()) {
            return wrongType(path, v, "must be an array of {\"tokens\": [integer, ...]} objects");
        }
        List<TokenSequence> sequences = new ArrayList<>(v.size());
        boolean ok = true;
        for (int i = 0; i < v.size(); i++) {
            String itemPath = path + "[" + i + "]";
            JsonNode item = v.get(i);
            if (!item.isObject()) {
                wrongType(itemPath, item, "must be an object {\"tokens\": [integer, ...]}");
                ok = false;
                continue;
            }
            List<Integer> tokens = null;
            Map<String, JsonNode> extra = null;
            for (Map.Entry<String, JsonNode> f : item.properties()) {
                if (f.getKey().equals("tokens")) {
                    tokens = intList(itemPath + ".tokens", f.getValue());
                } else {
                    extra = put(extra, f);
                }
            }
            sequences.add(new TokenSequence(tokens, extra));
        }
        return ok ? sequences : null;
    }

    private StreamOptions streamOptions(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isObject()) {
            return wrongType(path, v, "must be an object");
        }
        Boolean includeUsage = null;
        Map<String, JsonNode> extra = null;
        for (Map.Entry<String, JsonNode> f : v.properties()) {
            if (f.getKey().equals("include_usage")) {
                includeUsage = bool(path + ".include_usage", f.getValue());
            } else {
                extra = put(extra, f);
            }
        }
        return new StreamOptions(includeUsage, extra);
    }

    private ResponseFormat responseFormat(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isObject()) {
            return wrongType(path, v, "must be an object with a type");
        }
        String typePath = path + ".type";
        JsonNode typeNode = v.get("type");
        String type = absent(typeNode) ? null : string(typePath, typeNode);
        if (absent(typeNode)) {
            return missing(typePath, "is required: one of text, json_object, json_schema, regex");
        }
        if (type == null) {
            return null;
        }
        Map<String, JsonNode> extra = null;
        switch (type) {
            case "text", "json_object" -> {
                for (Map.Entry<String, JsonNode> f : v.properties()) {
                    if (!f.getKey().equals("type")) {
                        extra = put(extra, f);
                    }
                }
                return type.equals("text") ? new ResponseFormat.Text(extra) : new ResponseFormat.JsonObject(extra);
            }
            case "json_schema" -> {
                JsonNode spec = null;
                for (Map.Entry<String, JsonNode> f : v.properties()) {
                    if (f.getKey().equals("json_schema")) {
                        spec = f.getValue();
                    } else if (!f.getKey().equals("type")) {
                        extra = put(extra, f);
                    }
                }
                return jsonSchema(path + ".json_schema", spec, extra);
            }
            case "regex" -> {
                JsonNode pattern = null;
                for (Map.Entry<String, JsonNode> f : v.properties()) {
                    if (f.getKey().equals("schema")) {
                        pattern = f.getValue();
                    } else if (!f.getKey().equals("type")) {
                        extra = put(extra, f);
                    }
                }
                if (absent(pattern)) {
                    return missing(path + ".schema", "is required when type is regex: a regular expression string");
                }
                if (!pattern.isTextual()) {
                    return wrongType(path + ".schema", pattern, "must be a string (a regular expression) when type is regex");
                }
                return new ResponseFormat.Regex(pattern.textValue(), extra);
            }
            default -> {
                return wrongType(typePath, typeNode, "must be one of text, json_object, json_schema, regex");
            }
        }
    }

    private ResponseFormat jsonSchema(String path, JsonNode spec, Map<String, JsonNode> extra) {
        if (absent(spec)) {
            return missing(path, "is required when type is json_schema: an object with a schema");
        }
        if (!spec.isObject()) {
            return wrongType(path, spec, "must be an object with a schema when type is json_schema");
        }
        JsonNode schema = null;
        Map<String, JsonNode> specExtra = null;
        for (Map.Entry<String, JsonNode> f : spec.properties()) {
            if (f.getKey().equals("schema")) {
                schema = f.getValue();
            } else {
                specExtra = put(specExtra, f);
            }
        }
        if (absent(schema)) {
            return missing(path + ".schema", "is required when type is json_schema: a JSON Schema object");
        }
        if (!schema.isObject()) {
            return wrongType(path + ".schema", schema, "must be a JSON Schema object when type is json_schema");
        }
        return new ResponseFormat.JsonSchema(schema, specExtra, extra);
    }

    private BeamSearchType beamSearchType(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        BeamSearchType type = v.isTextual() ? BeamSearchType.fromWire(v.textValue()) : null;
        return type != null ? type : wrongType(path, v, "must be one of DETERMINISTIC, NAIVE_SAMPLING, STOCHASTIC");
    }

    private Map<Integer, Double> logitBias(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isObject()) {
            return wrongType(path, v, "must be an object mapping token ids to numbers");
        }
        Map<Integer, Double> bias = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, JsonNode> f : v.properties()) {
            String entryPath = path + "." + f.getKey();
            Integer token = tokenId(f.getKey());
            if (token == null) {
                violations.add(new Violation(entryPath, Values.of(f.getKey()), "key must be a token id (an integer)"));
                ok = false;
                continue;
            }
            Double value = number(entryPath, f.getValue(), true);
            ok &= value != null;
            bias.put(token, value);
        }
        return ok ? bias : null;
    }

    private static Integer tokenId(String key) {
        try {
            return Integer.valueOf(key);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private List<ChatMessage> messages(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isArray()) {
            return wrongType(path, v, "must be an array of message objects");
        }
        List<ChatMessage> messages = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            ChatMessage message = message(path + "[" + i + "]", v.get(i));
            if (message != null) {
                messages.add(message);
            }
        }
        return messages.size() == v.size() ? messages : null;
    }

    private ChatMessage message(String path, JsonNode v) {
        if (!v.isObject()) {
            return wrongType(path, v, "must be a message object");
        }
        int before = violations.size();
        Role role = null;
        boolean hasRole = false;
        MessageContent content = null;
        String name = null;
        List<ChatMessage.AssistantToolCall> toolCalls = null;
        String toolCallId = null;
        Map<String, JsonNode> extra = null;
        for (Map.Entry<String, JsonNode> f : v.properties()) {
            String key = f.getKey();
            JsonNode value = f.getValue();
            switch (key) {
                case "role" -> {
                    hasRole = !absent(value);
                    role = role(path + ".role", value);
                }
                case "content" -> content = content(path + ".content", value);
                case "name" -> name = string(path + ".name", value);
                case "tool_calls" -> toolCalls = toolCalls(path + ".tool_calls", value);
                case "tool_call_id" -> toolCallId = string(path + ".tool_call_id", value);
                default -> extra = put(extra, f);
            }
        }
        if (!hasRole) {
            missing(path + ".role", "is required: one of system, user, assistant, tool");
        }
        if (violations.size() != before) {
            return null;
        }
        return new ChatMessage(role, content, name, toolCalls, toolCallId, extra);
    }

    private Role role(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        Role role = v.isTextual() ? Role.fromWire(v.textValue()) : null;
        return role != null ? role : wrongType(path, v, "must be one of system, user, assistant, tool");
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
        List<MessageContent.Part> parts = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            String partPath = path + "[" + i + "]";
            JsonNode item = v.get(i);
            if (!item.isObject()) {
                wrongType(partPath, item, "must be a content part object with a type");
                continue;
            }
            String type = null;
            boolean hasType = false;
            String text = null;
            Map<String, JsonNode> extra = null;
            for (Map.Entry<String, JsonNode> f : item.properties()) {
                switch (f.getKey()) {
                    case "type" -> {
                        hasType = !absent(f.getValue());
                        type = string(partPath + ".type", f.getValue());
                    }
                    case "text" -> text = string(partPath + ".text", f.getValue());
                    default -> extra = put(extra, f);
                }
            }
            if (!hasType) {
                missing(partPath + ".type", "is required, e.g. text or image_url");
            } else if (type != null) {
                parts.add(new MessageContent.Part(type, text, extra));
            }
        }
        return parts.size() == v.size() ? new MessageContent.Parts(parts) : null;
    }

    private List<ChatMessage.AssistantToolCall> toolCalls(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isArray()) {
            return wrongType(path, v, "must be an array of tool call objects");
        }
        List<ChatMessage.AssistantToolCall> calls = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            String callPath = path + "[" + i + "]";
            JsonNode item = v.get(i);
            if (!item.isObject()) {
                wrongType(callPath, item, "must be a tool call object");
                continue;
            }
            String id = null;
            String type = null;
            ChatMessage.FunctionCall function = null;
            Map<String, JsonNode> extra = null;
            for (Map.Entry<String, JsonNode> f : item.properties()) {
                switch (f.getKey()) {
                    case "id" -> id = string(callPath + ".id", f.getValue());
                    case "type" -> type = string(callPath + ".type", f.getValue());
                    case "function" -> function = functionCall(callPath + ".function", f.getValue());
                    default -> extra = put(extra, f);
                }
            }
            calls.add(new ChatMessage.AssistantToolCall(id, type, function, extra));
        }
        return calls;
    }

    private ChatMessage.FunctionCall functionCall(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isObject()) {
            return wrongType(path, v, "must be an object with name and arguments");
        }
        String name = null;
        String arguments = null;
        Map<String, JsonNode> extra = null;
        for (Map.Entry<String, JsonNode> f : v.properties()) {
            switch (f.getKey()) {
                case "name" -> name = string(path + ".name", f.getValue());
                case "arguments" -> arguments = string(path + ".arguments", f.getValue());
                default -> extra = put(extra, f);
            }
        }
        return new ChatMessage.FunctionCall(name, arguments, extra);
    }

    private List<Tool> tools(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isArray()) {
            return wrongType(path, v, "must be an array of tool objects");
        }
        List<Tool> tools = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            Tool tool = tool(path + "[" + i + "]", v.get(i));
            if (tool != null) {
                tools.add(tool);
            }
        }
        return tools.size() == v.size() ? tools : null;
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
        Map<String, JsonNode> extra = null;
        if (type.equals("function")) {
            JsonNode function = null;
            for (Map.Entry<String, JsonNode> f : v.properties()) {
                if (f.getKey().equals("function")) {
                    function = f.getValue();
                } else if (!f.getKey().equals("type")) {
                    extra = put(extra, f);
                }
            }
            Tool.FunctionSpec spec = functionSpec(path + ".function", function);
            return spec == null ? null : new Tool.Function(spec, extra);
        }
        if (type.equals("file:text")) {
            List<String> files = null;
            for (Map.Entry<String, JsonNode> f : v.properties()) {
                if (f.getKey().equals("files")) {
                    files = stringList(path + ".files", f.getValue());
                } else if (!f.getKey().equals("type")) {
                    extra = put(extra, f);
                }
            }
            return new Tool.FileText(files, extra);
        }
        BuiltInTool builtIn = BuiltInTool.fromWire(type);
        if (builtIn == null) {
            return wrongType(path + ".type", typeNode, "must be function, file:text, math:calculator, math:statistics, "
                    + "math:calendar, web:search, web:url, code:python-interpreter or linkup:search");
        }
        for (Map.Entry<String, JsonNode> f : v.properties()) {
            if (!f.getKey().equals("type")) {
                extra = put(extra, f);
            }
        }
        return new Tool.BuiltIn(builtIn, extra);
    }

    private Tool.FunctionSpec functionSpec(String path, JsonNode v) {
        if (absent(v)) {
            return missing(path, "is required when type is function: an object with a name");
        }
        if (!v.isObject()) {
            return wrongType(path, v, "must be an object with a name");
        }
        String name = null;
        String description = null;
        JsonNode parameters = null;
        Map<String, JsonNode> extra = null;
        for (Map.Entry<String, JsonNode> f : v.properties()) {
            switch (f.getKey()) {
                case "name" -> name = string(path + ".name", f.getValue());
                case "description" -> description = string(path + ".description", f.getValue());
                case "parameters" -> parameters = jsonObject(path + ".parameters", f.getValue());
                default -> extra = put(extra, f);
            }
        }
        return new Tool.FunctionSpec(name, description, parameters, extra);
    }

    private ToolChoice toolChoice(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (v.isTextual()) {
            ToolChoice.Mode mode = ToolChoice.Mode.fromWire(v.textValue());
            return mode != null
                    ? mode
                    : wrongType(path, v, "must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":...}}");
        }
        if (!v.isObject()) {
            return wrongType(path, v, "must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":...}}");
        }
        JsonNode type = v.get("type");
        if (absent(type) || !type.isTextual() || !type.textValue().equals("function")) {
            return type == null
                    ? missing(path + ".type", "is required: function")
                    : wrongType(path + ".type", type, "must be function");
        }
        JsonNode function = null;
        Map<String, JsonNode> extra = null;
        for (Map.Entry<String, JsonNode> f : v.properties()) {
            if (f.getKey().equals("function")) {
                function = f.getValue();
            } else if (!f.getKey().equals("type")) {
                extra = put(extra, f);
            }
        }
        if (absent(function) || !function.isObject()) {
            return function == null
                    ? missing(path + ".function", "is required: an object with the name of a function in tools")
                    : wrongType(path + ".function", function, "must be an object with the name of a function in tools");
        }
        String name = null;
        boolean hasName = false;
        Map<String, JsonNode> functionExtra = null;
        for (Map.Entry<String, JsonNode> f : function.properties()) {
            if (f.getKey().equals("name")) {
                hasName = !absent(f.getValue());
                name = string(path + ".function.name", f.getValue());
            } else {
                functionExtra = put(functionExtra, f);
            }
        }
        if (!hasName) {
            return missing(path + ".function.name", "is required: the name of a function in tools");
        }
        return name == null ? null : new ToolChoice.Function(name, functionExtra, extra);
    }

    // ---- scalars and arrays ----

    private String string(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        return v.isTextual() ? v.textValue() : wrongType(path, v, "must be a string");
    }

    private Boolean bool(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        return v.isBoolean() ? v.booleanValue() : wrongType(path, v, "must be a boolean");
    }

    // Integer fields take JSON integers only: 1.0 is refused rather than silently truncated or reshaped.
    private Integer integer(String path, JsonNode v) {
        return integer(path, v, false);
    }

    private Integer integer(String path, JsonNode v, boolean required) {
        if (!required && absent(v)) {
            return null;
        }
        return v.isIntegralNumber() && v.canConvertToInt()
                ? v.intValue()
                : wrongType(path, v, "must be an integer (32-bit)");
    }

    private Long longInteger(String path, JsonNode v) {
        return longInteger(path, v, false);
    }

    private Long longInteger(String path, JsonNode v, boolean required) {
        if (!required && absent(v)) {
            return null;
        }
        return v.isIntegralNumber() && v.canConvertToLong()
                ? v.longValue()
                : wrongType(path, v, "must be an integer (64-bit)");
    }

    private Double number(String path, JsonNode v) {
        return number(path, v, false);
    }

    private Double number(String path, JsonNode v, boolean required) {
        if (!required && absent(v)) {
            return null;
        }
        return v.isNumber() ? v.doubleValue() : wrongType(path, v, "must be a number");
    }

    private JsonNode jsonObject(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        return v.isObject() ? v : wrongType(path, v, "must be a JSON Schema object");
    }

    private List<Integer> intList(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isArray()) {
            return wrongType(path, v, "must be an array of integers");
        }
        Integer[] values = new Integer[v.size()];
        boolean ok = true;
        for (int i = 0; i < values.length; i++) {
            values[i] = integer(path + "[" + i + "]", v.get(i), true);
            ok &= values[i] != null;
        }
        return ok ? List.of(values) : null;
    }

    private List<Double> numberList(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isArray()) {
            return wrongType(path, v, "must be an array of numbers");
        }
        Double[] values = new Double[v.size()];
        boolean ok = true;
        for (int i = 0; i < values.length; i++) {
            values[i] = number(path + "[" + i + "]", v.get(i), true);
            ok &= values[i] != null;
        }
        return ok ? List.of(values) : null;
    }

    private List<String> stringList(String path, JsonNode v) {
        if (absent(v)) {
            return null;
        }
        if (!v.isArray()) {
            return wrongType(path, v, "must be an array of strings");
        }
        String[] values = new String[v.size()];
        boolean ok = true;
        for (int i = 0; i < values.length; i++) {
            JsonNode item = v.get(i);
            values[i] = item.isTextual() ? item.textValue() : wrongType(path + "[" + i + "]", item, "must be a string");
            ok &= values[i] != null;
        }
        return ok ? List.of(values) : null;
    }

    // ---- helpers ----

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    private static Map<String, JsonNode> put(Map<String, JsonNode> extra, Map.Entry<String, JsonNode> field) {
        Map<String, JsonNode> map = extra == null ? new LinkedHashMap<>() : extra;
        map.put(field.getKey(), field.getValue());
        return map;
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
