package io.friendliflink.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every path over plain HTTP, JSON and SSE, with the shapes of API-NOTES. */
class EmulatorPathsTest {
    static final String CHAT = "{\"model\":\"meta-llama-3.1-8b-instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]";
    static final String COMPLETION = "{\"model\":\"meta-llama-3.1-8b-instruct\",\"prompt\":\"Say hi\"";

    static Emulator emulator;
    static TestHttp http;

    @BeforeAll
    static void start() {
        emulator = Emulator.start(EmulatorConfig.builder().ioThreads(2).build(), new ScriptedTestModel());
        http = new TestHttp(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/serverless/v1/completions", "/dedicated/v1/completions", "/v1/completions"})
    void completionsAnswerWithTextCompletionShapeAndExactUsage(String path) throws Exception {
        HttpResponse<String> r = http.postJson(path, COMPLETION + ",\"seed\":7}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = TestHttp.json(r.body());
        assertThat(body.get("id").asText()).matches("cmpl-[0-9a-f]{32}");
        assertThat(body.get("object").asText()).isEqualTo("text_completion");
        assertThat(body.get("model").asText()).isEqualTo("meta-llama-3.1-8b-instruct");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("seed").asLong()).isEqualTo(7);
        assertThat(choice.get("text").asText()).isEqualTo(ScriptedTestModel.ANSWER_TEXT);
        assertThat(choice.get("tokens")).hasSize(5);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.has("logprobs")).isFalse();
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo("Say hi".length());
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(5);
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(11);
    }

    @Test
    void completionsLogprobsUseTheCompletionsShape() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/serverless/v1/completions",
                COMPLETION + ",\"logprobs\":2,\"max_tokens\":3}").body());

        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        JsonNode lp = choice.get("logprobs");
        assertThat(lp.get("tokens")).extracting(JsonNode::asText).containsExactly("Hello", " from", " the");
        assertThat(lp.get("token_logprobs")).hasSize(3);
        assertThat(lp.get("top_logprobs").get(1).size()).isEqualTo(2);
        assertThat(lp.get("top_logprobs").get(1).get(" from").asDouble()).isEqualTo(-0.5);
        assertThat(lp.get("text_offset")).extracting(JsonNode::asInt).containsExactly(0, 5, 10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/serverless/v1/chat/completions", "/dedicated/v1/chat/completions", "/v1/chat/completions"})
    void chatAnswersWithChatCompletionShape(String path) throws Exception {
        HttpResponse<String> r = http.postJson(path, CHAT + ",\"n\":2}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = TestHttp.json(r.body());
        assertThat(body.get("id").asText()).matches("chatcmpl-[0-9a-f]{32}");
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("created").asLong()).isPositive();
        assertThat(body.get("choices")).hasSize(2);
        JsonNode choice = body.get("choices").get(1);
        assertThat(choice.get("index").asInt()).isEqualTo(1);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isEqualTo(ScriptedTestModel.ANSWER_TEXT);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.has("seed")).isFalse();
        assertThat(choice.has("tokens")).isFalse();
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(10);
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo("Hello!".length());
    }

    @Test
    void chatLogprobsCarryTokenLogprobBytesAndTopLogprobs() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/serverless/v1/chat/completions",
                CHAT + ",\"logprobs\":true,\"top_logprobs\":2}").body());

        JsonNode first = body.get("choices").get(0).get("logprobs").get("content").get(0);
        assertThat(first.get("token").asText()).isEqualTo("Hello");
        assertThat(first.get("logprob").asDouble()).isEqualTo(-0.5);
        assertThat(first.get("bytes")).extracting(JsonNode::asInt).containsExactly(72, 101, 108, 108, 111);
        assertThat(first.get("top_logprobs")).hasSize(2);
        assertThat(first.get("top_logprobs").get(1).get("token").asText()).isEqualTo("alt1");
    }

    @Test
    void chatWithFunctionToolsAnswersWithToolCalls() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/serverless/v1/chat/completions", CHAT
                + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]}")
                .body());

        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.get("message").get("content").isNull()).isTrue();
        JsonNode call = choice.get("message").get("tool_calls").get(0);
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.get("function").get("name").asText()).isEqualTo("get_weather");
        assertThat(call.get("function").get("arguments").asText()).isEqualTo(ScriptedTestModel.TOOL_ARGUMENTS);
    }

    @Test
    void completionsStreamSendsOneChunkPerTokenThenUsageThenDone() throws Exception {
        TestHttp.Stream s = http.stream("/serverless/v1/completions",
                COMPLETION + ",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"logprobs\":1}");

        assertThat(s.response.statusCode()).isEqualTo(200);
        assertThat(s.response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(s.endsWithDone()).isTrue();
        List<JsonNode> chunks = s.chunks();
        assertThat(chunks).hasSize(6);
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks.subList(0, 5)) {
            assertThat(c.get("object").asText()).isEqualTo("text_completion");
            assertThat(c.get("id").asText()).startsWith("cmpl-");
            JsonNode choice = c.get("choices").get(0);
            assertThat(choice.get("index").asInt()).isZero();
            assertThat(choice.get("token").isInt()).isTrue();
            assertThat(choice.get("logprobs").get("token_logprobs")).hasSize(1);
            text.append(choice.get("text").asText());
        }
        assertThat(text.toString()).isEqualTo(ScriptedTestModel.ANSWER_TEXT);
        assertThat(chunks.get(3).get("choices").get(0).get("finish_reason").isNull()).isTrue();
        assertThat(chunks.get(4).get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.get(5);
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").get("completion_tokens").asInt()).isEqualTo(5);
        assertThat(usage.get("usage").get("total_tokens").asInt()).isEqualTo(5 + "Say hi".length());
    }

    @Test
    void chatStreamStartsWithRoleThenContentPiecesAndEndsWithFinishAndDone() throws Exception {
        TestHttp.Stream s = http.stream("/dedicated/v1/chat/completions", CHAT + ",\"stream\":true}");

        List<JsonNode> chunks = s.chunks();
        assertThat(chunks.get(0).get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(chunks.get(0).get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        StringBuilder content = new StringBuilder();
        for (JsonNode c : chunks) {
            assertThat(c.get("id").asText()).isEqualTo(chunks.get(0).get("id").asText());
            content.append(c.get("choices").get(0).get("delta").path("content").asText(""));
        }
        assertThat(content.toString()).isEqualTo(ScriptedTestModel.ANSWER_TEXT);
        JsonNode last = chunks.get(chunks.size() - 1).get("choices").get(0);
        assertThat(last.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks).noneMatch(c -> c.has("usage"));
        assertThat(s.endsWithDone()).isTrue();
    }

    @Test
    void chatStreamSplitsToolCallArgumentsOverSeveralChunks() throws Exception {
        TestHttp.Stream s = http.stream("/serverless/v1/chat/completions", CHAT + ",\"stream\":true,"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]}");

        StringBuilder arguments = new StringBuilder();
        List<String> names = new ArrayList<>();
        int fragments = 0;
        String finish = null;
        for (JsonNode c : s.chunks()) {
            JsonNode choice = c.get("choices").get(0);
            for (JsonNode call : choice.get("delta").path("tool_calls")) {
                assertThat(call.get("index").asInt()).isZero();
                if (call.has("id")) {
                    names.add(call.get("function").get("name").asText());
                } else {
                    fragments++;
                }
                arguments.append(call.get("function").get("arguments").asText());
            }
            if (!choice.get("finish_reason").isNull()) {
                finish = choice.get("finish_reason").asText();
            }
        }
        assertThat(names).containsExactly("get_weather");
        assertThat(fragments).isGreaterThan(1);
        assertThat(arguments.toString()).isEqualTo(ScriptedTestModel.TOOL_ARGUMENTS);
        assertThat(finish).isEqualTo("tool_calls");
    }

    @Test
    void toolAssistedChatStreamSendsToolStatusEventsBeforeTheAnswer() throws Exception {
        TestHttp.Stream s = http.stream("/serverless/tools/v1/chat/completions",
                CHAT + ",\"stream\":true,\"tools\":[{\"type\":\"math:calculator\"}]}");

        assertThat(s.response.statusCode()).isEqualTo(200);
        List<String> lines = s.lines;
        int firstEvent = lines.indexOf("event: tool_status");
        assertThat(firstEvent).isZero();
        assertThat(lines.get(3)).isEqualTo("event: tool_status");
        JsonNode started = TestHttp.json(lines.get(1).substring(6));
        JsonNode ended = TestHttp.json(lines.get(4).substring(6));
        assertThat(started.get("status").asText()).isEqualTo("STARTED");
        assertThat(started.get("tool_call_id").asText()).isEqualTo("tool_1");
        assertThat(started.get("name").asText()).isEqualTo("math:calculator");
        assertThat(started.get("parameters").get(0).get("name").asText()).isEqualTo("expression");
        assertThat(started.get("parameters").get(0).get("value").asText()).isEqualTo("6*7");
        assertThat(started.get("timestamp").asLong()).isPositive();
        assertThat(ended.get("status").asText()).isEqualTo("ENDED");
        assertThat(ended.get("result").asText()).isEqualTo("42");
        List<JsonNode> chunks = s.chunks();
        assertThat(chunks.get(2).get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(s.endsWithDone()).isTrue();
    }

    @Test
    void toolAssistedChatWithoutStreamAnswersWithJson() throws Exception {
        HttpResponse<String> r = http.postJson("/serverless/tools/v1/chat/completions",
                CHAT + ",\"tools\":[{\"type\":\"math:calculator\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(r.body()).get("object").asText()).isEqualTo("chat.completion");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/serverless", "/dedicated"})
    void tokenizeAndDetokenizeRoundTrip(String prefix) throws Exception {
        HttpResponse<String> t = http.postJson(prefix + "/v1/tokenize", "{\"model\":\"m\",\"prompt\":\"Hi!\"}");
        assertThat(t.statusCode()).isEqualTo(200);
        JsonNode tokens = TestHttp.json(t.body()).get("tokens");
        assertThat(tokens).extracting(JsonNode::asInt).containsExactly(72, 105, 33);

        HttpResponse<String> d = http.postJson(prefix + "/v1/detokenize", "{\"model\":\"m\",\"tokens\":" + tokens + "}");
        assertThat(d.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(d.body()).get("text").asText()).isEqualTo("Hi!");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/serverless/v2/completions", "/v1/tokenize", "/v1/detokenize"})
    void unknownPathGets404WithJsonError(String path) throws Exception {
        HttpResponse<String> r = http.postJson(path, COMPLETION + "}");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(r.body()).get("error").get("message").asText()).contains(path);
    }

    @Test
    void wrongMethodGets405WithAllow() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create(emulator.baseUrl() + "/serverless/v1/chat/completions")).GET().build());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("POST");
        assertThat(TestHttp.json(r.body()).get("error").get("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(http.postJson("/v1/completions", COMPLETION + "}").statusCode()).isEqualTo(200);
        }
    }
}
