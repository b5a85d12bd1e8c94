package io.friendliflink.api.request;

import static io.friendliflink.api.ApiKind.CHAT_COMPLETIONS;
import static io.friendliflink.api.ApiKind.COMPLETIONS;
import static io.friendliflink.api.ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS;

import io.friendliflink.api.ApiKind;
import java.util.ArrayList;
import java.util.List;

/**
 * TEST TABLE: every rule of API-NOTES' "Request bodies" (ranges, required fields, JSON types and documented
 * incompatibilities) and the few the shared rules add, each as a body that keeps it and a body that breaks
 * it. {@code RequestCheckTest} checks the violation each broken body gives; the emulator's
 * {@code SharedRulesTest} feeds the same bodies to the job's request-line parser and to the running
 * emulator and checks they accept and reject the same ones.
 */
public final class DocumentedRules {
    private DocumentedRules() {}

    /**
     * One rule: a body that keeps it and a body that breaks it, and the violation the broken one must give.
     *
     * @param value the expected offending value as JSON text, {@code null} for a missing field
     * @param rule a fragment the rule text must contain
     */
    public record Rule(String name, ApiKind validKind, String valid, ApiKind invalidKind, String invalid,
            String field, String value, String rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String USER = "[{\"role\":\"user\",\"content\":\"hi\"}]";
    static final String F_TOOL = "[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";

    static String completions(String fields) {
        return "{\"model\":\"m\",\"prompt\":\"p\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    static String chat(String fields) {
        return "{\"model\":\"m\",\"messages\":" + USER + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    static String body(ApiKind kind, String fields) {
        return kind == COMPLETIONS ? completions(fields) : chat(fields);
    }

    static Rule rule(String name, ApiKind kind, String valid, String invalid, String field, String value, String rule) {
        return new Rule(kind + ": " + name, kind, valid, kind, invalid, field, value, rule);
    }

    /** A rule every kind shares, stated by the fields that keep and break it. */
    static Rule shared(ApiKind kind, String name, String validFields, String invalidFields, String field, String value,
            String rule) {
        return rule(name, kind, body(kind, validFields), body(kind, invalidFields), field, value, rule);
    }

    /** Every rule, each with a body that keeps it and a body that breaks it. */
    public static List<Rule> all() {
        List<Rule> rules = new ArrayList<>();
        for (ApiKind kind : List.of(COMPLETIONS, CHAT_COMPLETIONS, TOOL_ASSISTED_CHAT_COMPLETIONS)) {
            rules.add(shared(kind, "model is required", "", "", "model", null, "is required"));
            rules.set(rules.size() - 1, rule("model is required", kind, body(kind, ""),
                    body(kind, "").replace("\"model\":\"m\",", ""), "model", null, "is required"));
            rules.add(rule("model must not be blank", kind, body(kind, ""), body(kind, "").replace("\"m\"", "\"  \""),
                    "model", "\"  \"", "must not be blank"));
            rules.add(shared(kind, "max_tokens >= 1", "\"max_tokens\":1", "\"max_tokens\":0", "max_tokens", "0", "must be >= 1"));
            rules.add(shared(kind, "min_tokens >= 0", "\"min_tokens\":0", "\"min_tokens\":-1", "min_tokens", "-1", "must be >= 0"));
            rules.add(shared(kind, "min_tokens <= max_tokens", "\"min_tokens\":4,\"max_tokens\":4",
                    "\"min_tokens\":5,\"max_tokens\":4", "min_tokens", "5", "must be <= max_tokens (4)"));
            rules.add(shared(kind, "n >= 1", "\"n\":1", "\"n\":0", "n", "0", "must be >= 1"));
            rules.add(shared(kind, "temperature >= 0", "\"temperature\":0", "\"temperature\":-0.1", "temperature", "-0.1",
                    "must be >= 0.0"));
            rules.add(shared(kind, "top_p > 0", "\"top_p\":1.0", "\"top_p\":0", "top_p", "0.0", "must be in (0, 1]"));
            rules.add(shared(kind, "top_p <= 1", "\"top_p\":0.01", "\"top_p\":1.5", "top_p", "1.5", "must be in (0, 1]"));
            rules.add(shared(kind, "top_k >= 0", "\"top_k\":0", "\"top_k\":-1", "top_k", "-1", "must be >= 0"));
            rules.add(shared(kind, "min_p <= 1", "\"min_p\":1.0", "\"min_p\":1.5", "min_p", "1.5",
                    "must be between 0.0 and 1.0"));
            rules.add(shared(kind, "min_p >= 0", "\"min_p\":0", "\"min_p\":-0.1", "min_p", "-0.1",
                    "must be between 0.0 and 1.0"));
            rules.add(shared(kind, "frequency_penalty in [-2, 2]", "\"frequency_penalty\":-2.0", "\"frequency_penalty\":2.5",
                    "frequency_penalty", "2.5", "must be between -2.0 and 2.0"));
            rules.add(shared(kind, "presence_penalty in [-2, 2]", "\"presence_penalty\":2", "\"presence_penalty\":-2.5",
                    "presence_penalty", "-2.5", "must be between -2.0 and 2.0"));
            rules.add(shared(kind, "seed array length equals n", "\"seed\":[1,2],\"n\":2", "\"seed\":[1,2]", "seed", "[1,2]",
                    "must have one seed per choice: 2 given, n is 1"));
            rules.add(shared(kind, "seed array length equals a given n", "\"seed\":[9],\"n\":1", "\"seed\":[1],\"n\":3",
                    "seed", "[1]", "must have one seed per choice: 1 given, n is 3"));
            rules.add(shared(kind, "eos_token ids >= 0", "\"eos_token\":[0,2]", "\"eos_token\":[2,-2]", "eos_token[1]", "-2",
                    "must be a token id >= 0"));
            rules.add(shared(kind, "stream_options needs stream true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}",
                    "\"stream\":false,\"stream_options\":{\"include_usage\":true}", "stream_options", "{\"include_usage\":true}",
                    "is only allowed with stream: true"));
            rules.add(shared(kind, "timeout_microseconds > 0", "\"timeout_microseconds\":1", "\"timeout_microseconds\":0",
                    "timeout_microseconds", "0", "must be > 0"));
            rules.add(shared(kind, "min_tokens not with response_format", "\"response_format\":{\"type\":\"json_object\"}",
                    "\"min_tokens\":1,\"response_format\":{\"type\":\"json_object\"}", "min_tokens", "1",
                    "is not supported together with response_format"));
            rules.add(shared(kind, "json_schema needs a json_schema object",
                    "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{}}}",
                    "\"response_format\":{\"type\":\"json_schema\"}", "response_format.json_schema", null,
                    "is required when type is json_schema"));
            rules.add(shared(kind, "json_schema needs a schema",
                    "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"object\"}}}",
                    "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\"}}",
                    "response_format.json_schema.schema", null, "is required when type is json_schema"));
            rules.add(shared(kind, "json_schema schema is an object",
                    "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{\"type\":\"string\"}}}",
                    "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":\"string\"}}",
                    "response_format.json_schema.schema", "\"string\"", "must be a JSON Schema object"));
            rules.add(shared(kind, "regex needs a schema", "\"response_format\":{\"type\":\"regex\",\"schema\":\"[0-9]+\"}",
                    "\"response_format\":{\"type\":\"regex\"}", "response_format.schema", null, "is required when type is regex"));
            rules.add(shared(kind, "regex schema is a string", "\"response_format\":{\"type\":\"regex\",\"schema\":\"a\"}",
                    "\"response_format\":{\"type\":\"regex\",\"schema\":{\"a\":1}}", "response_format.schema", "{\"a\":1}",
                    "must be a string"));
            rules.add(shared(kind, "response_format type is known", "\"response_format\":{\"type\":\"text\"}",
                    "\"response_format\":{\"type\":\"yaml\"}", "response_format.type", "\"yaml\"",
                    "must be one of text, json_object, json_schema, regex"));
            rules.add(shared(kind, "response_format type is required", "\"response_format\":{\"type\":\"json_object\"}",
                    "\"response_format\":{}", "response_format.type", null, "is required"));
            rules.add(shared(kind, "number fields take numbers", "\"temperature\":0.5", "\"temperature\":\"hot\"", "temperature",
                    "\"hot\"", "must be a number"));
            rules.add(shared(kind, "integer fields take integers", "\"max_tokens\":2", "\"max_tokens\":1.5", "max_tokens", "1.5",
                    "must be an integer"));
            rules.add(shared(kind, "boolean fields take booleans", "\"stream\":false", "\"stream\":\"yes\"", "stream", "\"yes\"",
                    "must be a boolean"));
            rules.add(shared(kind, "seed is an integer or integers", "\"seed\":5", "\"seed\":\"abc\"", "seed", "\"abc\"",
                    "must be an integer or an array of integers"));
            rules.add(shared(kind, "stop is an array of strings", "\"stop\":[\"x\"]", "\"stop\":\"x\"", "stop", "\"x\"",
                    "must be an array of strings"));
        }

        // Completions.
        rules.add(rule("prompt or tokens is required", COMPLETIONS, "{\"model\":\"m\",\"tokens\":[1]}", "{\"model\":\"m\"}",
                "prompt", null, "is required: give exactly one of prompt and tokens"));
        rules.add(rule("not both prompt and tokens", COMPLETIONS, "{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}",
                "{\"model\":\"m\",\"prompt\":\"p\",\"tokens\":[1,2]}", "tokens", "[1,2]",
                "must not be given together with prompt"));
        rules.add(rule("prompt array not empty", COMPLETIONS, "{\"model\":\"m\",\"prompt\":[\"a\"]}",
                "{\"model\":\"m\",\"prompt\":[]}", "prompt", "[]", "must not be an empty array"));
        rules.add(rule("prompt is text or texts", COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"\"}",
                "{\"model\":\"m\",\"prompt\":5}", "prompt", "5", "must be a string or an array of strings"));
        rules.add(rule("tokens not empty", COMPLETIONS, "{\"model\":\"m\",\"tokens\":[0]}", "{\"model\":\"m\",\"tokens\":[]}",
                "tokens", "[]", "must not be an empty array"));
        rules.add(rule("tokens ids >= 0", COMPLETIONS, "{\"model\":\"m\",\"tokens\":[5,0]}", "{\"model\":\"m\",\"tokens\":[5,-1]}",
                "tokens[1]", "-1", "must be a token id >= 0"));
        // The kept body leaves room after the prompt: whether a total of 1 does depends on the model's tokenizer,
        // which only the server knows (RequestCheckTest checks that the shared rules take 1).
        rules.add(c("max_total_tokens >= 1", "\"max_total_tokens\":64", "\"max_total_tokens\":0", "max_total_tokens", "0",
                "must be >= 1"));
        rules.add(c("max_total_tokens not with max_tokens", "\"max_total_tokens\":100", "\"max_total_tokens\":100,\"max_tokens\":5",
                "max_total_tokens", "100", "must not be given together with max_tokens"));
        rules.add(c("min_total_tokens >= 0", "\"min_total_tokens\":0", "\"min_total_tokens\":-1", "min_total_tokens", "-1",
                "must be >= 0"));
        rules.add(c("min_total_tokens not with min_tokens", "\"min_total_tokens\":5", "\"min_total_tokens\":5,\"min_tokens\":1",
                "min_total_tokens", "5", "must not be given together with min_tokens"));
        rules.add(c("min_total_tokens <= max_total_tokens", "\"min_total_tokens\":5,\"max_total_tokens\":5",
                "\"min_total_tokens\":6,\"max_total_tokens\":5", "min_total_tokens", "6", "must be <= max_total_tokens (5)"));
        rules.add(c("repetition_penalty >= 1", "\"repetition_penalty\":1.0", "\"repetition_penalty\":0.5", "repetition_penalty",
                "0.5", "must be >= 1.0"));
        rules.add(c("encoder_repetition_penalty >= 1", "\"encoder_repetition_penalty\":1", "\"encoder_repetition_penalty\":0.9",
                "encoder_repetition_penalty", "0.9", "must be >= 1.0"));
        rules.add(c("no_repeat_ngram >= 1", "\"no_repeat_ngram\":1", "\"no_repeat_ngram\":0", "no_repeat_ngram", "0",
                "must be >= 1"));
        rules.add(c("encoder_no_repeat_ngram >= 1", "\"encoder_no_repeat_ngram\":3", "\"encoder_no_repeat_ngram\":0",
                "encoder_no_repeat_ngram", "0", "must be >= 1"));
        rules.add(c("stop_tokens entries need tokens", "\"stop_tokens\":[{\"tokens\":[1]}]", "\"stop_tokens\":[{}]",
                "stop_tokens[0].tokens", null, "is required: an array of token ids"));
        rules.add(c("bad_word_tokens ids >= 0", "\"bad_word_tokens\":[{\"tokens\":[3]}]", "\"bad_word_tokens\":[{\"tokens\":[-3]}]",
                "bad_word_tokens[0].tokens[0]", "-3", "must be a token id >= 0"));
        rules.add(c("stop_tokens entries are objects", "\"stop_tokens\":[]", "\"stop_tokens\":[[1]]", "stop_tokens[0]", "[1]",
                "must be an object {\"tokens\": [integer, ...]}"));
        rules.add(c("logprobs >= 0", "\"logprobs\":0", "\"logprobs\":-1", "logprobs", "-1", "must be >= 0"));
        rules.add(c("logprobs is an integer for completions", "\"logprobs\":2", "\"logprobs\":true", "logprobs", "true",
                "must be an integer"));
        rules.add(c("forced_output_tokens ids >= 0", "\"forced_output_tokens\":[1]", "\"forced_output_tokens\":[-1]",
                "forced_output_tokens[0]", "-1", "must be a token id >= 0"));
        rules.add(c("num_beams <= 31", "\"num_beams\":31", "\"num_beams\":32", "num_beams", "32", "must be between 1 and 31"));
        rules.add(c("num_beams >= 1", "\"num_beams\":1", "\"num_beams\":0", "num_beams", "0", "must be between 1 and 31"));
        rules.add(c("n > 1 not with beam search", "\"n\":1,\"num_beams\":2", "\"n\":2,\"num_beams\":2", "n", "2",
                "must not be greater than 1 with beam search"));
        rules.add(c("stream not with beam search", "\"stream\":false,\"num_beams\":2", "\"stream\":true,\"num_beams\":2", "stream",
                "true", "is not supported with beam search"));
        rules.add(c("stop not with num_beams", "\"stop_tokens\":[{\"tokens\":[2]}],\"num_beams\":2",
                "\"stop\":[\"x\"],\"num_beams\":2", "stop", "[\"x\"]", "is not supported with beam search (num_beams): use stop_tokens"));
        rules.add(c("top_k not with default DETERMINISTIC beams", "\"top_k\":5,\"num_beams\":2,\"beam_search_type\":\"STOCHASTIC\"",
                "\"top_k\":5,\"num_beams\":2", "top_k", "5", "is not allowed with beam_search_type DETERMINISTIC"));
        rules.add(c("top_p not with DETERMINISTIC beams", "\"top_p\":0.9,\"num_beams\":2,\"beam_search_type\":\"NAIVE_SAMPLING\"",
                "\"top_p\":0.9,\"num_beams\":2,\"beam_search_type\":\"DETERMINISTIC\"", "top_p", "0.9",
                "is not allowed with beam_search_type DETERMINISTIC"));
        rules.add(c("beam_search_type is known", "\"beam_search_type\":\"STOCHASTIC\"", "\"beam_search_type\":\"GREEDY\"",
                "beam_search_type", "\"GREEDY\"", "must be one of DETERMINISTIC, NAIVE_SAMPLING, STOCHASTIC"));
        rules.add(c("early_stopping needs num_beams", "\"early_stopping\":true,\"num_beams\":2", "\"early_stopping\":true",
                "early_stopping", "true", "is only allowed with beam search"));
        rules.add(c("length_penalty needs num_beams", "\"length_penalty\":0.8,\"num_beams\":2", "\"length_penalty\":0.8",
                "length_penalty", "0.8", "is only allowed with beam search"));
        rules.add(c("embedding_to_replace needs token_index_to_replace",
                "\"embedding_to_replace\":[0.5,0.25],\"token_index_to_replace\":[3]", "\"embedding_to_replace\":[0.5]",
                "embedding_to_replace", "[0.5]", "requires token_index_to_replace"));
        rules.add(c("token_index_to_replace needs embedding_to_replace",
                "\"embedding_to_replace\":[0.5],\"token_index_to_replace\":[3]", "\"token_index_to_replace\":[3]",
                "token_index_to_replace", "[3]", "requires embedding_to_replace"));
        rules.add(c("embedding length is a multiple of the indices",
                "\"embedding_to_replace\":[0.1,0.2,0.3,0.4],\"token_index_to_replace\":[1,2]",
                "\"embedding_to_replace\":[0.1,0.2,0.3],\"token_index_to_replace\":[1,2]", "embedding_to_replace",
                "[0.1,0.2,0.3]", "must be a multiple of the length of token_index_to_replace (2)"));
        rules.add(c("token_index_to_replace >= 0", "\"embedding_to_replace\":[0.5],\"token_index_to_replace\":[0]",
                "\"embedding_to_replace\":[0.5],\"token_index_to_replace\":[-1]", "token_index_to_replace[0]", "-1",
                "must be >= 0"));

        // Chat and tool-assisted chat.
        for (ApiKind kind : List.of(CHAT_COMPLETIONS, TOOL_ASSISTED_CHAT_COMPLETIONS)) {
            rules.add(rule("messages is required", kind, chat(""), "{\"model\":\"m\"}", "messages", null,
                    "is required: a non-empty array of messages"));
            rules.add(rule("messages not empty", kind, chat(""), "{\"model\":\"m\",\"messages\":[]}", "messages", "[]",
                    "must not be empty"));
            rules.add(rule("roles are valid", kind,
                    msgs("{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"u\"},"
                            + "{\"role\":\"assistant\",\"content\":\"a\"}"),
                    msgs("{\"role\":\"robot\",\"content\":\"beep\"}"), "messages[0].role", "\"robot\"",
                    "must be one of system, user, assistant, tool"));
            rules.add(rule("role is required", kind, msgs("{\"role\":\"user\",\"content\":\"u\"}"), msgs("{\"content\":\"u\"}"),
                    "messages[0].role", null, "is required"));
            rules.add(rule("user message needs content", kind, msgs("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"u\"}]}"),
                    msgs("{\"role\":\"user\"}"), "messages[0].content", null, "is required for a user message"));
            rules.add(rule("assistant message needs content or tool_calls", kind,
                    msgs("{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\","
                            + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}"),
                    msgs("{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\"}"), "messages[1].content", null,
                    "is required for an assistant message without tool_calls"));
            rules.add(rule("tool message needs tool_call_id", kind,
                    msgs("{\"role\":\"tool\",\"content\":\"4\",\"tool_call_id\":\"c\"}"), msgs("{\"role\":\"tool\",\"content\":\"4\"}"),
                    "messages[0].tool_call_id", null, "is required for a tool message"));
            rules.add(rule("content is text or parts", kind, msgs("{\"role\":\"user\",\"content\":\"\"}"),
                    msgs("{\"role\":\"user\",\"content\":5}"), "messages[0].content", "5",
                    "must be a string or an array of content parts"));
            rules.add(shared(kind, "top_logprobs >= 0", "\"logprobs\":true,\"top_logprobs\":0", "\"logprobs\":true,\"top_logprobs\":-1",
                    "top_logprobs", "-1", "must be >= 0"));
            rules.add(shared(kind, "top_logprobs needs logprobs true", "\"logprobs\":true,\"top_logprobs\":3",
                    "\"logprobs\":false,\"top_logprobs\":3", "top_logprobs", "3", "requires logprobs: true"));
            rules.add(shared(kind, "logprobs is a boolean for chat", "\"logprobs\":false", "\"logprobs\":1", "logprobs", "1",
                    "must be a boolean"));
            rules.add(shared(kind, "at most 128 tools", "\"tools\":" + functions(128), "\"tools\":" + functions(129), "tools",
                    "[129 tools]", "must have at most 128 tools"));
            rules.add(shared(kind, "function tools need a name", "\"tools\":" + F_TOOL,
                    "\"tools\":[{\"type\":\"function\",\"function\":{\"description\":\"d\"}}]", "tools[0].function.name", null,
                    "is required: a non-blank function name"));
            rules.add(shared(kind, "tool types are known", "\"tools\":" + F_TOOL, "\"tools\":[{\"type\":\"web:fetch\"}]",
                    "tools[0].type", "\"web:fetch\"", "must be function, file:text, math:calculator"));
            rules.add(shared(kind, "named tool_choice must exist in tools",
                    "\"tools\":" + F_TOOL + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}",
                    "\"tools\":" + F_TOOL + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}",
                    "tool_choice.function.name", "\"g\"", "must name a function given in tools"));
            rules.add(shared(kind, "tool_choice required needs tools", "\"tools\":" + F_TOOL + ",\"tool_choice\":\"required\"",
                    "\"tool_choice\":\"required\"", "tool_choice", "\"required\"", "needs at least one tool"));
            rules.add(shared(kind, "tool_choice mode is known", "\"tool_choice\":\"none\"", "\"tool_choice\":\"sometimes\"",
                    "tool_choice", "\"sometimes\"", "must be none, auto, required"));
            rules.add(shared(kind, "tool_choice object is of type function",
                    "\"tools\":" + F_TOOL + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}",
                    "\"tools\":" + F_TOOL + ",\"tool_choice\":{\"type\":\"tool\",\"function\":{\"name\":\"f\"}}",
                    "tool_choice.type", "\"tool\"", "must be function"));
            rules.add(shared(kind, "min_tokens not with tools", "\"tools\":" + F_TOOL, "\"tools\":" + F_TOOL + ",\"min_tokens\":1",
                    "min_tokens", "1", "is not supported together with tools"));
            rules.add(shared(kind, "response_format not with tools", "\"response_format\":{\"type\":\"json_object\"}",
                    "\"tools\":" + F_TOOL + ",\"response_format\":{\"type\":\"json_object\"}", "response_format",
                    "{\"type\":\"json_object\"}", "is not supported together with tools"));
            rules.add(shared(kind, "logit_bias keys are token ids", "\"logit_bias\":{\"42\":-1}", "\"logit_bias\":{\"abc\":1}",
                    "logit_bias.abc", "\"abc\"", "key must be a token id"));
        }
        rules.add(rule("chat repetition_penalty > 0", CHAT_COMPLETIONS, chat("\"repetition_penalty\":0.5"),
                chat("\"repetition_penalty\":0"), "repetition_penalty", "0.0", "must be > 0"));
        rules.add(rule("tool-assisted repetition_penalty >= 1", TOOL_ASSISTED_CHAT_COMPLETIONS, chat("\"repetition_penalty\":1"),
                chat("\"repetition_penalty\":0.5"), "repetition_penalty", "0.5", "must be >= 1.0"));
        rules.add(new Rule("built-in tools only on tool-assisted chat", TOOL_ASSISTED_CHAT_COMPLETIONS,
                chat("\"tools\":[{\"type\":\"web:search\"}]"), CHAT_COMPLETIONS, chat("\"tools\":[{\"type\":\"web:search\"}]"),
                "tools[0].type", "\"web:search\"", "is a built-in tool, allowed only on tool-assisted chat"));
        rules.add(new Rule("file:text only on tool-assisted chat", TOOL_ASSISTED_CHAT_COMPLETIONS,
                chat("\"tools\":[{\"type\":\"file:text\",\"files\":[\"f\"]}]"), CHAT_COMPLETIONS,
                chat("\"tools\":[{\"type\":\"file:text\",\"files\":[\"f\"]}]"), "tools[0].type", "\"file:text\"",
                "is a built-in tool, allowed only on tool-assisted chat"));
        rules.add(rule("file:text needs files", TOOL_ASSISTED_CHAT_COMPLETIONS,
                chat("\"tools\":[{\"type\":\"file:text\",\"files\":[\"f\"]}]"), chat("\"tools\":[{\"type\":\"file:text\",\"files\":[]}]"),
                "tools[0].files", "[]", "must list at least one file id"));
        rules.add(new Rule("resume_generation only on tool-assisted chat", TOOL_ASSISTED_CHAT_COMPLETIONS,
                chat("\"resume_generation\":true"), CHAT_COMPLETIONS, chat("\"resume_generation\":true"), "resume_generation",
                "true", "is only allowed on tool-assisted chat"));
        return List.copyOf(rules);
    }

    static Rule c(String name, String validFields, String invalidFields, String field, String value, String rule) {
        return shared(COMPLETIONS, name, validFields, invalidFields, field, value, rule);
    }

    static String msgs(String messages) {
        return "{\"model\":\"m\",\"messages\":[" + messages + "]}";
    }

    static String functions(int count) {
        StringBuilder tools = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            tools.append(i == 0 ? "" : ",").append("{\"type\":\"function\",\"function\":{\"name\":\"f").append(i).append("\"}}");
        }
        return tools.append(']').toString();
    }
}
