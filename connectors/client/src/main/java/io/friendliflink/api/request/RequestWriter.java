package io.friendliflink.api.request;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a typed request field by field to a {@link JsonGenerator}: known fields first in a fixed order,
 * then the extra fields in their given order. Absent ({@code null}) fields are not written.
 *
 * <p>The generator must have an {@code ObjectCodec} (one made by an {@code ObjectMapper}), because extra
 * fields and schemas are written as trees.
 */
final class RequestWriter {
    private RequestWriter() {}

    static void write(InferenceRequest request, JsonGenerator g) throws IOException {
        if (request instanceof CompletionsRequest completions) {
            writeCompletions(completions, g);
        } else if (request instanceof ChatCompletionsRequest chat) {
            writeChat(chat, g);
        } else {
            throw new IllegalArgumentException("cannot write request type " + request.getClass().getName());
        }
    }

    private static void writeCompletions(CompletionsRequest r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        string(g, "model", r.model());
        if (r.prompt() instanceof Prompt.Text text) {
            g.writeStringField("prompt", text.text());
        } else if (r.prompt() instanceof Prompt.Texts texts) {
            strings(g, "prompt", texts.texts());
        }
        ints(g, "tokens", r.tokens());
        writeCommon(r.common(), g);
        integer(g, "max_total_tokens", r.maxTotalTokens());
        integer(g, "min_total_tokens", r.minTotalTokens());
        number(g, "encoder_repetition_penalty", r.encoderRepetitionPenalty());
        integer(g, "no_repeat_ngram", r.noRepeatNgram());
        integer(g, "encoder_no_repeat_ngram", r.encoderNoRepeatNgram());
        tokenSequences(g, "stop_tokens", r.stopTokens());
        strings(g, "bad_words", r.badWords());
        tokenSequences(g, "bad_word_tokens", r.badWordTokens());
        integer(g, "logprobs", r.logprobs());
        ints(g, "forced_output_tokens", r.forcedOutputTokens());
        integer(g, "num_beams", r.numBeams());
        if (r.beamSearchType() != null) {
            g.writeStringField("beam_search_type", r.beamSearchType().name());
        }
        bool(g, "early_stopping", r.earlyStopping());
        number(g, "length_penalty", r.lengthPenalty());
        bool(g, "beam_compat_pre_normalization", r.beamCompatPreNormalization());
        bool(g, "beam_compat_no_post_normalization", r.beamCompatNoPostNormalization());
        if (r.embeddingToReplace() != null) {
            g.writeArrayFieldStart("embedding_to_replace");
            for (Double value : r.embeddingToReplace()) {
                g.writeNumber(value);
            }
            g.writeEndArray();
        }
        ints(g, "token_index_to_replace", r.tokenIndexToReplace());
        extras(g, r.extraFields());
        g.writeEndObject();
    }

    private static void writeChat(ChatCompletionsRequest r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        string(g, "model", r.model());
        if (r.messages() != null) {
            g.writeArrayFieldStart("messages");
            for (ChatMessage message : r.messages()) {
                message(g, message);
            }
            g.writeEndArray();
        }
        writeCommon(r.common(), g);
        if (r.logitBias() != null) {
            g.writeObjectFieldStart("logit_bias");
            for (Map.Entry<Integer, Double> bias : r.logitBias().entrySet()) {
                g.writeFieldName(Integer.toString(bias.getKey()));
                g.writeNumber(bias.getValue());
            }
            g.writeEndObject();
        }
        bool(g, "logprobs", r.logprobs());
        integer(g, "top_logprobs", r.topLogprobs());
        if (r.tools() != null) {
            g.writeFieldName("tools");
            tools(g, r.tools());
        }
        toolChoice(g, r.toolChoice());
        bool(g, "parallel_tool_calls", r.parallelToolCalls());
        bool(g, "resume_generation", r.resumeGeneration());
        extras(g, r.extraFields());
        g.writeEndObject();
    }

    /** The common fields but {@code model}, which each kind writes first. */
    private static void writeCommon(CommonFields c, JsonGenerator g) throws IOException {
        integer(g, "max_tokens", c.maxTokens());
        integer(g, "min_tokens", c.minTokens());
        integer(g, "n", c.n());
        number(g, "temperature", c.temperature());
        number(g, "top_p", c.topP());
        integer(g, "top_k", c.topK());
        number(g, "min_p", c.minP());
        number(g, "frequency_penalty", c.frequencyPenalty());
        number(g, "presence_penalty", c.presencePenalty());
        number(g, "repetition_penalty", c.repetitionPenalty());
        seed(g, c.seed());
        strings(g, "stop", c.stop());
        ints(g, "eos_token", c.eosToken());
        bool(g, "stream", c.stream());
        streamOptions(g, c.streamOptions());
        longInteger(g, "timeout_microseconds", c.timeoutMicroseconds());
        responseFormat(g, c.responseFormat());
    }

    /** {@code tools} as a JSON array. */
    static void tools(JsonGenerator g, List<Tool> tools) throws IOException {
        g.writeStartArray();
        for (Tool tool : tools) {
            tool(g, tool);
        }
        g.writeEndArray();
    }

    /** An assistant message's {@code tool_calls} as a JSON array. */
    static void toolCalls(JsonGenerator g, List<ChatMessage.AssistantToolCall> calls) throws IOException {
        g.writeStartArray();
        for (ChatMessage.AssistantToolCall call : calls) {
            g.writeStartObject();
            string(g, "id", call.id());
            string(g, "type", call.type());
            if (call.function() != null) {
                ChatMessage.FunctionCall function = call.function();
                g.writeObjectFieldStart("function");
                string(g, "name", function.name());
                string(g, "arguments", function.arguments());
                extras(g, function.extraFields());
                g.writeEndObject();
            }
            extras(g, call.extraFields());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void message(JsonGenerator g, ChatMessage m) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", m.role().wireName());
        if (m.content() instanceof MessageContent.Text text) {
            g.writeStringField("content", text.text());
        } else if (m.content() instanceof MessageContent.Parts parts) {
            g.writeArrayFieldStart("content");
            for (MessageContent.Part part : parts.parts()) {
                g.writeStartObject();
                g.writeStringField("type", part.type());
                string(g, "text", part.text());
                extras(g, part.extraFields());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        string(g, "name", m.name());
        if (m.toolCalls() != null) {
            g.writeFieldName("tool_calls");
            toolCalls(g, m.toolCalls());
        }
        string(g, "tool_call_id", m.toolCallId());
        extras(g, m.extraFields());
        g.writeEndObject();
    }

    private static void tool(JsonGenerator g, Tool tool) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", tool.type());
        if (tool instanceof Tool.Function function) {
            Tool.FunctionSpec spec = function.function();
            g.writeObjectFieldStart("function");
            string(g, "name", spec.name());
            string(g, "description", spec.description());
            tree(g, "parameters", spec.parameters());
            extras(g, spec.extraFields());
            g.writeEndObject();
        } else if (tool instanceof Tool.FileText fileText) {
            strings(g, "files", fileText.files());
        }
        extras(g, tool.extraFields());
        g.writeEndObject();
    }

    private static void toolChoice(JsonGenerator g, ToolChoice choice) throws IOException {
        if (choice instanceof ToolChoice.Mode mode) {
            g.writeStringField("tool_choice", mode.wireName());
        } else if (choice instanceof ToolChoice.Function function) {
            g.writeObjectFieldStart("tool_choice");
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", function.name());
            extras(g, function.functionExtraFields());
            g.writeEndObject();
            extras(g, function.extraFields());
            g.writeEndObject();
        }
    }

    private static void responseFormat(JsonGenerator g, ResponseFormat format) throws IOException {
        if (format == null) {
            return;
        }
        g.writeObjectFieldStart("response_format");
        g.writeStringField("type", format.type());
        if (format instanceof ResponseFormat.JsonSchema jsonSchema) {
            g.writeObjectFieldStart("json_schema");
            tree(g, "schema", jsonSchema.schema());
            extras(g, jsonSchema.jsonSchemaExtraFields());
            g.writeEndObject();
        } else if (format instanceof ResponseFormat.Regex regex) {
            g.writeStringField("schema", regex.schema());
        }
        extras(g, format.extraFields());
        g.writeEndObject();
    }

    private static void seed(JsonGenerator g, Seed seed) throws IOException {
        if (seed instanceof Seed.Single single) {
            g.writeNumberField("seed", single.value());
        } else if (seed instanceof Seed.PerChoice perChoice) {
            g.writeArrayFieldStart("seed");
            for (Long value : perChoice.values()) {
                g.writeNumber(value);
            }
            g.writeEndArray();
        }
    }

    private static void streamOptions(JsonGenerator g, StreamOptions options) throws IOException {
        if (options == null) {
            return;
        }
        g.writeObjectFieldStart("stream_options");
        bool(g, "include_usage", options.includeUsage());
        extras(g, options.extraFields());
        g.writeEndObject();
    }

    private static void tokenSequences(JsonGenerator g, String name, List<TokenSequence> sequences) throws IOException {
        if (sequences == null) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (TokenSequence sequence : sequences) {
            g.writeStartObject();
            ints(g, "tokens", sequence.tokens());
            extras(g, sequence.extraFields());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void extras(JsonGenerator g, Map<String, JsonNode> extras) throws IOException {
        for (Map.Entry<String, JsonNode> field : extras.entrySet()) {
            g.writeFieldName(field.getKey());
            g.writeTree(field.getValue());
        }
    }

    private static void tree(JsonGenerator g, String name, JsonNode value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeTree(value);
        }
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void integer(JsonGenerator g, String name, Integer value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value.intValue());
        }
    }

    private static void longInteger(JsonGenerator g, String name, Long value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value.longValue());
        }
    }

    private static void number(JsonGenerator g, String name, Double value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value.doubleValue());
        }
    }

    private static void bool(JsonGenerator g, String name, Boolean value) throws IOException {
        if (value != null) {
            g.writeBooleanField(name, value);
        }
    }

    private static void ints(JsonGenerator g, String name, List<Integer> values) throws IOException {
        if (values == null) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (Integer value : values) {
            g.writeNumber(value.intValue());
        }
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        if (values == null) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }
}
