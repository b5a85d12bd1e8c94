package io.friendliflink.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End to end with the default model ({@code TinyLanguageModel}): what the quick start and benchmarks get. */
class EmulatorWithTinyModelTest {
    static final String CHAT = "{\"model\":\"meta-llama-3.1-8b-instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"What is generative AI?\"}],\"max_tokens\":12,\"seed\":3";
    static Emulator emulator;
    static TestHttp http;

    @BeforeAll
    static void start() {
        emulator = Emulator.start(EmulatorConfig.builder().ioThreads(2).build());
        http = new TestHttp(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void chatAnswerIsReproducibleAndItsUsageMatchesItsLogprobs() throws Exception {
        String body = CHAT + ",\"logprobs\":true}";
        JsonNode a = TestHttp.json(http.postJson("/serverless/v1/chat/completions", body).body());
        JsonNode b = TestHttp.json(http.postJson("/dedicated/v1/chat/completions", body).body());

        JsonNode choice = a.get("choices").get(0);
        assertThat(choice.get("message").get("content").asText()).isNotEmpty()
                .isEqualTo(b.get("choices").get(0).get("message").get("content").asText());
        int completionTokens = a.get("usage").get("completion_tokens").asInt();
        assertThat(completionTokens).isBetween(1, 12);
        assertThat(choice.get("logprobs").get("content")).hasSize(completionTokens);
        StringBuilder joined = new StringBuilder();
        choice.get("logprobs").get("content").forEach(t -> joined.append(t.get("token").asText()));
        assertThat(joined.toString()).isEqualTo(choice.get("message").get("content").asText());
        assertThat(a.get("usage").get("prompt_tokens").asInt()).isPositive();
    }

    @Test
    void chatStreamCarriesTheSameTextAsTheJsonAnswer() throws Exception {
        String text = TestHttp.json(http.postJson("/v1/chat/completions", CHAT + "}").body())
                .get("choices").get(0).get("message").get("content").asText();

        TestHttp.Stream s = http.stream("/v1/chat/completions",
                CHAT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

        StringBuilder streamed = new StringBuilder();
        List<JsonNode> chunks = s.chunks();
        for (JsonNode c : chunks) {
            for (JsonNode choice : c.get("choices")) {
                streamed.append(choice.get("delta").path("content").asText(""));
            }
        }
        assertThat(streamed.toString()).isEqualTo(text);
        assertThat(chunks.get(chunks.size() - 1).get("usage").get("completion_tokens").asInt()).isPositive();
        assertThat(s.endsWithDone()).isTrue();
    }

    @Test
    void completionTokensDetokenizeToTheText() throws Exception {
        JsonNode choice = TestHttp.json(http.postJson("/serverless/v1/completions",
                "{\"model\":\"m\",\"prompt\":\"Once upon a time\",\"max_tokens\":8,\"logprobs\":2}").body())
                .get("choices").get(0);

        HttpResponse<String> text = http.postJson("/serverless/v1/detokenize",
                "{\"model\":\"m\",\"tokens\":" + choice.get("tokens") + "}");
        assertThat(TestHttp.json(text.body()).get("text").asText()).isEqualTo(choice.get("text").asText());
        assertThat(choice.get("logprobs").get("top_logprobs").get(0).size()).isBetween(1, 2);
    }

    @Test
    void tokenizeRoundTrips() throws Exception {
        JsonNode tokens = TestHttp.json(http.postJson("/dedicated/v1/tokenize",
                "{\"model\":\"m\",\"prompt\":\"What is generative AI?\"}").body()).get("tokens");
        String text = TestHttp.json(http.postJson("/dedicated/v1/detokenize",
                "{\"model\":\"m\",\"tokens\":" + tokens + "}").body()).get("text").asText();

        assertThat(tokens.size()).isPositive();
        assertThat(text).isEqualTo("What is generative AI?");
    }

    @Test
    void toolAssistedChatStreamsToolStatusBeforeTheAnswer() throws Exception {
        TestHttp.Stream s = http.stream("/serverless/tools/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 6*7? Use the calculator.\"}],"
                        + "\"tools\":[{\"type\":\"math:calculator\"}],\"stream\":true,\"max_tokens\":20}");

        assertThat(s.response.statusCode()).isEqualTo(200);
        int firstStatus = s.lines.indexOf("event: tool_status");
        int firstChunk = -1;
        for (int i = 0; i < s.lines.size(); i++) {
            if (s.lines.get(i).startsWith("data: {\"id\"")) {
                firstChunk = i;
                break;
            }
        }
        assertThat(firstStatus).isNotNegative().isLessThan(firstChunk);
        JsonNode started = TestHttp.json(s.lines.get(firstStatus + 1).substring(6));
        assertThat(started.get("status").asText()).isEqualTo("STARTED");
        assertThat(started.get("name").asText()).isEqualTo("math:calculator");
        assertThat(s.endsWithDone()).isTrue();
    }
}
