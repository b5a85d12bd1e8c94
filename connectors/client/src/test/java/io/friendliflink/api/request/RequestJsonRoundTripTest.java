package io.friendliflink.api.request;

import static io.friendliflink.api.request.Json.parse;
import static io.friendliflink.api.request.Json.sameTree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.api.ApiKind;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RequestJsonRoundTripTest {
    static final String COMPLETIONS_BASE = "{\"model\":\"m\",\"prompt\":\"p\"}";
    static final String CHAT_BASE = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /** Every body field of the completions page with a value that exercises its type. */
    static final List<String[]> COMPLETIONS_FIELDS = List.of(
            f("model", "\"endpoint-id:adapter\""),
            f("prompt", "\"Say this is a test\""),
            f("prompt", "[\"first\",\"second\"]"),
            f("tokens", "[128000,3923,374]"),
            f("max_tokens", "200"),
            f("max_total_tokens", "4096"),
            f("min_tokens", "3"),
            f("min_total_tokens", "10"),
            f("n", "3"),
            f("temperature", "0.7"),
            f("top_p", "0.9"),
            f("top_k", "40"),
            f("min_p", "0.05"),
            f("frequency_penalty", "-1.5"),
            f("presence_penalty", "1.25"),
            f("repetition_penalty", "1.1"),
            f("encoder_repetition_penalty", "1.2"),
            f("no_repeat_ngram", "3"),
            f("encoder_no_repeat_ngram", "2"),
            f("seed", "42"),
            f("seed", "[1,2,3]"),
            f("seed", "9007199254740993"),
            f("stop", "[\"\\n\",\"END\"]"),
            f("stop_tokens", "[{\"tokens\":[1,2]},{\"tokens\":[3]}]"),
            f("bad_words", "[\"clear\",\" clear\"]"),
            f("bad_word_tokens", "[{\"tokens\":[7,8,9]}]"),
            f("eos_token", "[2,128001]"),
            f("stream", "true"),
            f("stream_options", "{\"include_usage\":true}"),
            f("timeout_microseconds", "30000000000"),
            f("response_format", "{\"type\":\"text\"}"),
            f("response_format", "{\"type\":\"json_object\"}"),
            f("response_format", "{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}}}"),
            f("response_format", "{\"type\":\"regex\",\"schema\":\"[A-D]\"}"),
            f("logprobs", "5"),
            f("forced_output_tokens", "[362,426]"),
            f("num_beams", "4"),
            f("beam_search_type", "\"DETERMINISTIC\""),
            f("beam_search_type", "\"NAIVE_SAMPLING\""),
            f("beam_search_type", "\"STOCHASTIC\""),
            f("early_stopping", "true"),
            f("length_penalty", "0.8"),
            f("beam_compat_pre_normalization", "true"),
            f("beam_compat_no_post_normalization", "false"),
            f("embedding_to_replace", "[0.125,-1.5,3.0e-7,2.0]"),
            f("token_index_to_replace", "[0,5]"));

    /** Every body field of the chat page (and the tool-assisted page) with a value that exercises its type. */
    static final List<String[]> CHAT_FIELDS = List.of(
            f("model", "\"meta-llama-3.1-8b-instruct\""),
            f("messages", "[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi\",\"name\":\"ann\"}]"),
            f("messages", "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what is this?\"},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.invalid/a.png\",\"detail\":\"low\"}}]}]"),
            f("messages", "[{\"role\":\"user\",\"content\":\"2+2?\"},"
                    + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":2,\\\"b\\\":2}\"}}]},"
                    + "{\"role\":\"tool\",\"content\":\"4\",\"tool_call_id\":\"call_1\"},"
                    + "{\"role\":\"assistant\",\"content\":\"4\"}]"),
            f("max_tokens", "200"),
            f("min_tokens", "3"),
            f("n", "2"),
            f("temperature", "0.0"),
            f("top_p", "1.0"),
            f("top_k", "0"),
            f("min_p", "1.0"),
            f("frequency_penalty", "2.0"),
            f("presence_penalty", "-2.0"),
            f("repetition_penalty", "1.05"),
            f("seed", "7"),
            f("seed", "[7,8]"),
            f("stop", "[\"###\"]"),
            f("eos_token", "[128009]"),
            f("stream", "false"),
            f("stream_options", "{\"include_usage\":false}"),
            f("timeout_microseconds", "5000000"),
            f("response_format", "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"strict\":true,\"schema\":{\"type\":\"object\"}}}"),
            f("response_format", "{\"type\":\"regex\",\"schema\":\"(yes|no)\"}"),
            f("logit_bias", "{\"50256\":-100,\"12\":2.5}"),
            f("logprobs", "true"),
            f("top_logprobs", "5"),
            f("tools", "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather of a city\","
                    + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]"),
            f("tool_choice", "\"none\""),
            f("tool_choice", "\"auto\""),
            f("tool_choice", "\"required\""),
            f("tool_choice", "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"),
            f("parallel_tool_calls", "true"),
            f("resume_generation", "true"));

    /** What only tool-assisted chat adds: built-in tools, mixed with functions. */
    static final List<String[]> TOOL_ASSISTED_FIELDS = List.of(
            f("tools", "[{\"type\":\"math:calculator\"},{\"type\":\"math:statistics\"},{\"type\":\"math:calendar\"},"
                    + "{\"type\":\"web:search\"},{\"type\":\"web:url\"},{\"type\":\"code:python-interpreter\"},"
                    + "{\"type\":\"linkup:search\"},{\"type\":\"file:text\",\"files\":[\"file-1\",\"file-2\"]},"
                    + "{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}]"),
            f("resume_generation", "false"));

    private static String[] f(String field, String json) {
        return new String[] {field, json};
    }

    static Stream<Arguments> everyField() {
        List<Arguments> cases = new ArrayList<>();
        COMPLETIONS_FIELDS.forEach(c -> cases.add(Arguments.of(ApiKind.COMPLETIONS, c[0], c[1])));
        CHAT_FIELDS.forEach(c -> cases.add(Arguments.of(ApiKind.CHAT_COMPLETIONS, c[0], c[1])));
        CHAT_FIELDS.forEach(c -> cases.add(Arguments.of(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, c[0], c[1])));
        TOOL_ASSISTED_FIELDS.forEach(c -> cases.add(Arguments.of(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, c[0], c[1])));
        return cases.stream();
    }

    static String base(ApiKind kind) {
        return kind == ApiKind.COMPLETIONS ? COMPLETIONS_BASE : CHAT_BASE;
    }

    @ParameterizedTest(name = "{0} {1}={2}")
    @MethodSource("everyField")
    void everyFieldIsReadIntoTheTypedModelAndWrittenBackEqual(ApiKind kind, String field, String json) {
        ObjectNode body = Json.with(base(kind), field, json);

        InferenceRequest request = RequestJson.read(kind, body);

        // Known fields must land in typed components, not slip through as extras.
        assertThat(request.extraFields()).isEmpty();
        assertThat(request.kind()).isEqualTo(kind);
        JsonNode written = parse(RequestJson.write(request));
        assertThat(sameTree(written, body)).as("written %s vs given %s", written, body).isTrue();
        assertThat(written.get(field)).isNotNull();
        assertThat(sameTree(RequestJson.writeTree(request), body)).isTrue();
    }

    @Test
    void aBodyWithEveryCompletionsFieldAtOnceRoundTripsAndIsTyped() {
        ObjectNode body = (ObjectNode) parse(COMPLETIONS_BASE);
        COMPLETIONS_FIELDS.forEach(c -> body.set(c[0], parse(c[1])));

        CompletionsRequest request = (CompletionsRequest) RequestJson.read(ApiKind.COMPLETIONS, body);

        assertThat(sameTree(parse(RequestJson.write(request)), body)).isTrue();
        assertThat(request.tokenIndexToReplace()).containsExactly(0, 5);
        assertThat(request.embeddingToReplace()).containsExactly(0.125, -1.5, 3.0e-7, 2.0);
        assertThat(request.beamSearchType()).isEqualTo(BeamSearchType.STOCHASTIC);
        assertThat(request.common().timeoutMicroseconds()).isEqualTo(30_000_000_000L);
        assertThat(request.stopTokens()).containsExactly(TokenSequence.of(List.of(1, 2)), TokenSequence.of(List.of(3)));
        assertThat(request.common().responseFormat()).isEqualTo(ResponseFormat.regex("[A-D]"));
        assertThat(request.logprobs()).isEqualTo(5);
        assertThat(request.isStream()).isTrue();
    }

    @Test
    void typedAccessorsOfAChatBodyCarryTheUnionVariants() {
        ObjectNode body = (ObjectNode) parse(CHAT_BASE);
        CHAT_FIELDS.forEach(c -> body.set(c[0], parse(c[1])));
        body.set("seed", parse("[1,2]"));
        body.set("tool_choice", parse("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"));

        ChatCompletionsRequest request = (ChatCompletionsRequest) RequestJson.read(ApiKind.CHAT_COMPLETIONS, body);

        assertThat(request.common().seed()).isEqualTo(Seed.perChoice(List.of(1L, 2L)));
        assertThat(request.toolChoice()).isEqualTo(ToolChoice.function("get_weather"));
        assertThat(request.logitBias()).containsEntry(50256, -100.0).containsEntry(12, 2.5);
        assertThat(request.logprobs()).isTrue();
        ChatMessage call = request.messages().get(1);
        assertThat(call.role()).isEqualTo(Role.ASSISTANT);
        assertThat(call.content()).isNull();
        assertThat(call.toolCalls()).containsExactly(
                ChatMessage.AssistantToolCall.function("call_1", "add", "{\"a\":2,\"b\":2}"));
        assertThat(request.messages().get(2)).isEqualTo(ChatMessage.tool("call_1", "4"));
        assertThat(sameTree(parse(RequestJson.write(request)), body)).isTrue();
    }

    @Test
    void builtInToolsAreTypedByTheirWireNames() {
        ObjectNode body = Json.with(CHAT_BASE, "tools", TOOL_ASSISTED_FIELDS.get(0)[1]);

        ChatCompletionsRequest request =
                (ChatCompletionsRequest) RequestJson.read(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, body);

        assertThat(request.tools()).hasSize(9);
        assertThat(request.tools().subList(0, 7)).extracting(t -> ((Tool.BuiltIn) t).tool())
                .containsExactly(BuiltInTool.values());
        assertThat(request.tools().get(7)).isEqualTo(Tool.fileText(List.of("file-1", "file-2")));
        assertThat(request.tools().get(8)).isInstanceOf(Tool.Function.class);
    }

    @Test
    void aRequestBuiltInCodeIsWrittenAsTheApiExpects() {
        CompletionsRequest request = CompletionsRequest.builder("m")
                .prompt(Prompt.of("Q: 2+2?\nA:"))
                .forcedOutputTokens(List.of(362))
                .logprobs(1)
                .seed(Seed.of(3))
                .responseFormat(ResponseFormat.jsonSchema(parse("{\"type\":\"object\"}")))
                .build();

        assertThat(new String(RequestJson.write(request), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
                "{\"model\":\"m\",\"prompt\":\"Q: 2+2?\\nA:\",\"seed\":3,"
                        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{\"type\":\"object\"}}},"
                        + "\"logprobs\":1,\"forced_output_tokens\":[362]}");
    }

    @Test
    void toBuilderGivesAnEqualRequestThatCanBeChanged() {
        ChatCompletionsRequest request = ChatCompletionsRequest.toolAssistedBuilder("m")
                .messages(List.of(ChatMessage.user("hi")))
                .tools(List.of(Tool.builtIn(BuiltInTool.WEB_SEARCH)))
                .extraField("x_custom", parse("1"))
                .build();

        assertThat(request.toBuilder().build()).isEqualTo(request);
        ChatCompletionsRequest changed = request.toBuilder().temperature(0.5).build();
        assertThat(changed.common().temperature()).isEqualTo(0.5);
        assertThat(changed.kind()).isEqualTo(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS);
        assertThat(request.common().temperature()).isNull();
    }
}
